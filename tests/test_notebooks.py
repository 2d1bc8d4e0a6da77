"""Every notebook in notebooks/ runs end to end in a real kernel (nbclient), as a user would."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def run_notebook(name: str, workdir: Path) -> nbformat.NotebookNode:
    """Execute notebooks/<name> in ``workdir`` (a fresh kernel) and return it with outputs."""
    target = workdir / name
    shutil.copy(NOTEBOOKS / name, target)
    nb = nbformat.read(target, as_version=4)
    NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(workdir)}}
    ).execute()
    return nb


def outputs_of(nb: nbformat.NotebookNode, needle: str) -> list:
    """Outputs of the first code cell whose source contains ``needle``."""
    cell = next(c for c in nb.cells if c.cell_type == "code" and needle in c.source)
    return cell.outputs


def text_of(outputs: list) -> str:
    parts = []
    for out in outputs:
        if out.output_type == "stream":
            parts.append(out.text)
        elif "data" in out and "text/plain" in out.data:
            parts.append(out.data["text/plain"])
    return "".join(parts)


@pytest.mark.parametrize("name", sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")))
def test_notebook_runs_without_errors(name, tmp_path):
    nb = run_notebook(name, tmp_path)
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in errors if o.output_type == "error"]


def test_quickstart_shows_the_dashboard_and_keeps_the_edits(tmp_path):
    nb = run_notebook("quickstart.ipynb", tmp_path)
    audit_outputs = outputs_of(nb, "dw.audit(")
    views = [o for o in audit_outputs if "data" in o and WIDGET_VIEW in o.data]
    # The progress bar and the dashboard, both widgets, shown by the one audit cell.
    assert len(views) >= 2
    # Edits were journaled under ./.dcml of the notebook's working directory.
    journals = list((tmp_path / ".dcml").glob("*.jsonl"))
    assert len(journals) == 1
    assert len(journals[0].read_text().splitlines()) >= 2  # header + the accepted suggestions
    cleaned = pd.read_csv(tmp_path / "cleaned.csv", index_col=0)
    assert len(cleaned) == 800
    found = text_of(outputs_of(nb, "really flipped"))
    flagged, right = (
        int(v) for v in re.match(r"(\d+) rows flagged; (\d+) of them", found).groups()
    )
    assert flagged > 0 and right / flagged > 0.5  # most flagged rows were truly flipped
    measured = text_of(outputs_of(nb, "dash.measure()"))
    assert measured.startswith("accuracy ")
    before, after = (
        float(v) for v in re.match(r"accuracy ([\d.]+) -> ([\d.]+)", measured).groups()
    )
    assert after > before  # fixing flipped labels helps, measured out-of-sample
