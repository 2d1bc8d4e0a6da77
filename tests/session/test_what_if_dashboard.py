"""The dashboard's what-if panel: projected in a background thread, applied as one command."""

from __future__ import annotations

import threading

import pandas as pd
import pytest

import dcml_widgets as dw
from dcml_widgets.analysis.pipeline import start_analysis
from tests.loop.test_what_if import _planted


def send(widget, content):
    widget._dispatch(widget, content, [])


@pytest.fixture(scope="module")
def planted():
    df, *_ = _planted(150, 8)
    return df, start_analysis(df, "y", progress=False).first_look


def test_projection_runs_in_the_background_and_a_row_applies_as_one_undo_step(planted):
    df, report = planted
    state = dw.DatasetState(df, "y", report=report)
    dash = dw.Dashboard(state)
    view = dash.whatif_panel
    progress = []
    view.observe(lambda change: progress.append(dict(change["new"])), names="progress")
    entered, release = threading.Event(), threading.Event()
    real = dash.what_if_runs._progress

    def slow_progress(done, total, name):  # hold the thread once, to see the kernel is free
        real(done, total, name)
        if done == 1:
            entered.set()
            release.wait(30)

    dash.what_if_runs._progress = slow_progress
    send(view, {"type": "compute"})
    assert entered.wait(60)
    # The handler returned while the projection runs: the kernel is free, the view busy.
    assert view.busy and view.progress["done"] == 1 and view.progress["total"] == 6
    send(view, {"type": "compute"})
    assert "already running" in view.error
    # An edit made meanwhile lands in no row: the projection read the state once.
    suspect = report.issues.index[report.issues["is_label_issue"]][0]
    state.exclude(suspect)
    release.set()
    table = dash.what_if_runs.wait(120)
    assert not view.busy and view.progress == {} and "Projected 6" in view.status
    assert [p["done"] for p in progress if p] == [0, 1, 2, 3, 4, 5, 6]
    assert view.edits_since == 1  # stale: made before that edit
    assert suspect in table.loc["exclude_label_issues", "ids"]
    state.undo()
    # The rows shown are dw.what_if's on the state it read, in its order.
    pd.testing.assert_frame_equal(table, dw.what_if(state))
    assert [r["intervention"] for r in view.rows] == list(table.index)
    dash.what_if_runs._progress = real
    send(view, {"type": "compute"})
    table = dash.what_if_runs.wait(120)
    assert view.edits_since == 0
    assert len(state.log) == 2

    name = "accept_suggestions"
    ids = table.loc[name, "ids"]
    assert ids
    labels_before = state.labels.copy()
    send(view, {"type": "apply", "intervention": name})
    assert view.error == "" and len(state.log) == 3 and state.can_undo
    edits = state.edits[state.edits["group"] == 2]
    assert set(edits["row"]) == set(ids) and (edits["reason"] == f"what-if: {name}").all()
    assert (edits["source"] == "user").all()
    assert view.edits_since == 1
    # Stale rows cannot be applied until projected again.
    send(view, {"type": "apply", "intervention": "exclude_label_issues"})
    assert "project again" in view.error and len(state.log) == 3
    assert state.undo() and state.labels.equals(labels_before)
    for bad in ({"type": "apply"}, {"type": "apply", "intervention": "<b>x</b>"}):
        send(view, bad)
        assert view.error.startswith("Refused")
    dash.close()


def test_a_pred_probs_only_dashboard_says_what_if_needs_features():
    from dcml_widgets.analysis.pipeline import analyze
    from tests.analysis.test_pred_probs_only import model_outputs

    probs, labels, _ = model_outputs(150, n_classes=3, seed=5)
    df = pd.DataFrame({"y": labels})
    state = dw.DatasetState(df, "y", report=analyze(df, "y", pred_probs=probs, progress=False))
    dash = dw.Dashboard(state)
    send(dash.whatif_panel, {"type": "compute"})
    dash.what_if_runs.wait(60)
    assert "needs features= or a model" in dash.whatif_panel.status
    assert dash.whatif_panel.rows == [] and not dash.whatif_panel.busy
    dash.close()
