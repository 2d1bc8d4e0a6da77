"""ConfusionMatrix counts under every state command, undo and redo, against pd.crosstab."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dcml_widgets.state import DatasetState
from dcml_widgets.views.confusion.counts import ConfusionCounts
from dcml_widgets.views.confusion.matrix import ConfusionMatrix
from tests.factories import blobs_frame, quick_report


def expected_counts(state: DatasetState) -> np.ndarray:
    """Independent count: crosstab of current labels vs predictions on non-excluded rows."""
    labels = state.labels.astype(object)
    predicted = state.report.predicted.astype(object)
    keep = ~state.excluded.to_numpy() & labels.notna().to_numpy()
    table = pd.crosstab(labels[keep].to_numpy(), predicted[keep].to_numpy())
    return table.reindex(index=state.classes, columns=state.classes, fill_value=0).to_numpy()


def expected_edited(state: DatasetState) -> np.ndarray:
    """Independent count of relabelled rows per cell (label differs from the original one,
    a missing original counting as different)."""
    labels = state.labels.astype(object)
    original = state.original_labels.astype(object)
    predicted = state.report.predicted.astype(object)
    keep = ~state.excluded.to_numpy() & labels.notna().to_numpy()
    keep &= original.isna().to_numpy() | (labels.to_numpy() != original.to_numpy())
    if not keep.any():
        return np.zeros((len(state.classes),) * 2, dtype=int)
    table = pd.crosstab(labels[keep].to_numpy(), predicted[keep].to_numpy())
    return table.reindex(index=state.classes, columns=state.classes, fill_value=0).to_numpy()


def check(cm: ConfusionMatrix) -> None:
    """The view's matrix, its wire buffers and its edited counts all match the crosstab."""
    state = cm.state
    want = expected_counts(state)
    k = len(state.classes)
    assert cm.classes == [str(c) for c in state.classes]
    np.testing.assert_array_equal(cm.matrix.to_numpy(), want)
    np.testing.assert_array_equal(np.frombuffer(cm.counts, dtype="<u4").reshape(k, k), want)
    wire_edited = np.frombuffer(cm.edited_counts, dtype="<u4").reshape(k, k)
    np.testing.assert_array_equal(wire_edited, expected_edited(state))
    excluded = state.excluded.to_numpy()
    assert cm.n_excluded == int(excluded.sum())
    unlabelled = state.labels.isna().to_numpy() | state.report.predicted.isna().to_numpy()
    assert cm.n_unlabelled == int((unlabelled & ~excluded).sum())


@pytest.fixture(scope="module")
def data():
    df, flipped = blobs_frame(n=90, n_classes=3, n_flipped=9, seed=1)
    return df, quick_report(df), flipped


@pytest.fixture
def cm(data):
    df, report, _ = data
    view = ConfusionMatrix(DatasetState(df, "y", report=report))
    yield view
    view.close()


def test_initial_counts_match_crosstab_and_off_diagonal_is_real(cm):
    check(cm)
    assert cm.matrix.to_numpy().sum() == cm.state.n_rows
    assert cm.matrix.to_numpy().trace() < cm.state.n_rows  # the flipped rows show up


def test_relabel_moves_rows_and_counts_them_as_edited(cm):
    state = cm.state
    before = cm.matrix.copy()
    ids = list(state.ids[state.labels.to_numpy() == "c0"][:4])
    predicted = state.report.predicted[ids]
    state.relabel(ids, "c1", source="bulk")
    check(cm)
    after = cm.matrix
    for p in predicted.unique():
        n = int((predicted == p).sum())
        assert after.loc["c0", p] == before.loc["c0", p] - n
        assert after.loc["c1", p] == before.loc["c1", p] + n
    assert cm.edited_matrix.to_numpy().sum() == 4


def test_relabel_to_same_label_changes_nothing(cm):
    revision = cm.revision
    state = cm.state
    state.relabel(state.ids[0], state.labels.iloc[0])
    assert cm.revision == revision
    check(cm)


def test_exclude_restore_revert_accept_suggestion_and_undo_redo(cm):
    state = cm.state
    ids = list(state.ids[:10])
    steps = [
        lambda: state.exclude(ids[:5]),
        lambda: state.relabel(ids[3:8], "c2"),
        lambda: state.restore(ids[:2]),
        lambda: state.revert(ids[3:6]),
        lambda: state.accept_suggestion(state.ids[state.report.issues["is_label_issue"]]),
        lambda: state.mark_reviewed(ids),
        lambda: state.note(ids[0], "looks odd"),
    ]
    for step in steps:
        step()
        check(cm)
    while state.can_undo:
        state.undo()
        check(cm)
    np.testing.assert_array_equal(cm.edited_matrix.to_numpy(), 0)
    while state.can_redo:
        state.redo()
        check(cm)


