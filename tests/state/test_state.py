"""DatasetState commands, errors, events, undo/redo and outputs (in memory)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dcml_widgets.state import EDIT_COLUMNS, DatasetState
from tests.factories import blobs_frame, quick_report


@pytest.fixture
def df() -> pd.DataFrame:
    return pd.DataFrame(
        {"x": [0.5, 1.5, 2.5, 3.5, 4.5], "y": ["cat", "dog", "cat", "dog", "bird"]},
        index=pd.Index([10, 11, 12, 13, 14], name="rid"),
    )


@pytest.fixture
def state(df: pd.DataFrame) -> DatasetState:
    return DatasetState(df, "y")


def record(state: DatasetState) -> list:
    events: list = []
    state.on_change(events.append)
    return events


# ---------------------------------------------------------------------- construction
def test_ids_classes_and_labels(state: DatasetState, df: pd.DataFrame) -> None:
    assert list(state.ids) == [10, 11, 12, 13, 14]
    assert state.classes == ["bird", "cat", "dog"]
    assert state.rows.label_codes.tolist() == [1, 2, 1, 2, 0]
    pd.testing.assert_series_equal(state.labels, df["y"].rename("y"), check_index_type=False)
    assert state.n_rows == 5 and not state.can_undo and not state.can_redo
    assert len(state.edits) == 0 and list(state.edits.columns) == EDIT_COLUMNS


def test_id_column_is_used() -> None:
    df = pd.DataFrame({"key": ["a", "b", "c"], "y": [1, 2, 1]})
    state = DatasetState(df, "y", id_column="key")
    assert list(state.ids) == ["a", "b", "c"]
    state.relabel("b", 1)
    assert state.labels.to_dict() == {"a": 1, "b": 1, "c": 1}


@pytest.mark.parametrize(
    ("frame", "kwargs", "error", "match"),
    [
        (pd.DataFrame({"y": [1, 2]}, index=[0, 0]), {}, ValueError, "unique"),
        (pd.DataFrame({"y": [1, 2]}), {"label": "z"}, KeyError, "label="),
        (pd.DataFrame({"y": pd.Series([], dtype=int)}), {}, ValueError, "empty"),
        (pd.DataFrame({"y": [1, 2]}, index=[0.5, 1.5]), {}, ValueError, "id_column="),
        (
            pd.DataFrame({"y": [1, 2]}, index=pd.to_datetime(["2020", "2021"])),
            {},
            ValueError,
            "id_column=",
        ),
        (pd.DataFrame({"y": [1, 2]}, index=[1, "a"]), {}, ValueError, "id_column="),
        (pd.DataFrame({"y": [1, 2], "k": [1, 1]}), {"id_column": "k"}, ValueError, "id_column="),
        (pd.DataFrame({"y": [1, 2]}), {"id_column": "nope"}, KeyError, "id_column="),
        (pd.DataFrame({"y": [1, 2]}, index=[0, None]), {}, ValueError, "id_column="),
    ],
)
def test_bad_frames_are_refused(frame, kwargs, error, match) -> None:
    kwargs = {"label": "y", **kwargs}
    with pytest.raises(error, match=match):
        DatasetState(frame, **kwargs)


def test_not_a_frame_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="DataFrame"):
        DatasetState({"y": [1]}, "y")


# ---------------------------------------------------------------------- commands
def test_relabel_one_and_many(state: DatasetState) -> None:
    events = record(state)
    state.relabel(10, "dog", reason="looks like a dog")
    state.relabel([11, 12, 13], "bird", source="bulk")
    assert state.labels.tolist() == ["dog", "bird", "bird", "bird", "bird"]
    e = state.edits
    assert e["group"].tolist() == [0, 1, 1, 1]
    assert e["seq"].tolist() == [0, 1, 2, 3]
    assert e["row"].tolist() == [10, 11, 12, 13]
    assert e["old"].tolist() == ["cat", "dog", "cat", "dog"]
    assert e["new"].tolist() == ["dog", "bird", "bird", "bird"]
    assert e["source"].tolist() == ["api", "bulk", "bulk", "bulk"]
    assert e["reason"].tolist() == ["looks like a dog", None, None, None]
    assert set(e["field"]) == {"label"}
    assert len(events) == 2  # one event per command, not per row
    assert events[1].field == "label" and list(events[1].ids) == [11, 12, 13]
    assert events[1].positions.tolist() == [1, 2, 3] and events[1].source == "bulk"


def test_codes_at_reads_current_labels_of_some_rows(state: DatasetState) -> None:
    state.add_class("ant")
    state.relabel([11, 14], "ant")
    # classes: bird, cat, dog (original, sorted), then ant (added)
    assert state.rows.codes_at(np.array([4, 0, 1])).tolist() == [3, 1, 3]
    state.undo()
    assert state.rows.codes_at([1, 4]).tolist() == [2, 0]
    assert state.rows.codes_at([]).tolist() == []


def test_positional_accessors_read_only_the_rows_asked_for(state: DatasetState) -> None:
    state.relabel(14, "cat")
    state.exclude([11, 14])
    state.mark_reviewed(12)
    # originals: cat, dog, cat, dog, bird; classes bird, cat, dog
    assert state.rows.original_codes_at(np.array([4, 0, 1])).tolist() == [0, 1, 2]
    assert state.rows.codes_at([4]).tolist() == [1]
    assert state.rows.excluded_at([4, 0, 1]).tolist() == [True, False, True]
    assert state.rows.reviewed_at([2, 3]).tolist() == [True, False]
    assert state.rows.original_codes_at([]).dtype == np.int32
    assert state.rows.excluded_at([]).tolist() == [] and state.rows.reviewed_at([]).dtype == bool
    flags = state.rows.excluded_at([1])
    flags[0] = False  # a new array: writing to it changes nothing in the state
    assert state.rows.excluded_mask.tolist() == [False, True, False, False, True]


def test_relabel_to_same_label_logs_nothing(state: DatasetState) -> None:
    events = record(state)
    state.relabel([10, 12], "cat")
    assert len(state.edits) == 0 and not state.can_undo and events == []
    state.relabel([10, 11], "cat")  # only 11 changes
    assert state.edits["row"].tolist() == [11]


def test_unknown_id_and_class_change_nothing(state: DatasetState) -> None:
    before = state.labels.copy()
    with pytest.raises(KeyError, match="99"):
        state.relabel([10, 99], "dog")
    with pytest.raises(ValueError, match="add_class"):
        state.relabel(10, "horse")
    with pytest.raises(KeyError):
        state.exclude(["10"])  # a str is not the int id 10
    with pytest.raises(TypeError, match="mask"):
        state.exclude(np.array([True, False, True, False, True]))
    pd.testing.assert_series_equal(state.labels, before)
    assert len(state.edits) == 0 and not state.rows.excluded_mask.any()


def test_add_class_then_relabel(state: DatasetState) -> None:
    state.add_class("horse")
    assert state.classes == ["bird", "cat", "dog", "horse"]
    state.relabel(10, "horse")
    assert state.labels[10] == "horse"
    e = state.edits
    assert e.iloc[0][["field", "row", "old", "new"]].tolist() == ["class", None, None, "horse"]
    with pytest.raises(ValueError, match="exists"):
        state.add_class("horse")
    with pytest.raises(ValueError, match="name"):
        state.add_class("")
    with pytest.raises(TypeError):
        state.add_class(("a", "b"))


def test_exclude_restore_review_note(state: DatasetState) -> None:
    state.exclude([11, 13], reason="duplicate")
    state.exclude(11)  # already excluded: nothing
    state.mark_reviewed([10, 11])
    state.note(12, "blurry photo")
    state.restore(13)
    assert state.rows.excluded_mask.tolist() == [False, True, False, False, False]
    assert state.rows.reviewed_mask.tolist() == [True, True, False, False, False]
    assert state.notes.to_dict() == {12: "blurry photo"} and state.rows.note_at(2) == "blurry photo"
    e = state.edits
    assert e["field"].tolist() == [
        "excluded",
        "excluded",
        "reviewed",
        "reviewed",
        "note",
        "excluded",
    ]
    assert e["group"].tolist() == [0, 0, 1, 1, 2, 3]
    assert e["old"].tolist() == [False, False, False, False, None, True]
    assert e["new"].tolist() == [True, True, True, True, "blurry photo", False]
    assert e["reason"].tolist()[:2] == ["duplicate", "duplicate"]
    state.note(12, "")  # an empty note removes it
    assert state.notes.empty and state.edits["new"].iloc[-1] is None


def test_note_errors(state: DatasetState) -> None:
    with pytest.raises(TypeError, match="text"):
        state.note(10, 5)
    with pytest.raises(ValueError, match="one row"):
        state.note([10, 11], "x")
    with pytest.raises(KeyError):
        state.note(99, "x")
    assert len(state.edits) == 0


def test_revert(state: DatasetState) -> None:
    state.relabel([10, 11], "bird")
    state.revert([10, 11, 12])
    assert state.labels.tolist() == ["cat", "dog", "cat", "dog", "bird"]
    assert state.edits["group"].tolist() == [0, 0, 1, 1]  # 12 was unchanged
    assert not state.edited.any()


def test_accept_suggestion_uses_report() -> None:
    df, _ = blobs_frame(n=90, n_flipped=6)
    report = quick_report(df)
    state = DatasetState(df, "y", report=report)
    suggested = report.issues["suggested_label"]
    has = suggested.notna()
    assert has.any()
    state.accept_suggestion(df.index)  # rows without a suggestion are left alone
    expected = df["y"].where(~has, suggested)
    assert state.labels.tolist() == expected.tolist()
    assert set(state.edits["source"]) == {"suggestion"}
    assert state.edits["group"].nunique() == 1
    without = df.index[~has][:2]
    with pytest.raises(ValueError, match="relabel"):
        state.accept_suggestion(without)


def test_accept_suggestion_without_report(state: DatasetState) -> None:
    with pytest.raises(ValueError, match="report"):
        state.accept_suggestion(10)


def test_bad_source_and_reason(state: DatasetState) -> None:
    with pytest.raises(ValueError, match="source"):
        state.relabel(10, "dog", source="robot")
    with pytest.raises(TypeError, match="reason"):
        state.relabel(10, "dog", reason=3)
    assert len(state.edits) == 0


# ---------------------------------------------------------------------- undo / redo
def test_undo_redo_append_compensating_groups(state: DatasetState) -> None:
    state.relabel([10, 11], "bird")
    state.exclude(12)
    assert state.undo() and state.undo()
    assert state.labels.tolist() == ["cat", "dog", "cat", "dog", "bird"]
    assert not state.rows.excluded_mask.any() and not state.can_undo and state.can_redo
    assert state.redo()
    assert state.labels.tolist()[:2] == ["bird", "bird"]
    e = state.edits
    assert e["group"].tolist() == [0, 0, 1, 2, 3, 3, 4, 4]
    assert e["source"].tolist() == ["api"] * 3 + ["undo"] * 3 + ["redo"] * 2
    # nothing was rewritten: the first entries are exactly what they were
    assert e["new"].tolist()[:3] == ["bird", "bird", True]
    assert e["old"].tolist()[3:6] == [True, "bird", "bird"]


def test_new_command_clears_redo(state: DatasetState) -> None:
    state.relabel(10, "dog")
    state.undo()
    assert state.can_redo
    state.mark_reviewed(11)
    assert not state.can_redo and not state.redo()


def test_undo_with_nothing(state: DatasetState) -> None:
    assert state.undo() is False and state.redo() is False and len(state.edits) == 0


def test_undo_add_class(state: DatasetState) -> None:
    state.add_class("horse")
    state.relabel([10, 11], "horse")
    state.undo()  # the relabel comes off first (one undo step)
    assert state.classes == ["bird", "cat", "dog", "horse"]
    state.undo()  # then add_class
    assert state.classes == ["bird", "cat", "dog"]
    assert state.edits["field"].tolist()[-1] == "class"
    assert state.edits["source"].tolist()[-1] == "undo"
    with pytest.raises(ValueError, match="add_class"):
        state.relabel(10, "horse")
    state.redo()
    assert state.classes == ["bird", "cat", "dog", "horse"]
    state.redo()
    assert state.labels.tolist()[:2] == ["horse", "horse"]


def test_undo_add_class_refused_while_rows_carry_it() -> None:
    df, _ = blobs_frame(n=60, n_flipped=0)
    state = DatasetState(df, "y")
    state.add_class("zz")
    state.undo()
    # a report that knows "zz" brings it back outside the log; rows get it; redo and undo
    report = quick_report(df).replace(classes=np.array(["c0", "c1", "c2", "zz"], dtype=object))
    state.set_report(report)
    state.redo()
    state._core.values.codes[0] = state.rows.class_table.index("zz")  # as if a row carried it
    with pytest.raises(ValueError, match="rows still carry"):
        state.undo()
    assert "zz" in state.classes and state.can_undo


def test_undo_add_class_keeps_codes_of_later_classes() -> None:
    df, _ = blobs_frame(n=60, n_flipped=0)
    state = DatasetState(df, "y")
    state.add_class("new")
    report = quick_report(df).replace(classes=np.array(["c0", "c1", "c2", "zz"], dtype=object))
    state.set_report(report)  # brings class "zz" after "new"
    state.relabel(0, "zz")
    state.undo()  # relabel
    state.relabel(1, "zz")
    assert state.classes[-1] == "zz"
    # undoing add_class("new") is now refused? no: it is below the relabel on the stack
    state.undo()  # relabel of row 1
    state.undo()  # add_class("new")
    assert "new" not in state.classes
    state.relabel(2, "zz")
    assert state.labels.iloc[2] == "zz"
    assert state.classes[state.rows.label_codes[2]] == "zz"


def test_undo_is_one_step_per_bulk_command(state: DatasetState) -> None:
    events = record(state)
    state.relabel([10, 11, 12, 13], "bird", source="bulk")
    state.undo()
    assert len(events) == 2 and events[1].source == "undo"
    assert list(events[1].ids) == [10, 11, 12, 13]
    assert state.labels.tolist() == ["cat", "dog", "cat", "dog", "bird"]


# ---------------------------------------------------------------------- view state
def test_select_and_focus_are_not_logged(state: DatasetState) -> None:
    events = record(state)
    state.select([13, 11])
    assert list(state.selection) == [11, 13]
    assert state.rows.selection.tolist() == [1, 3]
    state.focus = 12
    assert state.focus == 12
    assert [e.field for e in events] == ["selection", "focus"]
    assert len(state.edits) == 0 and not state.can_undo
    with pytest.raises(KeyError):
        state.select([99])
    assert list(state.selection) == [11, 13]
    with pytest.raises(KeyError):
        state.focus = 99
    assert state.focus == 12
    with pytest.raises(ValueError):
        state.select(positions=[7])
    state.focus = None
    state.select([])
    assert len(state.selection) == 0 and state.focus is None


def test_listener_errors_become_warnings(state: DatasetState) -> None:
    def broken(change) -> None:
        raise RuntimeError("view bug")

    seen: list = []
    state.on_change(broken)
    state.on_change(seen.append)
    with pytest.warns(RuntimeWarning, match="view bug"):
        state.relabel(10, "dog")
    assert state.labels[10] == "dog" and len(seen) == 1


def test_unsubscribe(state: DatasetState) -> None:
    seen: list = []
    off = state.on_change(seen.append)
    off()
    state.relabel(10, "dog")
    assert seen == []


def test_version_counts_changes(state: DatasetState) -> None:
    v = state.version
    state.relabel(10, "dog")
    state.relabel(10, "dog")  # no change, no event
    state.undo()
    assert state.version == v + 2


# ---------------------------------------------------------------------- outputs
def test_to_dataframe_applies_labels_and_drops_excluded(state: DatasetState, df) -> None:
    state.relabel(10, "bird")
    state.exclude([12, 14])
    out = state.to_dataframe()
    expected = pd.DataFrame(
        {"x": [0.5, 1.5, 3.5], "y": ["bird", "dog", "dog"]},
        index=pd.Index([10, 11, 13], name="rid"),
    ).astype({"y": df["y"].dtype})
    pd.testing.assert_frame_equal(out, expected)
    assert df["y"].tolist() == ["cat", "dog", "cat", "dog", "bird"]  # raw frame untouched


@pytest.mark.parametrize(
    ("labels", "new"),
    [
        (pd.Series([1, 2, 1, 3], dtype="int64"), 3),
        (pd.Series([1, 2, 1, 3], dtype="int32"), 3),
        (pd.Series([0.0, 1.0, np.nan, 1.0]), 0.0),
        (pd.Series(["a", "b", "a", "b"], dtype=object), "b"),
        (pd.Series(["a", "b", "a", None], dtype="string"), "b"),
        (pd.Series(["a", "b", "a", "b"], dtype="category"), "b"),
        (pd.Series([True, False, True, True]), False),
        (pd.Series([1, 2, None, 3], dtype="Int64"), 3),
    ],
)
def test_dtypes_kept(labels: pd.Series, new) -> None:
    df = pd.DataFrame({"f": [1.0, 2.0, 3.0, 4.0], "y": labels})
    state = DatasetState(df, "y")
    state.relabel(0, new)
    out = state.to_dataframe()
    assert out["y"].dtype == df["y"].dtype
    assert state.labels.dtype == df["y"].dtype
    assert out["y"].iloc[0] == new
    pd.testing.assert_series_equal(out["y"].iloc[1:], df["y"].iloc[1:])


def test_new_class_outside_dtype_falls_back_to_object() -> None:
    df = pd.DataFrame({"y": [1, 2, 1]})
    state = DatasetState(df, "y")
    state.add_class("other")
    assert state.labels.dtype == np.int64  # no row carries it yet
    state.relabel(0, "other")
    assert state.labels.tolist() == ["other", 2, 1]
    state.undo()
    assert state.labels.dtype == np.int64


def test_categorical_gains_added_class() -> None:
    df = pd.DataFrame({"y": pd.Categorical(["a", "b", "a"], categories=["b", "a", "c"])})
    state = DatasetState(df, "y")
    assert state.classes == ["a", "b", "c"]  # an unused category is a class too
    state.relabel(2, "c")
    state.add_class("d")
    state.relabel(1, "d")
    out = state.to_dataframe()["y"]
    assert list(out.cat.categories) == ["b", "a", "c", "d"]
    assert out.tolist() == ["a", "d", "c"]


def test_missing_original_labels_stay_missing() -> None:
    df = pd.DataFrame({"y": ["a", None, "b"]}, dtype=object)
    state = DatasetState(df, "y")
    assert state.rows.label_codes.tolist() == [0, -1, 1]
    state.relabel(1, "a")
    state.revert(1)
    assert state.labels.iloc[1] is None  # exactly the original missing value
    assert state.edits["old"].iloc[0] != state.edits["old"].iloc[0]  # NaN for missing


def test_edits_is_a_copy(state: DatasetState) -> None:
    state.relabel(10, "dog")
    e = state.edits
    e.loc[0, "new"] = "tampered"
    assert state.edits["new"].tolist() == ["dog"]
    state.relabel(11, "cat")
    assert state.edits["new"].tolist() == ["dog", "cat"]


def test_report_for_other_rows_is_refused(state: DatasetState) -> None:
    df, _ = blobs_frame(n=60)
    with pytest.raises(ValueError, match="other rows"):
        state.set_report(quick_report(df))
