"""Measure chart: per-class F1 before and after the shown measurement."""

from __future__ import annotations

from typing import Any

import traitlets

from dcml_widgets.values import json_number
from dcml_widgets.views._base import StateView


class MeasureChart(StateView):
    """A bar chart of per-class F1 before (grey) and after (blue) one measurement.

    Drawn by its own small view (``js/src/dashboard/measure_chart``) on a 0–1 scale, not by
    plotly: plotly's ``FigureWidget`` took 3.2 s to import in a fresh kernel at the first
    measurement. Python sets every trait (:meth:`show`); the view only draws them and sends
    nothing back.

    Parameters
    ----------
    state : DatasetState
        The state of the measure panel it belongs to.
    """

    _bundle = "measure_chart"

    title = traitlets.Unicode("", help="Chart title: which measurement is shown.").tag(sync=True)
    names = traitlets.List(traitlets.Unicode(), help="Class names, as text.").tag(sync=True)
    f1_before: traitlets.List[Any] = traitlets.List(
        traitlets.Float(allow_none=True),
        help="F1 per class before the measurement's edits (None where undefined).",
    ).tag(sync=True)
    f1_after: traitlets.List[Any] = traitlets.List(
        traitlets.Float(allow_none=True),
        help="F1 per class after the measurement's edits (None where undefined).",
    ).tag(sync=True)

    def show(self, comparison: Any, *, title: str) -> None:
        """Show ``comparison``'s per-class F1 before and after (one update of the page).

        Parameters
        ----------
        comparison : Comparison
            Its ``table`` has one row per class with ``f1_before`` and ``f1_after``.
        title : str
            The chart's title (set as text in the page).
        """
        table = comparison.table
        with self.hold_sync():
            self.title = title
            self.names = [str(c) for c in table.index]
            self.f1_before = [json_number(v) for v in table["f1_before"]]
            self.f1_after = [json_number(v) for v in table["f1_after"]]
