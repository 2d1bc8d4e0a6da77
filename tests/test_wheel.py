"""The wheel ships every JS bundle that js/build.mjs makes from js/src/*.js.

Builds a real wheel (``python -m build --wheel``, which runs the npm build through
hatch-jupyter-builder) from a copy of the project, so the shared working tree is not
touched. Takes about a minute.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def copy_project(dest: Path) -> Path:
    """The files a wheel build reads, without built output (static/ must be rebuilt)."""
    src = dest / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        if (ROOT / name).exists():
            shutil.copy2(ROOT / name, src / name)
    skip = shutil.ignore_patterns("__pycache__", "*.pyc", "static", "node_modules", "test")
    shutil.copytree(ROOT / "dcml_widgets", src / "dcml_widgets", ignore=skip)
    shutil.copytree(ROOT / "js", src / "js", ignore=skip)
    shutil.copytree(ROOT / "share", src / "share", ignore=skip)
    shutil.copytree(ROOT / "js" / "node_modules", src / "js" / "node_modules", symlinks=True)
    return src


def test_wheel_contains_every_bundle(tmp_path: Path) -> None:
    src = copy_project(tmp_path)
    listed = re.search(r"ensured-targets = \[(.*?)\]", (src / "pyproject.toml").read_text())
    assert listed is not None, "pyproject.toml lists no ensured-targets"
    entries = sorted(Path(t).stem for t in re.findall(r'"([^"]+)"', listed.group(1)))
    assert {"confusion", "embedding", "grid", "header"} <= set(entries)
    assert not (src / "dcml_widgets" / "static").exists()
    dist = tmp_path / "dist"
    result = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist)],
        cwd=src,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    (wheel,) = dist.glob("dcml_widgets-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        for entry in entries:
            name = f"dcml_widgets/static/{entry}.js"
            assert name in names, f"{name} is missing from {wheel.name}"
            text = zf.read(name).decode("utf-8")
            assert "export" in text and len(text) > 100, f"{name} is not a built ESM bundle"
        for module in (
            "state/dataset.py",
            "journal/file.py",
            "journal/codec.py",
            "state/replay.py",
            "state/ids.py",
            "views/grid/relabel_grid.py",
            "session/auditing.py",
        ):
            assert f"dcml_widgets/{module}" in names
        # the offline Voilà template, where Voilà looks (<prefix>/share/jupyter/voila/templates)
        voila = "dcml_widgets-0.1.0.data/data/share/jupyter/voila/templates/dcml/"
        assert {voila + "conf.json", voila + "index.html.j2"} <= names
        # test-only widgets stay out of what users install
        assert not [n for n in names if "probe" in n or n.startswith("tests/")]
