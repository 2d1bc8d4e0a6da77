"""A write the disk refuses, or a journal deleted under the kernel: the command raises and the
state is exactly as before (nothing is visible that is not saved)."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import dcml_widgets as dw
from dcml_widgets.state import DatasetState


def frame() -> pd.DataFrame:
    return pd.DataFrame({"y": np.array(["a", "b", "c"], dtype=object)[np.arange(30) % 3]})


def observed(state: DatasetState) -> tuple:
    return (
        state.labels.tolist(),
        state.rows.excluded_mask.tolist(),
        len(state.log),
        len(state.edits),
        state.can_undo,
        state.can_redo,
    )


def test_a_full_disk_refuses_the_command_and_changes_nothing(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "j.jsonl"
    state = DatasetState(frame(), "y", journal=path)
    state.relabel([0, 1], "c")
    before, on_disk = observed(state), path.read_bytes()
    real = os.pwrite
    calls = {"n": 0}

    def full_disk(fd, data, offset):
        calls["n"] += 1
        if calls["n"] == 1:  # a few bytes land, then the disk is full (a torn write)
            return real(fd, bytes(data)[:5], offset)
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "pwrite", full_disk)
    with pytest.raises(OSError, match=r"No space left on device.*the edit was not made") as err:
        state.exclude(list(range(10, 20)), reason="full disk")
    assert err.value.errno == errno.ENOSPC
    monkeypatch.setattr(os, "pwrite", real)
    assert observed(state) == before
    assert path.read_bytes() == on_disk  # the partial line was cut off again
    state.undo()  # the state goes on as if the refused command never was
    state.close()
    assert dw.apply_edits(frame(), path).equals(state.to_dataframe())


def test_a_journal_deleted_under_the_kernel_refuses_the_command(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    state = DatasetState(frame(), "y", journal=path)
    state.relabel(0, "b")
    before = observed(state)
    os.unlink(path)  # e.g. `rm -r .dcml` in a terminal while the notebook runs
    with pytest.raises(FileNotFoundError, match="deleted while this kernel had it open"):
        state.relabel(1, "c")
    with pytest.raises(FileNotFoundError):
        state.mark_reviewed([2])
    assert observed(state) == before and not path.exists()
    # Nothing is lost: every edit so far is in memory and can be saved elsewhere.
    copy = state.save(tmp_path / "rescued.jsonl")
    state.close()
    assert dw.apply_edits(frame(), copy)["y"].tolist()[:2] == ["b", "b"]
