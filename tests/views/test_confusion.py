"""ConfusionMatrix browser messages: a click selects exactly a cell's rows; bad ones are refused."""

from __future__ import annotations

import numpy as np
import pytest

from dcml_widgets.state import DatasetState
from dcml_widgets.views.confusion.matrix import ConfusionMatrix
from tests.factories import blobs_frame, quick_report


@pytest.fixture(scope="module")
def data():
    df, _ = blobs_frame(n=90, n_classes=3, n_flipped=9, seed=2)
    return df, quick_report(df)


@pytest.fixture
def cm(data):
    df, report = data
    view = ConfusionMatrix(DatasetState(df, "y", report=report))
    yield view
    view.close()


def send(view: ConfusionMatrix, **content) -> None:
    """Deliver a message the way the browser's model.send does."""
    view._dispatch(view, content, [])


def cell_ids_by_hand(state: DatasetState, given=None, predicted=None) -> set:
    keep = ~state.excluded.to_numpy()
    if given is not None:
        keep &= state.labels.to_numpy() == given
    if predicted is not None:
        keep &= state.report.predicted.to_numpy() == predicted
    return set(state.ids[keep])


def test_select_cell_selects_exactly_that_cells_rows(cm):
    state = cm.state
    send(cm, type="select_cell", row=1, col=0, add=False, revision=cm.revision)
    assert cm.error == ""
    assert set(state.selection) == cell_ids_by_hand(state, "c1", "c0")
    assert len(state.selection) == cm.matrix.loc["c1", "c0"] > 0
    assert cm.selected_cells == [[1, 0]]


def test_shift_click_adds_cells_and_keeps_both_highlighted(cm):
    state = cm.state
    send(cm, type="select_cell", row=1, col=0, add=False, revision=cm.revision)
    send(cm, type="select_cell", row=2, col=1, add=True, revision=cm.revision)
    want = cell_ids_by_hand(state, "c1", "c0") | cell_ids_by_hand(state, "c2", "c1")
    assert len(want) == 8
    assert set(state.selection) == want
    assert cm.selected_cells == [[1, 0], [2, 1]]


def test_class_names_select_whole_rows_and_columns(cm):
    state = cm.state
    state.exclude(list(state.ids[:4]))
    send(cm, type="select_class", axis="given", index=1, add=False, revision=cm.revision)
    assert set(state.selection) == cell_ids_by_hand(state, given="c1")
    assert cm.selected_cells == [[1, -1]]
    send(cm, type="select_class", axis="predicted", index=2, add=True, revision=cm.revision)
    want = cell_ids_by_hand(state, given="c1") | cell_ids_by_hand(state, predicted="c2")
    assert set(state.selection) == want
    assert not set(state.ids[:4]) & set(state.selection)  # excluded rows are not in any cell


def test_cells_follow_the_current_labels(cm):
    state = cm.state
    moved = list(state.ids[(state.labels == "c0").to_numpy()][:3])
    state.relabel(moved, "c2", source="bulk")
    col = list(state.classes).index(state.report.predicted[moved[0]])
    send(cm, type="select_cell", row=2, col=col, add=False, revision=cm.revision)
    assert moved[0] in set(state.selection)
    assert set(state.selection) == cell_ids_by_hand(state, "c2", state.classes[col])


def test_highlight_clears_when_the_selection_changes_elsewhere(cm):
    send(cm, type="select_cell", row=1, col=1, add=False, revision=cm.revision)
    assert cm.selected_cells == [[1, 1]]
    cm.state.relabel(cm.state.ids[0], "c2")  # an edit keeps the highlight
    assert cm.selected_cells == [[1, 1]]
    cm.state.select([cm.state.ids[0]])  # another view selects
    assert cm.selected_cells == []


def test_python_api_matches_the_messages(cm):
    state = cm.state
    cm.select_cell("c1", "c0")
    assert set(state.selection) == cell_ids_by_hand(state, "c1", "c0")
    assert set(cm.cell_ids(None, "c0")) == cell_ids_by_hand(state, predicted="c0")
    with pytest.raises(ValueError, match="not a class"):
        cm.select_cell("nope", "c0")


