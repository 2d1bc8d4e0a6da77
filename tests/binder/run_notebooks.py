"""Execute notebooks headless (nbclient), each exercise's check both unsolved and solved.

Run by the Python whose kernel should execute them (the simulated Binder venv), so it needs
only nbclient and nbformat there::

    python run_notebooks.py --solutions notebooks/solutions --workdir W --out result.json NB...

For each notebook, in one fresh kernel, cells run in order. A cell tagged ``check:<name>``
runs first as committed (it must fail with ``ExerciseNotSolved``), then the section
``# %% <name>`` of ``<solutions>/<notebook stem>.py`` runs, then the check again (it must now
pass); later cells see the solved state. Executed copies land in ``<workdir>/<stem>/``.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError


def solution_sections(path: Path) -> dict[str, str]:
    """``# %% <name>`` sections of a solutions file, by name."""
    sections: dict[str, str] = {}
    name = None
    for line in path.read_text().splitlines():
        match = re.match(r"#\s*%%\s*(\S+)\s*$", line)
        if match:
            name = match.group(1)
            sections[name] = ""
        elif name is not None:
            sections[name] += line + "\n"
    return sections


def text_of(cell: nbformat.NotebookNode) -> str:
    """Printed text and plain reprs of a cell's outputs."""
    parts = []
    for out in cell.get("outputs", []):
        if out.output_type == "stream":
            parts.append(out.text)
        elif out.output_type == "error":
            parts.append(f"{out.ename}: {out.evalue}")
        elif "data" in out and "text/plain" in out.data:
            parts.append(out.data["text/plain"])
    return "".join(parts)


def run_one(notebook: Path, solutions: Path, workdir: Path) -> dict:
    """Execute one notebook with its exercise protocol; return what happened."""
    workdir.mkdir(parents=True, exist_ok=True)
    target = workdir / notebook.name
    shutil.copy(notebook, target)
    nb = nbformat.read(target, as_version=4)
    sections = solution_sections(solutions / f"{notebook.stem}.py")
    client = NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(workdir)}}
    )
    result: dict = {"notebook": notebook.name, "checks": [], "error": None}
    start = time.perf_counter()
    with client.setup_kernel():
        probe = nbformat.v4.new_code_cell("import sys; print(sys.prefix)")
        client.execute_cell(probe, 0)
        result["kernel_prefix"] = text_of(probe).strip()
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            tags = [t for t in cell.metadata.get("tags", []) if t.startswith("check:")]
            if not tags:
                try:
                    client.execute_cell(cell, index)
                except CellExecutionError as error:
                    result["error"] = f"cell {index}: {error}"[-3000:]
                    break
                continue
            name = tags[0].split(":", 1)[1]
            check = {"name": name, "unsolved": None, "solved": None, "solution_found": False}
            try:
                client.execute_cell(cell, index)
                check["unsolved"] = {"failed": False, "text": text_of(cell)}
            except CellExecutionError:
                check["unsolved"] = {"failed": True, "text": text_of(cell)}
            if name in sections:
                check["solution_found"] = True
                solution = nbformat.v4.new_code_cell(sections[name])
                try:
                    client.execute_cell(solution, index)
                    client.execute_cell(cell, index)
                    check["solved"] = {"failed": False, "text": text_of(cell)}
                except CellExecutionError:
                    check["solved"] = {"failed": True, "text": text_of(solution) + text_of(cell)}
            result["checks"].append(check)
            if not (check["solved"] and not check["solved"]["failed"]):
                result["error"] = f"check {name!r} does not pass with its solution"
                break
    result["seconds"] = time.perf_counter() - start
    nbformat.write(nb, target)
    result["executed"] = str(target)
    result["outputs"] = [text_of(c) for c in nb.cells if c.cell_type == "code"]
    return result


def main() -> None:
    """Run the notebooks given on the command line; write one JSON list of results."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--solutions", type=Path, required=True)
    parser.add_argument("--workdir", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    results = []
    for notebook in args.notebooks:
        results.append(run_one(notebook, args.solutions, args.workdir / notebook.stem))
        print(f"{notebook.name}: {results[-1]['seconds']:.1f} s", file=sys.stderr, flush=True)
    args.out.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
