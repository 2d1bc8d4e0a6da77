"""DashboardView: every view of one state, laid out; the buttons' intents go to callbacks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anywidget
import ipywidgets

from dcml_widgets.state import DatasetState
from dcml_widgets.views.confusion.matrix import ConfusionMatrix
from dcml_widgets.views.dashboard.annotator_panel import AnnotatorPanel
from dcml_widgets.views.dashboard.balance_chart import BalanceChart
from dcml_widgets.views.dashboard.gaps_panel import GapsPanel
from dcml_widgets.views.dashboard.guidelines_panel import GuidelinesPanel
from dcml_widgets.views.dashboard.header import Header
from dcml_widgets.views.dashboard.measure_panel import MeasurePanel
from dcml_widgets.views.dashboard.slices_panel import SlicesPanel
from dcml_widgets.views.dashboard.whatif_panel import WhatIfView
from dcml_widgets.views.embedding.explorer import EmbeddingExplorer
from dcml_widgets.views.grid.relabel_grid import RelabelGrid

#: The child views, in the order they are closed.
VIEWS = (
    "header",
    "balance",
    "annotators",
    "slices_panel",
    "gaps_panel",
    "guidelines",
    "embedding",
    "confusion",
    "grid",
    "measure_panel",
    "whatif_panel",
)

#: The dashboard's rows, top to bottom, each the names of its views, left to right. The
#: VBox and :meth:`DashboardView.views` (for front ends without ipywidgets boxes) follow it.
ROWS = (
    ("header",),
    ("balance", "annotators", "slices_panel", "gaps_panel", "guidelines"),
    ("embedding", "confusion"),
    ("grid",),
    ("measure_panel",),
    ("whatif_panel",),
)


class DashboardView(ipywidgets.VBox):
    """Every view of one :class:`~dcml_widgets.DatasetState`, linked through it.

    Layout: a header (facts, issue counts that select rows, journal, actions), the class
    balance (and the annotator panel when the report has annotator agreement), the
    embedding explorer and the confusion matrix side by side, the relabel grid, and the
    measure panel. It only shows and edits the state; what the header's buttons and the
    measure button ask for goes to ``on_action`` / ``on_measure`` (the front door's
    :class:`~dcml_widgets.Dashboard` carries them out).

    Parameters
    ----------
    state : DatasetState
        Must hold a report (``state.report``).
    on_action : callable, optional
        Called with a header action's name; returns the text to show, or None.
    on_measure : callable, optional
        Called when the measure button is clicked.

    Raises
    ------
    TypeError
        If ``state`` is not a DatasetState.
    ValueError
        If the state has no report yet.
    """

    def __init__(
        self,
        state: DatasetState,
        *,
        on_action: Callable[[str], str | None] | None = None,
        on_measure: Callable[[], Any] | None = None,
    ) -> None:
        if not isinstance(state, DatasetState):
            raise TypeError(f"Dashboard needs a dw.DatasetState, got {type(state).__name__}.")
        if state.report is None:
            raise ValueError(
                "The state has no analysis report: use dw.audit(df, label=...) or pass "
                "DatasetState(df, label, report=dw.analyze(df, label))."
            )
        self._state = state
        self.header = Header(state, on_action=on_action)
        self.annotators = AnnotatorPanel(state) if state.report.agreement is not None else None
        self.slices_panel = SlicesPanel(state)
        self.gaps_panel = GapsPanel(state)
        # A frame can say its numeric columns are an image (the demo does): preview it.
        image_shape = state.frame.attrs.get("dcml_image_shape")
        image_shape = tuple(image_shape) if image_shape else None
        self.embedding = EmbeddingExplorer(state, image_shape=image_shape)
        self.confusion = ConfusionMatrix(state)
        self.grid = RelabelGrid(state, image_shape=image_shape)
        # Listeners run in the order they subscribe, and each view's messages reach the page
        # in that order: the summary views go after the views a person edits in.
        self.balance = BalanceChart(state)
        self.measure_panel = MeasurePanel(state, on_measure=on_measure or _no_measure)
        self.whatif_panel = WhatIfView(state)
        self.guidelines = GuidelinesPanel(state)

        half = ipywidgets.Layout(flex="1 1 550px", min_width="0")
        for view in (self.embedding, self.confusion):
            view.layout = half
        self.slices_panel.layout = ipywidgets.Layout(flex="1 1 420px", min_width="0")
        self.balance.layout = ipywidgets.Layout(flex="1 1 360px", min_width="0")
        if self.annotators is not None:
            self.annotators.layout = ipywidgets.Layout(flex="1 1 360px", min_width="0")
        self.gaps_panel.layout = ipywidgets.Layout(flex="1 1 360px", min_width="0")
        self.guidelines.layout = ipywidgets.Layout(flex="1 1 360px", min_width="0")
        wrap = ipywidgets.Layout(flex_flow="row wrap", width="100%", align_items="flex-start")
        rows: list[ipywidgets.Widget] = []
        for names in ROWS:
            children = [c for c in (getattr(self, name) for name in names) if c is not None]
            rows += children if len(names) == 1 else [ipywidgets.HBox(children, layout=wrap)]
        super().__init__(rows, layout=ipywidgets.Layout(width="100%"))
        self.add_class("dcml-dashboard")

    def views(self) -> list[list[anywidget.AnyWidget]]:
        """The dashboard's anywidget views in layout order: rows, each a list, left to right.

        For front ends that show anywidgets but not ipywidgets boxes (marimo). Views inside a
        box come out on their own (the measure panel's controls and, once measured, its
        per-class F1 chart). They are the dashboard's own widgets, linked through the same
        state::

            mo.vstack([
                mo.hstack([mo.ui.anywidget(v) for v in row], wrap=True)
                for row in dash.views()
            ])

        Returns
        -------
        list of list of anywidget.AnyWidget
            One list per row of :data:`ROWS` (the annotator panel only when there is
            annotator agreement); no row is empty.
        """
        rows = []
        for names in ROWS:
            row = [view for name in names for view in _anywidgets(getattr(self, name))]
            if row:
                rows.append(row)
        return rows

    @property
    def state(self) -> DatasetState:
        """The :class:`~dcml_widgets.DatasetState` every view shows and edits."""
        return self._state

    def close(self) -> None:
        """Close every child view (they stop following the state), then this box."""
        # getattr: ipywidgets also calls close() on a dashboard whose __init__ raised.
        for name in VIEWS:
            child = getattr(self, name, None)
            if child is not None:
                child.close()
        super().close()


def _anywidgets(widget: ipywidgets.Widget | None) -> list[anywidget.AnyWidget]:
    """``widget`` if it is an anywidget, else the anywidgets inside it (boxes unpacked)."""
    if isinstance(widget, anywidget.AnyWidget):
        return [widget]
    if isinstance(widget, ipywidgets.Box):
        return [view for child in widget.children for view in _anywidgets(child)]
    return []


def _no_measure() -> None:
    raise ValueError("This dashboard has no measure step; use dw.audit() or dw.Dashboard.")
