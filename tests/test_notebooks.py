"""The notebook series as committed: numbered, without outputs, every exercise checkable.

Executing the notebooks (each check unsolved, then solved) happens once, in the simulated
Binder build: tests/binder/test_binder_build.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from tests.binder.run_notebooks import solution_sections

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
SERIES = sorted(NOTEBOOKS.glob("*.ipynb"))


def tagged(nb: nbformat.NotebookNode, kind: str) -> list[str]:
    """Names of the cells tagged ``<kind>:<name>``, in order."""
    return [
        tag.split(":", 1)[1]
        for cell in nb.cells
        for tag in cell.metadata.get("tags", [])
        if tag.startswith(f"{kind}:")
    ]


def test_the_series_is_numbered_and_the_quickstart_opens_first():
    names = [p.name for p in SERIES]
    assert names, "no notebooks in notebooks/"
    assert all(re.match(r"\d\d_[a-z_]+\.ipynb$", n) for n in names), names
    assert names[0] == "01_quickstart.ipynb"
    # The README's first command opens it.
    assert "notebooks/01_quickstart.ipynb" in (ROOT / "scripts" / "quickstart").read_text()


@pytest.mark.parametrize("path", SERIES, ids=lambda p: p.name)
def test_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    dirty = [
        i
        for i, c in enumerate(nb.cells)
        if c.cell_type == "code" and (c.outputs or c.execution_count is not None)
    ]
    assert not dirty, f"{path.name}: cells {dirty} carry outputs; clear them before committing"


@pytest.mark.parametrize("path", SERIES, ids=lambda p: p.name)
def test_every_exercise_has_a_check_and_a_solution(path):
    nb = nbformat.read(path, as_version=4)
    checks = tagged(nb, "check")
    assert checks, f"{path.name} has no exercise check"
    assert sorted(tagged(nb, "exercise")) == sorted(checks)
    solutions = NOTEBOOKS / "solutions" / f"{path.stem}.py"
    sections = solution_sections(solutions)
    assert set(checks) <= set(sections), f"{solutions.name} lacks {set(checks) - set(sections)}"
    for name in checks:
        compile(sections[name], f"{solutions.name}:{name}", "exec")  # a solution that parses
    # Each check calls a lesson check, so an unsolved notebook fails with its message.
    for cell in nb.cells:
        if any(t.startswith("check:") for t in cell.metadata.get("tags", [])):
            assert "dw.lessons.check_" in cell.source


def test_the_teachers_plan_covers_every_lesson():
    plan = (NOTEBOOKS / "README.md").read_text()
    for path in SERIES:
        assert path.name in plan, f"notebooks/README.md does not plan {path.name}"
