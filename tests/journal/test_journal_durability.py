"""Durability: fsync before return, acknowledged edits survive SIGKILL, the OS file lock."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dcml_widgets.journal import JournalLockedError, TornJournalWarning
from dcml_widgets.state import DatasetState

ROOT = Path(__file__).resolve().parents[2]

# The child builds the same frame as frame() below.
CHILD_PRELUDE = """
import sys
import numpy as np, pandas as pd
from dcml_widgets.state import DatasetState
df = pd.DataFrame({"y": np.array(["a", "b"], dtype=object)[np.arange(200) % 2]})
state = DatasetState(df, "y", journal=sys.argv[1])
"""


def frame() -> pd.DataFrame:
    return pd.DataFrame({"y": np.array(["a", "b"], dtype=object)[np.arange(200) % 2]})


def child(code: str, journal: Path) -> subprocess.Popen:
    script = textwrap.dedent(CHILD_PRELUDE) + textwrap.dedent(code)
    return subprocess.Popen(
        [sys.executable, "-c", script, str(journal)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(proc: subprocess.Popen, word: str) -> None:
    line = proc.stdout.readline().strip()
    if line != word:
        proc.kill()
        raise AssertionError(f"child said {line!r}, not {word!r}; stderr: {proc.stderr.read()}")


def test_every_command_fsyncs_before_it_returns(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "j.jsonl"
    state = DatasetState(frame(), "y", journal=path)
    events: list = []
    real_fsync = os.fsync

    def recording_fsync(fd: int) -> None:
        real_fsync(fd)
        events.append(("fsync", os.fstat(fd).st_size, state.version))

    monkeypatch.setattr(os, "fsync", recording_fsync)
    commands = {
        "relabel": lambda: state.relabel([0, 2, 4], "b"),
        "revert": lambda: state.revert([0]),
        "exclude": lambda: state.exclude(list(range(150))),
        "restore": lambda: state.restore([5]),
        "mark_reviewed": lambda: state.mark_reviewed(7),
        "note": lambda: state.note(8, "why"),
        "add_class": lambda: state.add_class("c"),
        "undo": state.undo,
        "redo": state.redo,
    }
    for name, command in commands.items():
        before = len(events)
        version = state.version
        command()
        size = path.stat().st_size
        mine = [e for e in events[before:] if e[0] == "fsync"]
        assert mine, f"{name} returned without an fsync"
        # the fsync that made the line durable happened before the change was visible
        assert any(s == size and v == version for _, s, v in mine), (name, mine, size)
        assert state.version == version + 1
    state.close()


def test_acknowledged_edits_survive_sigkill(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    proc = child(
        """
        i = 0
        while True:
            state.note(i % 200, f"edit {i}")
            print(f"ack {i}", flush=True)
            i += 1
        """,
        path,
    )
    acked = []
    while len(acked) < 40:
        line = proc.stdout.readline()
        assert line, proc.stderr.read()
        acked.append(int(line.split()[1]))
    os.kill(proc.pid, signal.SIGKILL)  # mid-stream: the child keeps editing until now
    rest, _ = proc.communicate()
    acked += [int(line.split()[1]) for line in rest.splitlines()]
    assert proc.returncode == -signal.SIGKILL
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TornJournalWarning)  # a cut line is allowed
        state = DatasetState(frame(), "y", journal=path)
    assert state.resumed_edits >= len(acked)
    log = state.edits
    for i in acked:
        assert log.loc[log["group"] == i, "new"].tolist() == [f"edit {i}"]
    state.note(0, "after the crash")  # appending works on the recovered file
    state.close()
    resumed = DatasetState(frame(), "y", journal=path)
    assert resumed.rows.note_at(0) == "after the crash" and resumed.journal_torn == 0
    resumed.close()


def test_second_process_gets_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    proc = child(
        """
        state.relabel(0, "b")
        print("ready", flush=True)
        sys.stdin.readline()
        state.close()
        print("closed", flush=True)
        sys.stdin.readline()
        """,
        path,
    )
    try:
        wait_for(proc, "ready")
        with pytest.raises(JournalLockedError, match="in use by another process"):
            DatasetState(frame(), "y", journal=path)
        proc.stdin.write("go\n")
        proc.stdin.flush()
        wait_for(proc, "closed")
        with DatasetState(frame(), "y", journal=path) as state:  # released: it opens
            assert state.labels[0] == "b"
    finally:
        proc.kill()
        proc.communicate()


def test_no_stale_lock_after_sigkill(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    proc = child(
        """
        state.exclude([3, 4])
        print("ready", flush=True)
        sys.stdin.readline()
        """,
        path,
    )
    wait_for(proc, "ready")
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate()
    with DatasetState(frame(), "y", journal=path) as state:  # the kernel died: no lock left
        assert state.rows.excluded_mask[[3, 4]].all() and state.resumed_edits == 1
