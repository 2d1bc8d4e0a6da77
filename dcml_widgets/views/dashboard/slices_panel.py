"""Weakest-slices panel: where the model is worse; clicking a slice selects its rows."""

from __future__ import annotations

from typing import Any, ClassVar

import traitlets

from dcml_widgets.state import Change, DatasetState
from dcml_widgets.values import json_number, json_scalar
from dcml_widgets.views._base import StateView

#: How many slices the panel lists (worst first, as report.slices is sorted).
TOP_SLICES = 8


def slice_rows(report: Any, top: int = TOP_SLICES) -> list[dict]:
    """The first ``top`` rows of ``report.slices`` as JSON-safe dicts.

    Parameters
    ----------
    report : AuditReport or None
    top : int

    Returns
    -------
    list of dict
        ``slice`` (its number in report.slices), ``source``, ``column``, ``value`` (as
        text), ``n``, ``accuracy``, ``accuracy_gap``, ``ci_low``, ``ci_high``,
        ``label_issue_rate``, ``significant``.
    """
    table = getattr(report, "slices", None)
    if table is None or len(table) == 0:
        return []
    rows = []
    for number, row in table.head(top).iterrows():
        value = json_scalar(row["value"])
        rows.append(
            {
                "slice": int(number),
                "source": str(row["source"]),
                "column": str(row["column"]),
                "value": "" if value is None else str(value),
                "n": int(row["n"]),
                "accuracy": json_number(row["accuracy"]),
                "accuracy_gap": json_number(row["accuracy_gap"]),
                "ci_low": json_number(row["ci_low"]),
                "ci_high": json_number(row["ci_high"]),
                "label_issue_rate": json_number(row["label_issue_rate"]),
                "significant": bool(row["significant"]),
            }
        )
    return rows


class SlicesPanel(StateView):
    """Shows the weakest slices of ``state.report.slices``; a click selects a slice's rows.

    Parameters
    ----------
    state : DatasetState
    """

    _bundle = "slices"
    _messages: ClassVar[dict[str, str]] = {"select_slice": "_msg_select_slice"}
    """Browser message types this view accepts, and the method that handles each."""

    slices: traitlets.List[Any] = traitlets.List(
        help="The weakest slices, worst first: one dict each (see slice_rows)."
    ).tag(sync=True)

    def __init__(self, state: DatasetState, **kwargs: Any) -> None:
        super().__init__(state, **kwargs)
        self.refresh()

    def refresh(self) -> None:
        """Re-read the slices from the state's report."""
        self.slices = slice_rows(self.state.report)

    def _state_changed(self, change: Change) -> None:
        if change.field == "report":
            self.refresh()

    def _msg_select_slice(self, content: dict, buffers: list) -> None:
        number = content.get("slice")
        listed = {row["slice"] for row in self.slices}
        if not isinstance(number, int) or isinstance(number, bool) or number not in listed:
            raise ValueError(f"Unknown slice {number!r}; the panel lists {sorted(listed)}.")
        report = self.state.report
        self.state.select(report.slice_ids(number))
