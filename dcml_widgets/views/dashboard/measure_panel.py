"""Measure panel: retrain on the edited labels, compare per class, keep every measurement."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, ClassVar

import ipywidgets
import traitlets

from dcml_widgets.state import Change, DatasetState
from dcml_widgets.values import json_number
from dcml_widgets.views._base import StateView
from dcml_widgets.views.dashboard.measure_chart import MeasureChart
from dcml_widgets.views.dashboard.measure_summary import moved_cells, reason_groups

_TABLE_COLUMNS = (
    "precision_before",
    "precision_after",
    "recall_before",
    "recall_after",
    "f1_before",
    "f1_after",
    "f1_delta",
    "support_before",
    "support_after",
)


def comparison_rows(comparison: Any) -> list[dict]:
    """The per-class table of a :class:`~dcml_widgets.Comparison` as JSON-safe dicts.

    Parameters
    ----------
    comparison : Comparison

    Returns
    -------
    list of dict
        One per class: ``class`` (text) and the before/after/delta columns.
    """
    table = comparison.table
    rows = []
    for cls, row in table.iterrows():
        item: dict[str, Any] = {"class": str(cls)}
        for column in _TABLE_COLUMNS:
            item[column] = json_number(row[column]) if column in table.columns else None
        rows.append(item)
    return rows


class MeasureView(StateView):
    """The measure button, the list of past measurements and the shown one's table.

    Parameters
    ----------
    state : DatasetState
    on_measure : callable
        Called (no arguments) when the button is clicked; it runs the measurement and hands
        the result back through :meth:`MeasurePanel.add`.
    """

    _bundle = "measure"
    _messages: ClassVar[dict[str, str]] = {
        "measure": "_msg_measure",
        "show": "_msg_show",
    }
    """Browser message types this view accepts, and the method that handles each."""

    history: traitlets.List[Any] = traitlets.List(
        help="One dict per measurement: index, n_edits, accuracy_before, accuracy_after, "
        "on_test, note, time."
    ).tag(sync=True)
    table: traitlets.List[Any] = traitlets.List(
        help="Per-class rows of the shown measurement."
    ).tag(sync=True)
    moved: traitlets.List[Any] = traitlets.List(
        help="Off-diagonal confusion cells of the shown measurement whose count changed, "
        "largest move first: dicts given, predicted, before, after."
    ).tag(sync=True)
    reasons: traitlets.List[Any] = traitlets.List(
        help="The edits the shown measurement covers, grouped by reason: dicts reason, "
        "n_relabelled, n_excluded, cells (the confusion cells they aimed at, as in moved)."
    ).tag(sync=True)
    shown = traitlets.Int(-1, help="Index of the measurement shown (-1: none).").tag(sync=True)
    busy = traitlets.Bool(False, help="True while a measurement runs.").tag(sync=True)
    edits_since = traitlets.Int(0, help="Edit groups made since the last measurement.").tag(
        sync=True
    )

    def __init__(
        self, state: DatasetState, *, on_measure: Callable[[], Any], **kwargs: Any
    ) -> None:
        self._on_measure = on_measure
        self._last_n_edits = 0
        super().__init__(state, **kwargs)

    def _state_changed(self, change: Change) -> None:
        if change.field in ("label", "excluded", "reviewed", "note", "class"):
            self._update_edits_since()

    def _update_edits_since(self) -> None:
        self.edits_since = max(len(self.state.log) - self._last_n_edits, 0)

    def mark_measured(self) -> None:
        """Count edits since now: a measurement has just included every edit so far."""
        self._last_n_edits = len(self.state.log)
        self._update_edits_since()

    def _msg_measure(self, content: dict, buffers: list) -> None:
        if self.busy:
            raise ValueError("A measurement is already running.")
        self._on_measure()

    def _msg_show(self, content: dict, buffers: list) -> None:
        index = content.get("index")
        if not isinstance(index, int) or isinstance(index, bool):
            raise TypeError("show needs the index (int) of a past measurement.")
        if not 0 <= index < len(self.history):
            raise ValueError(f"There is no measurement #{index + 1}.")
        self.shown = index


class MeasurePanel(ipywidgets.VBox):
    """Measure controls and history above a per-class F1 chart (shown from the first
    measurement on). Both are anywidget views.

    Parameters
    ----------
    state : DatasetState
    on_measure : callable
        Runs one measurement (the dashboard's :meth:`~dcml_widgets.Dashboard.measure`).
    """

    def __init__(self, state: DatasetState, *, on_measure: Callable[[], Any]) -> None:
        self.view = MeasureView(state, on_measure=on_measure)
        # Made on the first measurement: before it there is nothing to chart.
        self.chart: MeasureChart | None = None
        self.comparisons: list[Any] = []
        self._summaries: list[tuple[list[dict], list[dict]]] = []
        super().__init__([self.view])
        self.add_class("dcml-measure-panel")
        self.view.observe(self._show_changed, names="shown")

    def add(self, comparison: Any) -> int:
        """Record a measurement, list it and show it.

        Parameters
        ----------
        comparison : Comparison

        Returns
        -------
        int
            Its index in :attr:`comparisons`.
        """
        self.comparisons.append(comparison)
        self._summaries.append(self._summarise(comparison))
        index = len(self.comparisons) - 1
        n_edits = int(getattr(comparison, "n_edits", 0))
        self.view.history = [
            *self.view.history,
            {
                "index": index,
                "n_edits": n_edits,
                "accuracy_before": json_number(comparison.accuracy_before),
                "accuracy_after": json_number(comparison.accuracy_after),
                "on_test": bool(getattr(comparison, "on_test", False)),
                "note": str(getattr(comparison, "note", "")),
                "time": time.time(),
            },
        ]
        self.view.mark_measured()
        if self.view.shown == index:
            self._show_changed({"new": index})
        self.view.shown = index
        return index

    def _summarise(self, comparison: Any) -> tuple[list[dict], list[dict]]:
        """The moved cells and the reason groups of ``comparison`` (edits as of now)."""
        state = self.view.state
        report = state.report
        predicted = None if report is None else getattr(report, "predicted", None)
        groups = reason_groups(
            state.edits,
            comparison,
            state.labels,
            state.original_labels,
            state.excluded,
            predicted,
        )
        return moved_cells(comparison), groups

    def _show_changed(self, change: dict) -> None:
        index = change["new"]
        if not 0 <= index < len(self.comparisons):
            return
        comparison = self.comparisons[index]
        self.view.table = comparison_rows(comparison)
        self.view.moved, self.view.reasons = self._summaries[index]
        where = "test set" if getattr(comparison, "on_test", False) else "out-of-sample"
        if self.chart is None:
            self.chart = MeasureChart(self.view.state)
            self.children = [self.view, self.chart]
        self.chart.show(
            comparison,
            title=f"Per-class F1, measurement #{index + 1} "
            f"({getattr(comparison, 'n_edits', 0)} edits, {where})",
        )

    def close(self) -> None:
        """Close the controls, the chart and this box."""
        self.view.close()
        if self.chart is not None:
            self.chart.close()
        super().close()