def test_add_class_grows_the_matrix_and_rows_can_move_into_it(cm):
    state = cm.state
    state.add_class("c9 new")
    assert cm.classes[-1] == "c9 new"
    check(cm)
    state.relabel(list(state.ids[:3]), "c9 new")
    check(cm)
    assert cm.matrix.loc["c9 new"].sum() == 3
    assert cm.matrix["c9 new"].sum() == 0  # the report never predicts a class it did not know
    state.undo()
    state.undo()  # removes the class again: K shrinks
    assert len(cm.classes) == 3
    check(cm)
    state.redo()
    check(cm)


def test_replaced_report_recounts_with_the_new_predictions(cm, data):
    _, report, _ = data
    state = cm.state
    state.relabel(list(state.ids[:5]), "c1")
    rolled = pd.Series(np.roll(report.predicted.to_numpy(), 7), index=report.predicted.index)
    revision = cm.revision
    state.set_report(report.replace(predicted=rolled))
    assert cm.revision > revision
    check(cm)


def test_missing_labels_are_left_out_and_reported(data):
    df, report, _ = data
    df = df.copy()
    df.loc[[2, 5, 7], "y"] = np.nan
    state = DatasetState(df, "y", report=report)
    view = ConfusionMatrix(state)
    check(view)
    assert view.n_unlabelled == 3
    assert view.matrix.to_numpy().sum() == len(df) - 3
    state.exclude([2, 9])
    check(view)
    assert view.n_unlabelled == 2
    state.relabel(5, "c0")
    check(view)
    assert view.n_unlabelled == 1
    view.close()


def test_no_report_gives_an_empty_matrix_until_one_is_set(data):
    df, report, _ = data
    state = DatasetState(df, "y")
    view = ConfusionMatrix(state)
    assert not view.has_report
    assert np.frombuffer(view.counts, "<u4").sum() == 0
    state.relabel(0, "c2")
    state.exclude(1)
    assert view.n_excluded == 1
    state.set_report(report)
    assert view.has_report
    check(view)
    view.close()


def test_integer_labels_and_string_ids(data):
    df, _, _ = data
    df = df.copy()
    df["y"] = df["y"].str[1:].astype(int)
    df.index = [f"r{i}" for i in range(len(df))]
    state = DatasetState(df, "y", report=quick_report(df))
    view = ConfusionMatrix(state)
    assert view.classes == ["0", "1", "2"]
    check(view)
    state.relabel(["r0", "r1"], 2)
    check(view)
    view.close()


def test_closed_view_stops_following(cm):
    revision = cm.revision
    cm.close()
    cm.state.relabel(cm.state.ids[0], "c2")
    assert cm.revision == revision


COMMANDS = st.lists(
    st.tuples(
        st.sampled_from(["relabel", "exclude", "restore", "revert", "undo", "redo", "add"]),
        st.lists(st.integers(0, 89), min_size=1, max_size=6),
        st.integers(0, 5),
    ),
    min_size=1,
    max_size=12,
)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(script=COMMANDS)
def test_any_command_sequence_keeps_counts_equal_to_crosstab(data, script):
    df, report, _ = data
    state = DatasetState(df, "y", report=report)
    view = ConfusionMatrix(state)
    try:
        for name, rows, pick in script:
            ids = list(state.ids[rows])
            if name == "relabel":
                state.relabel(ids, state.classes[pick % len(state.classes)])
            elif name == "exclude":
                state.exclude(ids)
            elif name == "restore":
                state.restore(ids)
            elif name == "revert":
                state.revert(ids)
            elif name == "add":
                state.add_class(f"new{len(state.classes)}")
            elif name == "undo":
                try:
                    state.undo()
                except ValueError:  # undoing add_class while rows carry it is refused
                    pass
            else:
                state.redo()
            check(view)
    finally:
        view.close()


def test_update_rows_touches_only_the_old_and_new_cells():
    given = np.array([0, 1, 2, 0, -1])
    predicted = np.array([0, 1, 1, 2, 0])
    counter = ConfusionCounts(given, predicted, np.zeros(5, bool), given.copy(), 3)
    touched = counter.update_rows(np.array([0, 0, 3]), np.array([2, 2, 1]), np.zeros(3, bool))
    assert sorted(touched.tolist()) == [0, 2, 5, 6]  # (0,0)->(2,0), (0,2)->(1,2)
    assert counter.counts.tolist() == [[0, 0, 0], [0, 1, 1], [1, 1, 0]]
    assert counter.edited.tolist() == [[0, 0, 0], [0, 0, 1], [1, 0, 0]]
    with pytest.raises(ValueError, match="grow"):
        counter.update_rows(np.array([1]), np.array([3]), np.zeros(1, bool))
    with pytest.raises(ValueError, match="shrink"):
        counter.grow(2)
