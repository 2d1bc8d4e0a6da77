"""A damaged journal is refused naming file and line, or truncated to its good prefix on request;
a newer format version is never truncated; version 2 headers come with the fields that need them."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import dcml_widgets as dw
from dcml_widgets.journal import (
    Journal,
    JournalDamagedError,
    JournalRepairedWarning,
    JournalVersionError,
    parse_journal,
)
from dcml_widgets.state import DatasetState


def frame(n: int = 10) -> pd.DataFrame:
    return pd.DataFrame({"y": np.array(["a", "b", "c"], dtype=object)[np.arange(n) % 3]})


def written(path: Path) -> bytes:
    """A journal of four commands on frame(): relabel 0, 1, 2 to c, then exclude 4."""
    with DatasetState(frame(), "y", journal=path) as state:
        state.relabel(0, "c")
        state.relabel(1, "c")
        state.relabel(2, "a")
        state.exclude(4)
    return path.read_bytes()


def damaged_copy(path: Path, line: int, replacement: bytes) -> tuple[bytes, bytes]:
    """Replace line ``line`` (1-based) of the journal; return (good prefix, the rest)."""
    lines = path.read_bytes().splitlines(keepends=True)
    lines[line - 1] = replacement
    path.write_bytes(b"".join(lines))
    return b"".join(lines[: line - 1]), b"".join(lines[line - 1 :])


def aside_files(path: Path) -> list[Path]:
    return sorted(path.parent.glob(f"{path.name}.damaged-*"))


@pytest.mark.parametrize(
    ("line", "bad", "what"),
    [
        (3, b'{"group": 1, "seq": 1, "ti\n', "not a JSON line"),  # garbled mid-file line
        (3, b'{"group": 7, "seq": 1, "time": 1.0, "field": "label"}\n', "cannot be replayed"),
        (1, b'{"hello": "world"}\n', "not a dcml journal"),  # a bad header
    ],
)
def test_damage_is_refused_with_file_and_line_and_the_file_is_untouched(
    tmp_path: Path, line: int, bad: bytes, what: str
) -> None:
    path = tmp_path / "j.jsonl"
    written(path)
    damaged_copy(path, line, bad)
    before = path.read_bytes()
    with pytest.raises(JournalDamagedError, match=what) as caught:
        DatasetState(frame(), "y", journal=path)
    message = str(caught.value)
    assert str(path) in message and f"line {line}" in message
    assert "journal_damage='truncate'" in message  # the way on
    assert caught.value.line == line
    assert path.read_bytes() == before and not aside_files(path)


@pytest.mark.parametrize(
    ("line", "bad", "kept_groups"),
    [
        (3, b'{"group": 1, "seq": 1, "ti\n', 1),
        (
            4,
            b'{"group": 2, "seq": 2, "time": 1.0, "field": "label", "source": "api", '
            b'"ids": [2], "old": ["z"], "new": ["a"]}\n',
            2,
        ),
        (1, b"not json at all\n", 0),
    ],
)
def test_truncate_keeps_the_good_prefix_and_moves_the_rest_beside_it(
    tmp_path: Path, line: int, bad: bytes, kept_groups: int
) -> None:
    path = tmp_path / "j.jsonl"
    written(path)
    good, rest = damaged_copy(path, line, bad)
    with pytest.warns(JournalRepairedWarning, match=f"line {line}"):
        state = DatasetState(frame(), "y", journal=path, journal_damage="truncate")
    try:
        (aside,) = aside_files(path)
        assert aside.read_bytes() == rest  # nothing deleted: moved, byte for byte
        assert state.resumed_edits == kept_groups and len(state.log) == kept_groups
        expected = frame()["y"].tolist()
        for row, label in [(0, "c"), (1, "c"), (2, "a")][:kept_groups]:
            expected[row] = label
        assert state.labels.tolist() == expected
        status = state.journal_status
        assert status["repaired"]["line"] == line and status["repaired"]["moved_to"] == str(aside)
        if line > 1:
            assert path.read_bytes() == good
        state.relabel(9, "b")  # appends cleanly after the kept prefix
    finally:
        state.close()
    clean = dw.apply_edits(frame(), path)
    assert clean["y"].tolist()[9] == "b" and len(parse_journal(path.read_bytes()).records) == (
        kept_groups + 1
    )


def test_a_newer_format_version_is_never_truncated(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    written(path)
    header = json.loads(path.read_text().splitlines()[0])
    damaged_copy(path, 1, (json.dumps({**header, "version": 99}) + "\n").encode())
    before = path.read_bytes()
    for damage in ("raise", "truncate"):
        with pytest.raises(JournalVersionError, match=r"version 99.*Upgrade dcml-widgets"):
            DatasetState(frame(), "y", journal=path, journal_damage=damage)
    assert path.read_bytes() == before and not aside_files(path)


def test_journal_damage_must_be_a_known_mode(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="journal_damage="):
        DatasetState(frame(), "y", journal=tmp_path / "j.jsonl", journal_damage="ignore")


def test_a_record_that_needs_version_2_upgrades_the_header_in_place(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    written(path)
    assert json.loads(path.read_text().splitlines()[0])["version"] == 1  # version 1 reads
    header_line = path.read_bytes().split(b"\n")[0]
    record = json.loads(path.read_text().splitlines()[1])
    applied: list = []
    journal = Journal.open(path, json.loads(header_line), applied.append)
    journal.append({**record, "group": 4, "seq": 4, "author": "ana"})
    journal.close()
    data = path.read_bytes()
    new_header = json.loads(data.split(b"\n")[0])
    assert new_header["version"] == 2 and len(data.split(b"\n")[0]) == len(header_line)
    assert parse_journal(data).records[-1]["author"] == "ana" and len(applied) == 4
