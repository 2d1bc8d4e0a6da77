"""journal="auto" with the data open in another kernel (a real second process): the state opens
the first free sibling and says why; a path the user named and another kernel holds is refused."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dcml_widgets.journal import JournalLockedError
from dcml_widgets.state import DatasetState

ROOT = Path(__file__).resolve().parents[2]

OTHER_KERNEL = """
import sys
import numpy as np, pandas as pd
from dcml_widgets.state import DatasetState
df = pd.DataFrame({"y": np.array(["a", "b"], dtype=object)[np.arange(50) % 2]})
state = DatasetState(df, "y", journal="auto")
state.relabel([0, 1, 2], "b")
state.exclude([7])
print(state.journal_path.name, flush=True)
sys.stdin.readline()  # hold the journal until told to stop
"""


def frame() -> pd.DataFrame:
    return pd.DataFrame({"y": np.array(["a", "b"], dtype=object)[np.arange(50) % 2]})


@pytest.fixture
def other_kernel(tmp_path: Path, monkeypatch):
    """A second Python process that holds the auto journal of frame() in tmp_path."""
    monkeypatch.chdir(tmp_path)
    proc = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(OTHER_KERNEL)],
        cwd=tmp_path,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    name = proc.stdout.readline().strip()
    if not name.endswith(".jsonl"):
        proc.kill()
        raise AssertionError(f"the other kernel did not start: {proc.stderr.read()}")
    yield tmp_path / ".dcml" / name
    proc.kill()
    proc.communicate()


def test_auto_opens_a_free_sibling_and_says_why(other_kernel: Path) -> None:
    held = other_kernel
    state = DatasetState(frame(), "y", journal="auto")
    try:
        assert state.journal_path.name == held.name.replace(".jsonl", "-2.jsonl")
        assert state.resumed_edits == 0  # the other kernel's edits stay in its own file
        status = state.journal_status
        assert "open in another kernel" in status["note"]
        assert state.journal_path.name in status["note"]
        assert status["siblings"] == [[held.name, 2]]  # its two commands
        state.relabel(3, "a")
    finally:
        state.close()
    # The next auto state in this process resumes the sibling it wrote to.
    again = DatasetState(frame(), "y", journal="auto")
    assert again.journal_path.name.endswith("-2.jsonl") and again.resumed_edits == 1
    again.close()


def test_a_named_path_another_kernel_holds_is_refused(other_kernel: Path) -> None:
    with pytest.raises(JournalLockedError, match=r"in use by another process.*journal='auto'"):
        DatasetState(frame(), "y", journal=other_kernel)
