"""The journal on disk: format, resume, refusal of foreign data, torn lines, compact lines."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dcml_widgets.journal import (
    JournalSupersededError,
    TornJournalWarning,
    fingerprint,
    read_journal,
)
from dcml_widgets.journal.codec import SMALL_GROUP
from dcml_widgets.state import DatasetState


def frame(n: int = 8, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {"x": rng.normal(size=n), "y": np.array(["a", "b", "c"], dtype=object)[np.arange(n) % 3]}
    )


def lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def snapshot(state: DatasetState) -> dict:
    """Everything a resumed state must reproduce."""
    return {
        "labels": state.labels.tolist(),
        "excluded": state.rows.excluded_mask.tolist(),
        "reviewed": state.rows.reviewed_mask.tolist(),
        "notes": state.notes.to_dict(),
        "classes": state.classes,
        "edits": state.edits,
        "can_undo": state.can_undo,
        "can_redo": state.can_redo,
    }


def assert_same(a: dict, b: dict) -> None:
    pd.testing.assert_frame_equal(a.pop("edits"), b.pop("edits"))
    assert a == b


def test_header_and_one_line_per_command(tmp_path: Path) -> None:
    df = frame()
    path = tmp_path / "j.jsonl"
    with DatasetState(df, "y", journal=path) as state:
        assert state.journal_path == path
        header = lines(path)[0]
        assert list(header) == ["format", "version", "label", "n_rows", "fingerprint"]
        assert header["format"] == "dcml-journal" and header["version"] == 1
        assert header["label"] == "y" and header["n_rows"] == 8
        assert header["fingerprint"] == state.fingerprint == fingerprint(df.index, df["y"])
        state.relabel([1, 2], "a", reason="typo")
        state.add_class("d")
        state.note(3, "look again")
        state.select([1, 2])  # view state: not journaled
        state.focus = 4
        state.undo()
    body = lines(path)[1:]
    assert [r["field"] for r in body] == ["label", "class", "note", "note"]
    assert body[0]["ids"] == [1, 2] and body[0]["old"] == ["b", "c"]
    assert body[0]["new"] == ["a", "a"] and body[0]["reason"] == "typo"
    assert body[1]["new"] == "d" and body[1]["old"] is None
    assert body[3]["source"] == "undo" and body[3]["undoes"] == 2


def test_fingerprint_pins_ids_labels_and_order() -> None:
    ids, labels = pd.Index([1, 2, 3]), pd.Series(["a", "b", "a"])
    fp = fingerprint(ids, labels)
    assert fp == fingerprint(pd.Index([1, 2, 3]), ["a", "b", "a"])
    assert fp == fingerprint(ids, labels.astype("category"))  # same labels, other dtype
    assert fp != fingerprint(pd.Index([1, 3, 2]), labels)
    assert fp != fingerprint(ids, pd.Series(["a", "a", "b"]))
    assert fp != fingerprint(pd.Index(["1", "2", "3"]), labels)
    assert fp != fingerprint(ids, pd.Series([1, 2, 1]))
    assert fingerprint(pd.Index(["ab", "c"]), [1, 2]) != fingerprint(pd.Index(["a", "bc"]), [1, 2])


def test_resume_restores_everything(tmp_path: Path) -> None:
    df = frame(12)
    path = tmp_path / "j.jsonl"
    state = DatasetState(df, "y", journal=path)
    state.add_class("d")
    state.relabel([0, 1, 2], "d", source="bulk")
    state.exclude(5, reason="dup")
    state.mark_reviewed([6, 7])
    state.note(8, "odd")
    state.undo()
    state.undo()
    state.redo()
    expected = snapshot(state)
    state.close()
    resumed = DatasetState(df, "y", journal=path)
    assert resumed.resumed_edits == 8 and resumed.journal_torn == 0
    assert_same(snapshot(resumed), expected)
    # the stacks are the same too: the next undo/redo does the same thing
    resumed.redo()
    assert resumed.notes.to_dict() == {8: "odd"}
    resumed.undo()
    resumed.undo()
    assert not resumed.rows.reviewed_mask.any()
    resumed.close()


def test_foreign_journal_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    DatasetState(frame(), "y", journal=path).close()
    other = frame()
    other.loc[0, "y"] = "c"
    with pytest.raises(ValueError, match="other data"):
        DatasetState(other, "y", journal=path)
    with pytest.raises(ValueError, match="other data"):
        DatasetState(frame(9), "y", journal=path)
    DatasetState(frame(), "y", journal=path).close()  # the refusal released the lock


def test_not_a_journal_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text('{"hello": 1}\n')
    with pytest.raises(ValueError, match="not a dcml journal"):
        DatasetState(frame(), "y", journal=path)
    path.write_text(
        json.dumps({"format": "dcml-journal", "version": 99, "fingerprint": "x"}) + "\n"
    )
    with pytest.raises(ValueError, match="version"):
        DatasetState(frame(), "y", journal=path)
    with pytest.raises(ValueError, match="directory"):
        DatasetState(frame(), "y", journal=tmp_path)


def test_torn_last_line_is_ignored_reported_and_cut(tmp_path: Path) -> None:
    df = frame()
    path = tmp_path / "j.jsonl"
    with DatasetState(df, "y", journal=path) as state:
        state.relabel(1, "a")
        state.exclude(2)
        expected = snapshot(state)
    good = path.read_bytes()
    with path.open("ab") as f:  # a power cut in the middle of the third command's line
        f.write(b'{"group":2,"seq":2,"time":1.0,"field":"label","sour')
    with pytest.warns(TornJournalWarning, match="torn"):
        state = DatasetState(df, "y", journal=path)
    assert state.journal_torn > 0 and state.resumed_edits == 2
    assert_same(snapshot(state), expected)
    assert path.read_bytes() == good  # cut off before anything is appended
    state.mark_reviewed(3)
    state.close()
    body = lines(path)  # every line parses: the torn bytes did not glue onto the new one
    assert [r.get("field") for r in body[1:]] == ["label", "excluded", "reviewed"]
    resumed = DatasetState(df, "y", journal=path)
    assert resumed.journal_torn == 0 and resumed.rows.reviewed_mask[3]
    resumed.close()


def test_torn_line_of_garbage_with_newline(tmp_path: Path) -> None:
    df = frame()
    path = tmp_path / "j.jsonl"
    with DatasetState(df, "y", journal=path) as state:
        state.relabel(1, "a")
    with path.open("ab") as f:
        f.write(b"\x00\x00\x00\x00\n")
    with pytest.warns(TornJournalWarning):
        state = DatasetState(df, "y", journal=path)
    assert state.labels[1] == "a" and state.journal_torn == 5
    state.close()


def test_torn_header_starts_afresh(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    path.write_bytes(b'{"format":"dcml-jour')
    with pytest.warns(TornJournalWarning):
        state = DatasetState(frame(), "y", journal=path)
    state.close()
    assert lines(path)[0]["format"] == "dcml-journal"


def test_damaged_middle_line_is_an_error(tmp_path: Path) -> None:
    df = frame()
    path = tmp_path / "j.jsonl"
    with DatasetState(df, "y", journal=path) as state:
        state.relabel(1, "a")
        state.relabel(2, "a")
    text = path.read_text().splitlines()
    text[1] = text[1][:20]
    path.write_text("\n".join(text) + "\n")
    with pytest.raises(ValueError, match="line 2"):
        DatasetState(df, "y", journal=path)


def test_inconsistent_record_is_an_error(tmp_path: Path) -> None:
    df = frame()
    path = tmp_path / "j.jsonl"
    with DatasetState(df, "y", journal=path) as state:
        state.relabel(1, "a")
    body = lines(path)
    body[1]["old"] = ["c"]  # row 1 was "b": this line does not follow from the data
    path.write_text("\n".join(json.dumps(r) for r in body) + "\n")
    with pytest.raises(ValueError, match="cannot be replayed"):
        DatasetState(df, "y", journal=path)


def test_a_newer_state_in_this_kernel_takes_the_journal_over(tmp_path: Path) -> None:
    # Running `state = DatasetState(df, "y", journal="edits.jsonl")` twice in one kernel.
    path = tmp_path / "j.jsonl"
    first = DatasetState(frame(), "y", journal=path)
    first.relabel(0, "b")
    first.exclude(3)
    second = DatasetState(frame(), "y", journal=path)  # no JournalLockedError
    assert second.resumed_edits == 2
    assert second.labels[0] == "b" and bool(second.excluded[3])
    assert first.journal_status["superseded_by"].startswith("a newer DatasetState")
    # The earlier state refuses edits it could not save, and changes nothing.
    before = first.labels.copy()
    with pytest.raises(JournalSupersededError, match="taken over by a newer DatasetState"):
        first.relabel(1, "a")
    with pytest.raises(RuntimeError):
        first.undo()
    assert first.labels.equals(before) and len(first.log) == 2
    second.relabel(2, "a")
    assert len(lines(path)) == 1 + 3  # header + every acknowledged command, none lost
    # Its own close() leaves it usable in memory only; the file stays the newer state's.
    first.close()
    first.relabel(1, "a")
    assert first.journal_path is None and len(lines(path)) == 4
    second.close()
    third = DatasetState(frame(), "y", journal=path)
    assert third.resumed_edits == 3 and third.labels[2] == "a"
    third.close()


def test_big_groups_are_compact_small_groups_readable(tmp_path: Path) -> None:
    n, k = 20_000, 5_000
    df = frame(n)
    ids = np.sort(np.random.default_rng(1).choice(n, k, replace=False))
    path = tmp_path / "j.jsonl"
    with DatasetState(df, "y", journal=path) as state:
        state.relabel(ids[:SMALL_GROUP], "a")
        size = path.stat().st_size
        state.relabel(ids, "c", source="bulk")
        big = path.stat().st_size - size
        state.undo()
        expected = snapshot(state)
    body = lines(path)
    assert "ids" in body[1] and "rows" in body[2] and "ids" not in body[2]
    assert big < 2 * k  # under two bytes a row (a list of ids would be ~6+)
    with DatasetState(df, "y", journal=path) as resumed:
        assert_same(snapshot(resumed), expected)


def test_refused_write_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    with DatasetState(frame(), "y", journal=path) as state:
        size = path.stat().st_size
        with pytest.raises(ValueError, match="infinite"):
            state.add_class(float("inf"))
        assert path.stat().st_size == size and len(state.edits) == 0
        assert float("inf") not in state.classes


def test_non_json_labels_cannot_be_journaled(tmp_path: Path) -> None:
    df = pd.DataFrame({"y": pd.to_datetime(["2020-01-01", "2021-01-01", "2020-01-01"])})
    state = DatasetState(df, "y", journal=tmp_path / "j.jsonl")
    with pytest.raises(ValueError, match="str, int, float or bool"):
        state.relabel(0, state.classes[1])
    assert state.labels.iloc[0] == pd.Timestamp("2020-01-01")
    state.close()


def test_save_writes_a_complete_copy(tmp_path: Path) -> None:
    df = frame()
    live = tmp_path / "live.jsonl"
    state = DatasetState(df, "y", journal=live)
    state.relabel(0, "c")
    state.exclude([1, 2])
    state.undo()
    copy = state.save(tmp_path / "sub" / "copy.jsonl")
    assert copy.read_bytes().split(b"\n")[1:] == live.read_bytes().split(b"\n")[1:]
    with pytest.raises(ValueError, match="live journal"):
        state.save(live)
    expected = snapshot(state)
    state.close()
    with DatasetState(df, "y", journal=copy) as resumed:
        assert_same(snapshot(resumed), expected)
    memory = DatasetState(df, "y")
    memory.relabel(3, "b")
    saved = memory.save(tmp_path / "memory.jsonl")
    assert read_journal(saved).records[0]["ids"] == [3]


def test_resume_without_the_report_that_brought_a_class(tmp_path: Path) -> None:
    from tests.factories import blobs_frame, quick_report

    df, _ = blobs_frame(n=60, n_flipped=0)
    report = quick_report(df).replace(classes=np.array(["c0", "c1", "c2", "zz"], dtype=object))
    path = tmp_path / "j.jsonl"
    with DatasetState(df, "y", journal=path, report=report) as state:
        state.relabel([0, 1], "zz")  # "zz" came with the report, not from add_class
    with DatasetState(df, "y", journal=path) as resumed:
        assert resumed.labels.iloc[:2].tolist() == ["zz", "zz"]
        assert "zz" in resumed.classes
