"""Class-balance chart: rows per class as given and as now (edits applied, exclusions out)."""

from __future__ import annotations

import logging
from collections.abc import Callable

import ipywidgets
import numpy as np
import plotly.graph_objects as go

from dcml_widgets.state import Change, DatasetState

log = logging.getLogger(__name__)


def class_counts(state: DatasetState) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Class names (as text) and rows per class, as given and as now.

    Returns
    -------
    (names, given, current)
        ``given`` counts the original labels of every row; ``current`` the current labels
        of the rows not excluded. Missing labels are not counted.
    """
    k = len(state.classes)
    original = state.rows.original_codes
    current = state.rows.label_codes[~state.rows.excluded_mask]
    given = np.bincount(original[original >= 0], minlength=k)
    now = np.bincount(current[current >= 0], minlength=k)
    return [str(c) for c in state.classes], given, now


def plotly_text(value: object) -> str:
    """Dataset text made literal for plotly, which reads ``<a href>``, ``<b>``... in labels.

    Plotly decodes ``&amp;``, ``&lt;`` and ``&gt;`` back to the characters, so the label
    shows exactly ``str(value)`` and no tag in it becomes a link or markup.
    """
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class BalanceChart(ipywidgets.VBox):
    """A plotly bar chart of the class balance that follows the state's edits.

    Parameters
    ----------
    state : DatasetState

    Attributes
    ----------
    figure : plotly.graph_objects.FigureWidget
        The chart (traces ``given`` and ``now``).
    """

    def __init__(self, state: DatasetState) -> None:
        self._state = state
        names, given, now = class_counts(state)
        names = [plotly_text(n) for n in names]
        self.figure = go.FigureWidget(
            data=[
                go.Bar(name="given", x=names, y=given.tolist(), marker_color="#bdbdbd"),
                go.Bar(name="now", x=names, y=now.tolist(), marker_color="#1976d2"),
            ],
            layout=go.Layout(
                title={"text": "Class balance", "font": {"size": 13}},
                barmode="group",
                height=220,
                margin={"l": 40, "r": 10, "t": 36, "b": 30},
                xaxis={"type": "category"},
                yaxis={"title": {"text": "rows"}},
                legend={"orientation": "h", "y": 1.15, "x": 1, "xanchor": "right"},
            ),
        )
        super().__init__([self.figure])
        self.add_class("dcml-balance")
        self._unsubscribe: Callable[[], None] | None = state.on_change(self._on_change)

    def refresh(self) -> None:
        """Recount and redraw: only the ``now`` bars unless the classes changed.

        Plotly re-plots whatever it is sent, and in the page that holds the main thread
        (tens of ms in software rendering): an edit sends one trace's counts.
        """
        names, given, now = class_counts(self._state)
        names = [plotly_text(n) for n in names]
        given_bars, now_bars = self.figure.data
        with self.figure.batch_update():
            if list(given_bars.x) != names or list(given_bars.y) != given.tolist():
                given_bars.x = names
                given_bars.y = given.tolist()
                now_bars.x = names
            now_bars.y = now.tolist()

    @property
    def counts(self) -> dict[str, int]:
        """Rows per class now (what the ``now`` bars show)."""
        names, _, now = class_counts(self._state)
        return dict(zip(names, now.tolist(), strict=True))

    def _on_change(self, change: Change) -> None:
        if change.field not in ("label", "excluded", "class", "report"):
            return
        try:
            self.refresh()
        except Exception:  # a broken chart must never break the state or other views
            log.exception("class-balance chart failed to update")

    def close(self) -> None:
        """Stop following the state and close the chart."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        self.figure.close()
        super().close()