BAD = [
    ({"type": "select_cell", "row": 3, "col": 0, "add": False}, "out of range"),
    ({"type": "select_cell", "row": -1, "col": 0, "add": False}, "out of range"),
    ({"type": "select_cell", "row": 0, "col": 99, "add": False}, "out of range"),
    ({"type": "select_cell", "row": "0", "col": 0, "add": False}, "integer"),
    ({"type": "select_cell", "row": 0.0, "col": 0, "add": False}, "integer"),
    ({"type": "select_cell", "row": True, "col": 0, "add": False}, "integer"),
    ({"type": "select_cell", "col": 0, "add": False}, "integer"),
    ({"type": "select_cell", "row": 0, "col": 0, "add": "yes"}, "true or false"),
    ({"type": "select_class", "axis": "diagonal", "index": 0, "add": False}, "axis"),
    ({"type": "select_class", "axis": "given", "index": 7, "add": False}, "out of range"),
    ({"type": "select_cell", "row": 0, "col": 0, "add": False, "revision": None}, "revision"),
    ({"type": "drop_table"}, "unknown type"),
]


@pytest.mark.parametrize(("message", "says"), BAD)
def test_malformed_messages_are_refused_visibly_and_change_nothing(cm, message, says):
    state = cm.state
    state.select(list(state.ids[:2]))
    cm.selected_cells = [[0, 0]]
    before = (state.selection.copy(), state.version, cm.revision, state.labels.copy())
    message = {"revision": cm.revision, **message}
    send(cm, **message)
    assert says in cm.error
    assert state.selection.equals(before[0])
    assert (state.version, cm.revision) == before[1:3]
    assert state.labels.equals(before[3])
    assert cm.selected_cells == [[0, 0]]


def test_stale_revision_is_refused_and_a_fresh_click_works(cm):
    state = cm.state
    seen = cm.revision
    state.relabel(state.ids[0], "c2")  # the matrix changed after the browser drew it
    send(cm, type="select_cell", row=0, col=0, add=False, revision=seen)
    assert "changed since that click" in cm.error
    assert len(state.selection) == 0
    send(cm, type="select_cell", row=0, col=0, add=False, revision=cm.revision)
    assert cm.error == ""
    assert set(state.selection) == cell_ids_by_hand(state, "c0", "c0")


def test_an_edit_that_moves_no_count_keeps_an_in_flight_click_valid(cm):
    state = cm.state
    state.exclude(state.ids[0])
    seen = cm.revision
    state.relabel(state.ids[0], "c2")  # an excluded row: no cell changes
    state.mark_reviewed(state.ids[1])
    assert cm.revision == seen
    send(cm, type="select_cell", row=2, col=2, add=False, revision=seen)
    assert cm.error == ""
    assert set(state.selection) == cell_ids_by_hand(state, "c2", "c2")


def test_a_replaced_report_makes_earlier_clicks_stale_even_with_equal_counts(cm):
    state = cm.state
    seen = cm.revision
    state.set_report(state.report.replace())
    assert cm.revision > seen
    send(cm, type="select_cell", row=0, col=0, add=False, revision=seen)
    assert "changed since that click" in cm.error


def test_without_a_report_a_click_is_refused(data):
    df, _ = data
    state = DatasetState(df, "y")
    view = ConfusionMatrix(state)
    send(view, type="select_cell", row=0, col=0, add=False, revision=view.revision)
    assert "no analysis report" in view.error
    assert len(state.selection) == 0
    view.close()


def test_grown_k_accepts_the_new_class_index(cm):
    state = cm.state
    send(cm, type="select_cell", row=3, col=0, add=False, revision=cm.revision)
    assert "out of range" in cm.error
    state.add_class("c3")
    state.relabel(list(state.ids[:2]), "c3")
    pred = state.report.predicted[state.ids[0]]
    col = state.classes.index(pred)
    send(cm, type="select_cell", row=3, col=col, add=False, revision=cm.revision)
    assert cm.error == ""
    assert set(state.selection) == cell_ids_by_hand(state, "c3", pred)
    assert np.frombuffer(cm.counts, "<u4").size == 16


def test_hostile_class_names_travel_as_plain_strings(data):
    df, _ = data
    df = df.copy()
    df["y"] = df["y"].map({"c0": "<img src=x onerror=alert(1)>", "c1": "a&b", "c2": "<b>c</b>"})
    view = ConfusionMatrix(DatasetState(df, "y", report=quick_report(df)))
    assert set(view.classes) == {"<img src=x onerror=alert(1)>", "a&b", "<b>c</b>"}
    view.close()


def test_state_must_be_a_dataset_state():
    with pytest.raises(TypeError, match="DatasetState"):
        ConfusionMatrix("not a state")
