"""Coverage-gaps panel: regions of pool rows the training rows do not reach (what to collect
or label next); clicking a gap selects its rows."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import traitlets

from dcml_widgets.state import Change, DatasetState
from dcml_widgets.views._base import StateView
from dcml_widgets.views._shared.values import clip_text

#: How many gaps the panel lists (largest first, as report.gaps is sorted).
TOP_GAPS = 8


def gap_rows(report: Any, top: int = TOP_GAPS) -> list[dict]:
    """The first ``top`` rows of ``report.gaps`` as JSON-safe dicts, their text clipped.

    Parameters
    ----------
    report : AuditReport or None
    top : int

    Returns
    -------
    list of dict
        ``gap`` (its number in report.gaps), ``size``, ``nearest_classes`` and
        ``example_ids`` (lists of short text).
    """
    table = getattr(report, "gaps", None)
    if table is None or len(table) == 0:
        return []
    return [
        {
            "gap": int(number),
            "size": int(row["size"]),
            "nearest_classes": [clip_text(c) for c in row["nearest_classes"]],
            "example_ids": [clip_text(i) for i in row["example_ids"]],
        }
        for number, row in table.head(top).iterrows()
    ]


def gap_ids(report: Any, gap: int) -> Any:
    """Ids of the rows of gap number ``gap`` (``report.issues["gap"]``).

    Parameters
    ----------
    report : AuditReport
    gap : int

    Returns
    -------
    pandas.Index
    """
    issues = report.issues
    if "gap" not in issues.columns:
        return issues.index[:0]
    return issues.index[np.asarray(issues["gap"] == gap, dtype=bool)]


class GapsPanel(StateView):
    """Lists ``state.report.gaps`` (size, nearest classes, example ids); a click on a gap
    selects its rows in every view. Says so in one line when there are no pool rows.

    Parameters
    ----------
    state : DatasetState
    """

    _bundle = "gaps"
    _messages: ClassVar[dict[str, str]] = {"select_gap": "_msg_select_gap"}
    """Browser message types this view accepts, and the method that handles each."""

    gaps: traitlets.List[Any] = traitlets.List(
        help="The largest coverage gaps, largest first: one dict each (see gap_rows)."
    ).tag(sync=True)
    n_pool = traitlets.Int(
        0, help="Number of pool rows (no label in the given data) the report analysed."
    ).tag(sync=True)

    def __init__(self, state: DatasetState, **kwargs: Any) -> None:
        super().__init__(state, **kwargs)
        self.refresh()

    def refresh(self) -> None:
        """Re-read the gaps from the state's report."""
        report = self.state.report
        mask = getattr(report, "pool_mask", None)
        with self.hold_sync():
            self.n_pool = 0 if mask is None else int(np.count_nonzero(mask))
            self.gaps = gap_rows(report)

    def _state_changed(self, change: Change) -> None:
        if change.field == "report":
            self.refresh()

    def _msg_select_gap(self, content: dict, buffers: list) -> None:
        number = content.get("gap")
        listed = {row["gap"] for row in self.gaps}
        if not isinstance(number, int) or isinstance(number, bool) or number not in listed:
            raise ValueError(f"Unknown gap {number!r}; the panel lists {sorted(listed)}.")
        self.state.select(gap_ids(self.state.report, number))
