"""Header: dataset facts, issue counts that select rows, where edits are saved, actions."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, ClassVar

import numpy as np
import traitlets

from dcml_widgets.state import Change, DatasetState
from dcml_widgets.views._base import StateView

#: Human names of Datalab issue types, in the order the header shows them.
ISSUE_NAMES = {
    "label": "label issues",
    "outlier": "outliers",
    "near_duplicate": "near duplicates",
    "non_iid": "non-iid",
    "class_imbalance": "class imbalance",
    "null": "missing values",
    "underperforming_group": "underperforming group",
    "conflicting_label": "conflicting labels",
    "data_valuation": "low data value",
}

#: Actions the header's buttons may ask for (the dashboard carries them out).
ACTIONS = ("rerun", "export_csv", "export_parquet", "export_edits")


def issue_rows(report: Any, issue: str) -> np.ndarray:
    """Bool mask (row order) of the rows the report flags with ``issue``.

    Parameters
    ----------
    report : AuditReport or None
    issue : str
        Datalab issue type (``"label"``, ``"outlier"``, ...).

    Returns
    -------
    numpy.ndarray

    Raises
    ------
    ValueError
        If the report has no per-row flags for that issue type.
    """
    if report is None or issue not in report.issue_types:
        raise ValueError(
            f"No per-row results for issue type {issue!r}; choose one of the header's counts."
        )
    return report.issue_mask(issue)


def issue_counts(report: Any) -> list[dict]:
    """One entry per issue type: ``issue, label, count (None = not assessed), selectable``.

    Parameters
    ----------
    report : AuditReport or None

    Returns
    -------
    list of dict
        In :data:`ISSUE_NAMES` order, unknown types last.
    """
    if report is None:
        return []
    out = []
    seen = set()
    summary = report.summary
    for row in summary.itertuples(index=False):
        issue = str(row.issue_type)
        seen.add(issue)
        selectable = issue in report.issue_types
        score = getattr(row, "score", float("nan"))
        assessed = not (isinstance(score, float) and math.isnan(score))
        if selectable and assessed:
            count: int | None = int(report.issue_mask(issue).sum())
        elif assessed:
            count = int(row.num_issues)
        else:
            count = None
        out.append(
            {
                "issue": issue,
                "label": ISSUE_NAMES.get(issue, issue.replace("_", " ")),
                "count": count,
                "selectable": selectable,
            }
        )
    order = list(ISSUE_NAMES)
    out.sort(key=lambda d: order.index(d["issue"]) if d["issue"] in order else len(order))
    return out


class Header(StateView):
    """The dashboard's first line: rows, classes, CV accuracy, issue counts and actions.

    Clicking an issue count selects those rows in the state (so every view shows them);
    the action buttons are passed to ``on_action(name)``, which the dashboard provides.

    Parameters
    ----------
    state : DatasetState
    on_action : callable, optional
        Called with one of :data:`ACTIONS` when its button is clicked; its return value (a
        short text) is shown as :attr:`status`, unless it is None (the action then sets
        :attr:`status` itself, e.g. when a background re-run ends).
    """

    _bundle = "header"
    _messages: ClassVar[dict[str, str]] = {
        "select_issue": "_msg_select_issue",
        "action": "_msg_action",
    }
    """Browser message types this view accepts, and the method that handles each."""

    summary = traitlets.Dict(
        help="n_rows, n_classes, accuracy, embedding_method, embedding_input (what the layout "
        "was computed from), self_check (one line, '' when off), layout_pending, "
        "n_edit_groups, n_edited, n_excluded."
    ).tag(sync=True)
    issues: traitlets.List[Any] = traitlets.List(
        help="One dict per issue type: issue, label, count (None = not assessed), selectable."
    ).tag(sync=True)
    journal = traitlets.Dict(
        help="path (str or None), resumed (edits resumed from disk), warning (str or ''), "
        "note (why this file, or what was repaired; ''), siblings ([file, edit groups] pairs)."
    ).tag(sync=True)
    busy = traitlets.Unicode("", help="What the dashboard is doing now ('' when idle).").tag(
        sync=True
    )
    status = traitlets.Unicode("", help="Result of the last action (e.g. the file written).").tag(
        sync=True
    )
    layout_pending = traitlets.Bool(
        False, help="True while the UMAP layout is still being computed."
    ).tag(sync=True)

    def __init__(
        self,
        state: DatasetState,
        *,
        on_action: Callable[[str], str | None] | None = None,
        **kwargs: Any,
    ) -> None:
        self._on_action = on_action
        super().__init__(state, **kwargs)
        self.refresh()

    @traitlets.observe("layout_pending")
    def _layout_pending_changed(self, _change: dict) -> None:
        self._refresh_summary()

    def refresh(self) -> None:
        """Recompute every fact from the state and its report."""
        self.issues = issue_counts(self.state.report)
        self._refresh_summary()

    def _refresh_summary(self) -> None:
        state = self.state
        report = state.report
        accuracy = None if report is None else float(report.accuracy)
        check = None if report is None else report.self_check
        if accuracy is not None and math.isnan(accuracy):
            accuracy = None
        self.summary = {
            "n_rows": state.n_rows,
            "n_classes": len(state.classes),
            "accuracy": accuracy,
            "embedding_method": None if report is None else report.embedding_method,
            "embedding_input": None if report is None else report.embedding_input,
            "self_check": "" if check is None else check.describe(),
            "layout_pending": bool(self.layout_pending),
            "n_edit_groups": len(state.log),
            "n_edited": int((state.rows.label_codes != state.rows.original_codes).sum()),
            "n_excluded": int(state.rows.excluded_mask.sum()),
        }

    def _state_changed(self, change: Change) -> None:
        if change.field in ("selection", "focus"):
            return
        if change.field == "report":
            self.refresh()
        else:
            self._refresh_summary()

    def _msg_select_issue(self, content: dict, buffers: list) -> None:
        issue = content.get("issue")
        if not isinstance(issue, str):
            raise TypeError("select_issue needs an issue type name (a string).")
        mask = issue_rows(self.state.report, issue)
        self.state.select(positions=np.flatnonzero(mask))

    def _msg_action(self, content: dict, buffers: list) -> None:
        name = content.get("name")
        if name not in ACTIONS:
            raise ValueError(f"Unknown action {name!r}; expected one of {ACTIONS}.")
        if self._on_action is None:
            raise ValueError(f"This header has no dashboard to carry out {name!r}.")
        result = self._on_action(name)
        if result is not None:  # None: the action reports its outcome itself (a background run)
            self.status = result
