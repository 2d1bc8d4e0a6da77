"""The dashboard's own panels: header, class balance (fast, on a real quick report)."""

from __future__ import annotations

import numpy as np
import pytest

import dcml_widgets as dw
from dcml_widgets.views.dashboard.balance_chart import BalanceChart
from dcml_widgets.views.dashboard.header import Header
from tests.factories import blobs_frame, quick_report


@pytest.fixture
def state():
    df, _ = blobs_frame(n=90, n_classes=3, n_flipped=9, seed=2)
    return dw.DatasetState(df, "y", report=quick_report(df))


def send(widget, content):
    widget._dispatch(widget, content, [])


def test_header_shows_the_facts_of_the_state_and_report(state):
    header = Header(state)
    report = state.report
    assert header.summary["n_rows"] == 90
    assert header.summary["n_classes"] == 3
    assert header.summary["accuracy"] == pytest.approx(report.accuracy)
    assert header.summary["embedding_method"] == "pca"
    counts = {d["issue"]: d["count"] for d in header.issues}
    assert counts["label"] == int(report.issues["is_label_issue"].sum())
    assert counts["outlier"] == 0
    assert [d["issue"] for d in header.issues][:2] == ["label", "outlier"]


def test_clicking_an_issue_count_selects_exactly_those_rows(state):
    header = Header(state)
    send(header, {"type": "select_issue", "issue": "label"})
    assert header.error == ""
    flagged = state.report.issues.index[state.report.issues["is_label_issue"]]
    assert list(state.selection) == list(flagged)
    assert len(flagged) > 0


def test_a_bad_issue_message_is_refused_visibly_and_changes_nothing(state):
    header = Header(state)
    state.select([1, 2])
    send(header, {"type": "select_issue", "issue": "no_such_issue"})
    assert "no_such_issue" in header.error
    send(header, {"type": "select_issue", "issue": 3})
    assert header.error.startswith("Refused")
    send(header, {"type": "action", "name": "format_disk"})
    assert "format_disk" in header.error
    assert list(state.selection) == [1, 2]


def test_header_counts_follow_edits_and_undo(state):
    header = Header(state)
    state.relabel([0, 1], "c2")
    state.exclude([5])
    expected_relabelled = int((state.labels != state.original_labels).sum())
    assert header.summary["n_edited"] == expected_relabelled
    assert header.summary["n_excluded"] == 1
    assert header.summary["n_edit_groups"] == 2
    state.undo()
    assert header.summary["n_excluded"] == 0


def test_header_action_is_carried_out_by_its_owner(state):
    done = []
    header = Header(state, on_action=lambda name: done.append(name) or f"did {name}")
    send(header, {"type": "action", "name": "export_csv"})
    assert done == ["export_csv"]
    assert header.status == "did export_csv"


def test_header_refreshes_when_the_report_is_replaced(state):
    header = Header(state)
    moved = state.report.replace(embedding_method="umap", accuracy=0.5)
    state.set_report(moved)
    assert header.summary["embedding_method"] == "umap"
    assert header.summary["accuracy"] == 0.5


def test_balance_chart_counts_match_the_cleaned_frame(state):
    chart = BalanceChart(state)
    state.relabel([0, 3, 6], "c1")
    state.exclude([1, 2])
    cleaned = state.to_dataframe()["y"].value_counts()
    expected = [int(cleaned.get(c, 0)) for c in state.classes]
    assert chart.now == expected
    original = state.original_labels.value_counts()
    assert chart.given == [int(original[c]) for c in state.classes]
    state.add_class("c9")
    assert chart.names == ["c0", "c1", "c2", "c9"]
    assert chart.counts["c9"] == 0 and len(chart.given) == len(chart.now) == 4


def test_closed_panels_stop_following_the_state(state):
    chart = BalanceChart(state)
    header = Header(state)
    before = list(chart.now)
    chart.close()
    header.close()
    state.relabel([0], "c1" if state.labels[0] != "c1" else "c2")
    assert chart.now == before
    assert header.summary["n_edit_groups"] == 0
    assert np.all(state.rows.label_codes[:1] != state.rows.original_codes[:1])
