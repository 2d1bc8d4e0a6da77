"""Which rows the grid shows: a validated filter and its row mask."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from dcml_widgets.state import DatasetState
from dcml_widgets.views.grid.data import ReportArrays

SCOPES = ("all", "selection")
STATUSES = ("edited", "excluded", "reviewed", "unreviewed", "active")
KEYS = ("scope", "issue", "class", "status", "disagree")


@dataclass(frozen=True)
class GridFilter:
    """Rows to show; every condition set must hold.

    Attributes
    ----------
    scope : str
        ``"all"`` rows or only the state's ``"selection"``.
    issue : str or None
        An issue type (``"label"``, ``"outlier"``, ...) or ``"any"``: rows with that issue.
    label : object or None
        A class: rows whose current label is it.
    status : str or None
        ``edited`` (label changed), ``excluded``, ``reviewed``, ``unreviewed`` or ``active``
        (not excluded).
    disagree : bool
        Only rows whose suggested label differs from the given (original) label.
    """

    scope: str = "all"
    issue: str | None = None
    label: Any = None
    status: str | None = None
    disagree: bool = False

    @property
    def trivial(self) -> bool:
        """True when the filter keeps every row."""
        return self == GridFilter()

    def depends_on(self, field: str) -> bool:
        """True when a state event of ``field`` can change which rows pass."""
        if field == "selection":
            return self.scope == "selection"
        if field == "report":
            return self.issue is not None or self.disagree
        if field == "label":
            return self.label is not None or self.status == "edited"
        if field == "excluded":
            return self.status in ("excluded", "active")
        if field == "reviewed":
            return self.status in ("reviewed", "unreviewed")
        return False

    def to_json(self) -> dict:
        """The filter as the browser sees it (class as its JSON value)."""
        return {
            "scope": self.scope,
            "issue": self.issue,
            "class": self.label,
            "status": self.status,
            "disagree": self.disagree,
        }


def parse_filter(spec: Any, state: DatasetState, arrays: ReportArrays) -> GridFilter:
    """Validate a filter from Python or the browser.

    Parameters
    ----------
    spec : dict or GridFilter or None
        Keys ``scope``, ``issue``, ``class``, ``status``, ``disagree`` (all optional).

    Raises
    ------
    TypeError
        If ``spec`` is not a dict.
    ValueError
        Unknown key, scope, issue type or status.
    KeyError
        Unknown class.
    """
    if spec is None:
        return GridFilter()
    if isinstance(spec, GridFilter):
        spec = spec.to_json()
    if not isinstance(spec, dict):
        raise TypeError(f"A grid filter is a dict with keys {KEYS}, got {type(spec).__name__}.")
    unknown = sorted(set(spec) - set(KEYS))
    if unknown:
        raise ValueError(f"Unknown filter key(s) {unknown}; use {KEYS}.")
    scope = spec.get("scope") or "all"
    if scope not in SCOPES:
        raise ValueError(f"filter scope must be one of {SCOPES}, got {scope!r}.")
    issue = spec.get("issue")
    if issue is not None and issue != "any" and issue not in arrays.issue_types:
        raise ValueError(
            f"Unknown issue type {issue!r}; this report has {list(arrays.issue_types)} "
            "(or use 'any')."
        )
    label = spec.get("class")
    if label is not None:
        if isinstance(label, bool) or label not in state.classes:
            raise KeyError(f"Unknown class {label!r}; classes are {state.classes[:20]}.")
    status = spec.get("status")
    if status is not None and status not in STATUSES:
        raise ValueError(f"filter status must be one of {STATUSES}, got {status!r}.")
    disagree = spec.get("disagree", False)
    if not isinstance(disagree, bool):
        raise TypeError("filter disagree must be true or false.")
    return GridFilter(scope, issue, label, status, disagree)


def filter_mask(
    flt: GridFilter,
    state: DatasetState,
    arrays: ReportArrays,
    positions: np.ndarray | None = None,
) -> np.ndarray:
    """True for the rows (all, or those at ``positions``) that pass ``flt``."""
    pos = np.arange(state.n_rows) if positions is None else np.asarray(positions, np.int64)
    keep = np.ones(len(pos), dtype=bool)
    if flt.scope == "selection":
        selected = np.zeros(state.n_rows, dtype=bool)
        selected[state.rows.selection] = True
        keep &= selected[pos]
    if flt.issue == "any":
        keep &= arrays.issue_count[pos] > 0
    elif flt.issue is not None:
        keep &= arrays.flags[pos, arrays.issue_types.index(flt.issue)]
    codes = state.rows.codes_at(pos) if flt.label is not None or flt.status == "edited" else None
    if flt.label is not None:
        keep &= codes == state.classes.index(flt.label)
    if flt.status == "edited":
        keep &= codes != state.rows.original_codes_at(pos)
    elif flt.status in ("excluded", "active"):
        keep &= state.rows.excluded_at(pos) == (flt.status == "excluded")
    elif flt.status in ("reviewed", "unreviewed"):
        keep &= state.rows.reviewed_at(pos) == (flt.status == "reviewed")
    if flt.disagree:
        suggested = arrays.suggested[pos]
        keep &= (suggested >= 0) & (suggested != state.rows.original_codes_at(pos))
    return keep
