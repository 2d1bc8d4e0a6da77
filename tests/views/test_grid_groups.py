"""The grid shows a row's conflict group in one message and resolves it in one command."""

from __future__ import annotations

import pandas as pd
import pytest

from dcml_widgets.analysis.pipeline import start_analysis
from dcml_widgets.state import DatasetState
from dcml_widgets.views.grid.relabel_grid import RelabelGrid
from tests.factories import blobs_frame
from tests.views.test_messages import comm_message


@pytest.fixture(scope="module")
def copies():
    """Blobs plus three exact copies of row 5 (ids 900…) with other labels: one group."""
    df, _ = blobs_frame(n=120, n_flipped=0)
    df = df.drop(columns="text")
    extra = pd.concat([df.loc[[5]]] * 3)
    extra.index = [900, 901, 902]
    extra["y"] = ["c0", "c1", "c0"]  # row 5 is c2
    assert df.loc[5, "y"] == "c2"
    df = pd.concat([df, extra])
    return df, start_analysis(df, "y", progress=False).first_look


def test_show_group_selects_the_rows_of_the_group(copies):
    df, report = copies
    state = DatasetState(df, "y", report=report)
    grid = RelabelGrid(state)
    grid._handle_msg(comm_message({"type": "show_group", "id": 901}))
    assert grid.error == ""
    assert sorted(state.selection) == [5, 900, 901, 902]


def test_resolve_group_is_one_bulk_command_and_one_undo_step(copies):
    df, report = copies
    state = DatasetState(df, "y", report=report)
    grid = RelabelGrid(state)
    state.exclude([902])  # excluded rows keep their label
    before = state.labels.copy()
    grid._handle_msg(comm_message({"type": "resolve_group", "id": 5, "label": "c2"}))
    assert grid.error == ""
    assert (state.labels.loc[[5, 900, 901]] == "c2").all()
    assert state.labels.loc[902] == before.loc[902]
    edits = state.edits
    last = edits[edits["group"] == edits["group"].max()]
    changed = {i for i in (5, 900, 901) if before.loc[i] != "c2"}  # 902 is excluded
    assert changed and set(last["row"]) == changed and set(last["source"]) == {"bulk"}
    assert state.undo()
    pd.testing.assert_series_equal(state.labels, before)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ({"type": "show_group", "id": 0}, "no conflict group"),
        ({"type": "show_group", "id": 12345}, "12345"),
        ({"type": "show_group", "id": [5]}, "row id"),
        ({"type": "resolve_group", "id": 5, "label": "<b>nope</b>"}, "Unknown class"),
        ({"type": "resolve_group", "id": 5, "label": True}, "Unknown class"),
    ],
)
def test_bad_group_messages_are_refused_and_change_nothing(copies, content, message):
    df, report = copies
    state = DatasetState(df, "y", report=report)
    grid = RelabelGrid(state)
    grid._handle_msg(comm_message(content))
    assert grid.error.startswith("Refused:") and message in grid.error
    assert len(state.edits) == 0 and len(state.selection) == 0


def test_the_header_counts_conflicting_labels_and_a_click_selects_them(copies):
    from dcml_widgets.views.dashboard.header import Header

    df, report = copies
    state = DatasetState(df, "y", report=report)
    header = Header(state)
    entry = next(e for e in header.issues if e["issue"] == "conflicting_label")
    assert entry["label"] == "conflicting labels" and entry["count"] == 4 and entry["selectable"]
    header._handle_msg(comm_message({"type": "select_issue", "issue": "conflicting_label"}))
    assert header.error == ""
    assert sorted(state.selection) == [5, 900, 901, 902]
