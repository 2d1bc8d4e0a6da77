"""The coverage-gaps panel: lists report.gaps largest first; a click selects a gap's rows."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

import dcml_widgets as dw
from dcml_widgets.analysis.pipeline import start_analysis
from dcml_widgets.state import DatasetState
from dcml_widgets.views.dashboard.gaps_panel import GapsPanel, gap_ids
from tests.analysis.test_coverage import islands
from tests.views.test_messages import comm_message

ISLAND = list(range(1000, 1040))  # the 40 pool rows no labelled row reaches (by construction)


@pytest.fixture(scope="module")
def island():
    df, pool = islands()
    df["y"] = df["y"].replace({"b": "<img src=x onerror=alert(1)>"})
    report = start_analysis(df, "y", unlabeled=pool, progress=False).first_look
    return dw.combine(df, pool, label="y"), report


def test_the_panel_lists_the_planted_gap_and_a_click_selects_exactly_its_rows(island):
    combined, report = island
    state = DatasetState(combined, "y", report=report)
    panel = GapsPanel(state)
    assert panel.n_pool == 70
    ((gap,),) = [panel.gaps]
    assert gap["gap"] == 0 and gap["size"] == 40
    assert gap["nearest_classes"] == ["<img src=x onerror=alert(1)>"]  # text, sent as is
    assert len(gap["example_ids"]) == 5 and {int(i) for i in gap["example_ids"]} <= set(ISLAND)
    panel._handle_msg(comm_message({"type": "select_gap", "gap": 0}))
    assert panel.error == ""
    assert sorted(state.selection) == ISLAND


@pytest.mark.parametrize("bad", [1, -1, "0", None, True, 0.5])
def test_an_unknown_gap_is_refused_and_selects_nothing(island, bad):
    combined, report = island
    state = DatasetState(combined, "y", report=report)
    panel = GapsPanel(state)
    panel._handle_msg(comm_message({"type": "select_gap", "gap": bad}))
    assert panel.error.startswith("Refused:")
    assert len(state.selection) == 0


def test_a_pool_from_the_training_distribution_lists_no_gap():
    rng = np.random.default_rng(5)
    x = rng.normal(size=(300, 2)) + np.repeat([[0, 0], [5, 5]], 150, axis=0)
    df = pd.DataFrame(x[::2], columns=["u", "v"]).assign(y=["a", "b"] * 75)
    df["y"] = np.where(df["u"] > 2.5, "b", "a")
    pool = pd.DataFrame(x[1::2], columns=["u", "v"], index=range(500, 650))
    report = start_analysis(df, "y", unlabeled=pool, progress=False).first_look
    state = DatasetState(dw.combine(df, pool, label="y"), "y", report=report)
    panel = GapsPanel(state)
    assert (panel.n_pool, panel.gaps) == (150, [])
    assert len(gap_ids(report, 0)) == 0


def test_without_a_pool_the_panel_has_nothing_to_list(island):
    df, _ = islands()
    report = start_analysis(df, "y", progress=False).first_look
    state = DatasetState(df, "y", report=report)
    panel = GapsPanel(state)
    assert (panel.n_pool, panel.gaps) == (0, [])
    assert len(gap_ids(report, 0)) == 0
    panel.close()


def test_a_new_report_refreshes_the_panel(island):
    combined, report = island
    state = DatasetState(combined, "y", report=report)
    panel = GapsPanel(state)
    assert [g["size"] for g in panel.gaps] == [40]
    state.set_report(dataclasses.replace(report, gaps=report.gaps.iloc[:0]))
    assert (panel.n_pool, panel.gaps) == (70, [])
    panel.close()
