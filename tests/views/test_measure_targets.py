"""The measure panel's targets: moved confusion cells and the edits grouped by reason."""

from __future__ import annotations

import numpy as np
import pytest

from dcml_widgets.analysis.pipeline import start_analysis
from dcml_widgets.session.measuring import measure
from dcml_widgets.state import DatasetState
from dcml_widgets.views.dashboard.measure_panel import MeasurePanel
from tests.session.test_measure import _frame


@pytest.fixture(scope="module")
def planted():
    df, flipped, truth = _frame(180, 7, n_flipped=30)
    report = start_analysis(df, "y", progress=False).first_look
    return df, flipped, truth, report


def test_panel_shows_moved_cells_and_edits_by_reason(planted):
    df, flipped, truth, report = planted
    state = DatasetState(df, label="y", report=report)
    given = df["y"].to_numpy(dtype=object)
    # Rows labelled k1 that are truly k0: fixed under one reason.
    fix = [int(r) for r in flipped if given[r] == "k1" and truth[r] == "k0"]
    others = [int(r) for r in flipped if r not in fix]
    assert len(fix) >= 3
    state.relabel(fix, "k0", reason="fix k0↔k1")
    state.exclude(others[:4], reason="<b>unsure</b>")
    state.exclude(others[4:6])  # no reason
    state.exclude(others[6], reason="undone")
    state.undo()  # its reason no longer counts
    panel = MeasurePanel(state, on_measure=lambda: None)
    cmp = measure(state)
    panel.add(cmp)

    change = cmp.confusion_after.to_numpy() - cmp.confusion_before.to_numpy()
    np.fill_diagonal(change, 0)
    moved = panel.view.moved
    sizes = [abs(c["after"] - c["before"]) for c in moved]
    assert sizes == sorted(sizes, reverse=True) and sizes[0] == np.abs(change).max()
    assert len(moved) == min(np.count_nonzero(change), 12)
    for cell in moved:
        assert cell["before"] == cmp.confusion_before.loc[cell["given"], cell["predicted"]]
        assert cell["after"] == cmp.confusion_after.loc[cell["given"], cell["predicted"]]

    reasons = {g["reason"]: g for g in panel.view.reasons}
    assert set(reasons) == {"fix k0↔k1", "<b>unsure</b>", "no reason given (api)"}
    target = reasons["fix k0↔k1"]
    assert target["n_relabelled"] == len(fix) and target["n_excluded"] == 0
    cells = {(c["given"], c["predicted"]): c for c in target["cells"]}
    assert set(cells) == {("k0", "k1"), ("k1", "k0")}
    k01 = cells[("k1", "k0")]
    assert (k01["before"], k01["after"]) == (
        cmp.confusion_before.loc["k1", "k0"],
        cmp.confusion_after.loc["k1", "k0"],
    )
    # The fix took rows the model called k0 out of the k1 row: that cell went down.
    assert k01["after"] < k01["before"]
    assert reasons["<b>unsure</b>"]["n_excluded"] == 4
    assert reasons["no reason given (api)"]["n_excluded"] == 2
    # Showing an earlier measurement brings back its own summary.
    state.revert(fix)
    panel.add(measure(state))
    assert all(g["reason"] != "fix k0↔k1" for g in panel.view.reasons)
    panel.view.shown = 0
    assert panel.view.reasons[0]["reason"] == "fix k0↔k1"
    panel.close()
