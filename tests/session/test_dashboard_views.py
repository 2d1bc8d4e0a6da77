"""dash.views(): the dashboard's anywidgets in layout order, for marimo's mo.ui.anywidget."""

from __future__ import annotations

import anywidget
import ipywidgets
import marimo as mo
import numpy as np
import pytest

import dcml_widgets as dw

pytestmark = pytest.mark.filterwarnings("ignore:journal=None:UserWarning")


def given_layout(df):
    """A fixed 2-D layout (skips UMAP: this test is not about the layout)."""
    return df[["pixel_20", "pixel_44"]].to_numpy(np.float32) + np.arange(len(df))[:, None] * 1e-3


def anywidgets_in(widget) -> list:
    """Every anywidget in an ipywidgets tree, depth first (what the VBox shows, in order)."""
    if isinstance(widget, anywidget.AnyWidget):
        return [widget]
    if isinstance(widget, ipywidgets.Box):
        return [w for child in widget.children for w in anywidgets_in(child)]
    return []


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_views_are_the_dashboards_anywidgets_row_by_row(workdir):
    df = dw.datasets.demo(n_rows=200, seed=1)
    dash = dw.audit(df, label="digit", journal=None, layout=given_layout(df), progress=False)
    try:
        rows = dash.views()
        assert rows[0] == [dash.header]
        assert rows[1] == [
            dash.balance,
            dash.slices_panel,
            dash.gaps_panel,
            dash.guidelines,
        ]
        assert rows[2] == [dash.embedding, dash.confusion]
        assert rows[3:] == [[dash.grid], [dash.measure_panel.view], [dash.whatif_panel]]
        # Exactly what the ipywidgets layout shows, in the same order, nothing left out.
        assert [v for row in rows for v in row] == anywidgets_in(dash)
        # Each one is marimo-ready, and marimo's wrapper follows the same widget.
        wrapped = mo.vstack([mo.hstack([mo.ui.anywidget(v) for v in row]) for row in rows])
        assert "marimo-anywidget" in wrapped.text
    finally:
        dash.close()


def test_views_include_the_annotator_panel_and_the_measure_chart_once_there(workdir):
    df = dw.datasets.demo(n_rows=200, seed=1, n_annotators=3)
    names = ["annotator_1", "annotator_2", "annotator_3"]
    dash = dw.audit(
        df,
        label="digit",
        journal=None,
        annotators=names,
        layout=given_layout(df),
        progress=False,
    )
    try:
        assert dash.views()[1] == [
            dash.balance,
            dash.annotators,
            dash.slices_panel,
            dash.gaps_panel,
            dash.guidelines,
        ]
        dash.measure()
        assert dash.measure_panel.chart is not None
        assert dash.views()[4] == [dash.measure_panel.view, dash.measure_panel.chart]
    finally:
        dash.close()
