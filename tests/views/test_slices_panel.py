"""The weakest-slices panel: lists report.slices worst first; a click selects its rows."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dcml_widgets.analysis.pipeline import start_analysis
from dcml_widgets.state import DatasetState
from dcml_widgets.views.dashboard.slices_panel import SlicesPanel
from tests.views.test_messages import comm_message


@pytest.fixture(scope="module")
def weak_site():
    """Three blobs; site "far" rows have their features shuffled, so the model fails there."""
    rng = np.random.default_rng(0)
    n = 300
    truth = np.arange(n) % 3
    x = np.array([[0, 0], [4, 0], [0, 4]])[truth] + rng.normal(size=(n, 2))
    site = rng.choice(["near", "mid", "far"], n)
    far = site == "far"
    x[far] = rng.normal(2, 2, size=(far.sum(), 2))
    df = pd.DataFrame(x, columns=["u", "v"])
    df["site"] = site
    df["y"] = [f"c{t}" for t in truth]
    report = start_analysis(df, "y", progress=False).first_look
    return df, report


def test_the_panel_lists_the_worst_slice_first_and_a_click_selects_its_rows(weak_site):
    df, report = weak_site
    state = DatasetState(df, "y", report=report)
    panel = SlicesPanel(state)
    first = panel.slices[0]
    assert (first["column"], first["value"], first["significant"]) == ("site", "far", True)
    assert [row["slice"] for row in panel.slices] == list(range(len(panel.slices)))
    panel._handle_msg(comm_message({"type": "select_slice", "slice": 0}))
    assert panel.error == ""
    assert sorted(state.selection) == sorted(df.index[df["site"] == "far"])


@pytest.mark.parametrize("bad", [99, -1, "0", None, True, 0.5])
def test_an_unknown_slice_is_refused_and_selects_nothing(weak_site, bad):
    df, report = weak_site
    state = DatasetState(df, "y", report=report)
    panel = SlicesPanel(state)
    panel._handle_msg(comm_message({"type": "select_slice", "slice": bad}))
    assert panel.error.startswith("Refused:")
    assert len(state.selection) == 0
