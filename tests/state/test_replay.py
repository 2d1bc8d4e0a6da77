"""dw.apply_edits: replaying a journal onto fresh raw data gives the frame built by hand."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import dcml_widgets as dw
from dcml_widgets.journal import TornJournalWarning
from dcml_widgets.state import DatasetState


def raw() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "sku": ["s1", "s2", "s3", "s4", "s5", "s6"],
            "price": [1.5, 2.0, 3.25, 4.0, 5.5, 6.0],
            "qty": np.array([1, 2, 3, 4, 5, 6], dtype=np.int32),
            "y": ["cat", "dog", "cat", "dog", "bird", "cat"],
        },
        index=pd.Index([100, 101, 102, 103, 104, 105], name="row"),
    )


def test_edit_script_matches_hand_built_frame(tmp_path: Path) -> None:
    df = raw()
    path = tmp_path / "j.jsonl"
    with DatasetState(df, "y", journal=path) as state:
        state.relabel([100, 102], "dog")  # 100, 102: cat -> dog
        state.add_class("fish")
        state.relabel(104, "fish")  # 104: bird -> fish
        state.exclude([101, 105], reason="duplicates")
        state.restore(105)
        state.relabel(103, "cat")
        state.undo()  # 103 back to dog
        state.revert(102)  # 102 back to cat
        state.mark_reviewed([100, 101])
        state.note(100, "checked")
        state.relabel(105, "bird")
        state.undo()
        state.redo()  # 105 is bird
    expected = pd.DataFrame(
        {
            "sku": ["s1", "s3", "s4", "s5", "s6"],
            "price": [1.5, 3.25, 4.0, 5.5, 6.0],
            "qty": np.array([1, 3, 4, 5, 6], dtype=np.int32),
            "y": ["dog", "cat", "dog", "fish", "bird"],
        },
        index=pd.Index([100, 102, 103, 104, 105], name="row"),
    ).astype({"y": df["y"].dtype})
    out = dw.apply_edits(df, path)
    pd.testing.assert_frame_equal(out, expected)
    assert df["y"].tolist() == ["cat", "dog", "cat", "dog", "bird", "cat"]  # untouched


def test_id_column_and_int_labels(tmp_path: Path) -> None:
    df = pd.DataFrame(
        {"key": ["k3", "k1", "k2", "k0"], "f": [0.1, 0.2, 0.3, 0.4], "y": [0, 1, 1, 2]},
        index=[7, 7, 8, 8],  # a non-unique index: the ids come from "key"
    )
    path = tmp_path / "j.jsonl"
    with DatasetState(df, "y", id_column="key", journal=path) as state:
        state.relabel(["k1", "k0"], 0)
        state.exclude("k2")
    expected = pd.DataFrame(
        {"key": ["k3", "k1", "k0"], "f": [0.1, 0.2, 0.4], "y": [0, 0, 0]}, index=[7, 7, 8]
    )
    pd.testing.assert_frame_equal(dw.apply_edits(df, path, id_column="key"), expected)
    # the header names the id column, so the plain call finds the ids again
    pd.testing.assert_frame_equal(dw.apply_edits(df, path), expected)
    with pytest.raises(KeyError, match="id_column="):  # the data lost the id column
        dw.apply_edits(df.drop(columns="key"), path)


@pytest.mark.parametrize(
    ("labels", "relabel", "expected"),
    [
        (pd.Series([1, 2, 3], dtype="int64"), 3, pd.Series([3, 2, 3], dtype="int64")),
        (pd.Series(["a", "b", "c"], dtype=object), "c", pd.Series(["c", "b", "c"], dtype=object)),
        (
            pd.Series(["a", "b", "c"], dtype="category"),
            "c",
            pd.Series(pd.Categorical(["c", "b", "c"], categories=["a", "b", "c"])),
        ),
        (pd.Series([0.0, 1.0, np.nan]), 1.0, pd.Series([1.0, 1.0, np.nan])),
        (pd.Series([True, False, True]), False, pd.Series([False, False, True])),
    ],
)
def test_dtypes_survive_replay(tmp_path: Path, labels, relabel, expected) -> None:
    df = pd.DataFrame({"f": [1, 2, 3], "y": labels})
    path = tmp_path / "j.jsonl"
    with DatasetState(df, "y", journal=path) as state:
        state.relabel(0, relabel)
    out = dw.apply_edits(df, path)
    pd.testing.assert_series_equal(out["y"], expected.rename("y"))
    pd.testing.assert_series_equal(out["f"], df["f"])


def test_added_class_in_int_column_becomes_object(tmp_path: Path) -> None:
    df = pd.DataFrame({"y": [1, 2, 1]})
    path = tmp_path / "j.jsonl"
    with DatasetState(df, "y", journal=path) as state:
        state.add_class("other")
        state.relabel(2, "other")
    out = dw.apply_edits(df, path)
    pd.testing.assert_frame_equal(
        out, pd.DataFrame({"y": pd.Series([1, 2, "other"], dtype=object)})
    )


def test_replay_of_a_saved_copy_and_of_a_live_journal(tmp_path: Path) -> None:
    df = raw()
    live = tmp_path / "live.jsonl"
    state = DatasetState(df, "y", journal=live)
    state.exclude(list(df.index[:3]))
    # the live journal is locked by the state, but replay only reads it
    out = dw.apply_edits(df, live)
    pd.testing.assert_frame_equal(out, df.iloc[3:])
    saved = state.save(tmp_path / "saved.jsonl")
    pd.testing.assert_frame_equal(dw.apply_edits(df, saved), df.iloc[3:])
    state.close()


def test_big_groups_replay(tmp_path: Path) -> None:
    n = 3_000
    rng = np.random.default_rng(3)
    df = pd.DataFrame({"y": rng.integers(0, 4, n)})
    flip = np.sort(rng.choice(n, 1_000, replace=False))
    drop = np.sort(rng.choice(n, 500, replace=False))
    path = tmp_path / "j.jsonl"
    with DatasetState(df, "y", journal=path) as state:
        state.relabel(flip, 2, source="bulk")
        state.exclude(drop, source="bulk")
    y = df["y"].to_numpy().copy()
    y[flip] = 2
    keep = np.setdiff1d(np.arange(n), drop)
    expected = pd.DataFrame({"y": y}).iloc[keep]
    pd.testing.assert_frame_equal(dw.apply_edits(df, path), expected)


def test_replay_refuses_other_data_and_reports_torn_line(tmp_path: Path) -> None:
    df = raw()
    path = tmp_path / "j.jsonl"
    with DatasetState(df, "y", journal=path) as state:
        state.relabel(100, "bird")
    other = df.copy()
    other.loc[101, "y"] = "cat"
    with pytest.raises(ValueError, match="other data"):
        dw.apply_edits(other, path)
    with path.open("ab") as f:
        f.write(b'{"group": 1, "fie')
    with pytest.warns(TornJournalWarning):
        out = dw.apply_edits(df, path)
    assert out.loc[100, "y"] == "bird"
    with pytest.raises(FileNotFoundError):
        dw.apply_edits(df, tmp_path / "missing.jsonl")
