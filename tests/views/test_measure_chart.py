"""The measure panel's per-class F1 chart: it appears with the first measurement and shows
the shown measurement's F1 before and after for every class, names verbatim."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from dcml_widgets.analysis.pipeline import start_analysis
from dcml_widgets.session.measuring import measure
from dcml_widgets.state import DatasetState
from dcml_widgets.views.dashboard.measure_chart import MeasureChart
from dcml_widgets.views.dashboard.measure_panel import MeasurePanel
from tests.session.test_measure import _frame

EVIL = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def hostile():
    """A frame whose class k0 is named with markup, with planted label errors."""
    df, flipped, truth = _frame(180, 3, n_flipped=30)
    df["y"] = df["y"].replace({"k0": EVIL})
    truth = [EVIL if t == "k0" else t for t in truth]
    report = start_analysis(df, "y", progress=False).first_look
    return df, flipped, truth, report


def _shown(chart: MeasureChart) -> dict:
    return dict(zip(chart.names, zip(chart.f1_before, chart.f1_after, strict=True), strict=True))


def test_chart_appears_with_the_first_measurement_and_follows_the_shown_one(hostile):
    df, flipped, truth, report = hostile
    state = DatasetState(df, label="y", report=report)
    panel = MeasurePanel(state, on_measure=lambda: None)
    assert panel.chart is None and panel.children == (panel.view,)

    first = measure(state)
    panel.add(first)
    chart = panel.chart
    assert isinstance(chart, MeasureChart)
    assert panel.children == (panel.view, chart)
    # One bar pair per class, the class names verbatim (the markup is text, not escaped).
    assert chart.names == [str(c) for c in first.table.index] and EVIL in chart.names
    assert chart.f1_before == pytest.approx(first.table["f1_before"].tolist())
    assert chart.f1_after == pytest.approx(first.table["f1_after"].tolist())
    assert chart.title == "Per-class F1, measurement #1 (0 edits, out-of-sample)"

    for row in flipped[:10]:
        state.relabel(int(row), truth[row])
    second = measure(state)
    panel.add(second)
    assert panel.chart is chart  # the same view, redrawn
    assert chart.title == "Per-class F1, measurement #2 (10 edits, out-of-sample)"
    assert _shown(chart) == pytest.approx(
        {str(c): (r.f1_before, r.f1_after) for c, r in second.table.iterrows()}
    )
    # Clicking the first measurement in the list shows its F1 again.
    panel.view._dispatch(panel.view, {"type": "show", "index": 0}, [])
    assert chart.f1_after == pytest.approx(first.table["f1_after"].tolist())
    assert chart.title.startswith("Per-class F1, measurement #1 ")
    panel.close()
    assert chart.comm is None  # closed with the panel


def test_an_undefined_f1_is_sent_as_none(hostile):
    state = DatasetState(hostile[0], label="y", report=hostile[3])
    chart = MeasureChart(state)
    table = pd.DataFrame(
        {"f1_before": [float("nan"), 0.5], "f1_after": [1.0, 0.25]}, index=["gone", EVIL]
    )
    chart.show(SimpleNamespace(table=table), title="t")
    assert (chart.names, chart.f1_before, chart.f1_after) == (
        ["gone", EVIL],
        [None, 0.5],
        [1.0, 0.25],
    )
    chart.close()
