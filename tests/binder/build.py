"""Simulate mybinder.org's build of binder/ (the pip route) in a fresh virtual environment.

repo2docker's Python build pack does, from the repository root: make a venv for the
``runtime.txt`` Python, ``pip install -r binder/requirements.txt``, then run ``binder/postBuild``.
Nothing here can run repo2docker (no Docker, no registry of images), so these helpers run the
same steps on a clean copy of the repository, with a PATH that holds no Node but the one the
requirements install.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NODE_PROGRAMS = ("node", "nodejs", "npm", "npx", "corepack", "yarn", "pnpm")


@dataclass
class BinderBuild:
    """A simulated build: where it is and how long each step took (seconds)."""

    repo: Path
    venv: Path
    env: dict[str, str]
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def python(self) -> Path:
        return self.venv / "bin" / "python"


def clean_checkout(dest: Path) -> Path:
    """Copy the files git tracks or would track (what a clone holds), no build output."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    for raw in filter(None, listed):
        rel = raw.decode()
        src = ROOT / rel
        if not src.is_file():  # deleted in the working tree but still in the index
            continue
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, target)
    return dest


def node_free_path(shadow: Path) -> str:
    """A PATH with every program of the current PATH except Node's (linked into ``shadow``)."""
    shadow.mkdir(parents=True, exist_ok=True)
    for folder in os.environ.get("PATH", "").split(os.pathsep):
        if not folder or not Path(folder).is_dir():
            continue
        for program in Path(folder).iterdir():
            link = shadow / program.name
            if program.name in NODE_PROGRAMS or link.exists() or link.is_symlink():
                continue
            if program.is_file() and os.access(program, os.X_OK):
                link.symlink_to(program)
    return str(shadow)


def run_step(build: BinderBuild, name: str, command: list[str]) -> None:
    """Run one build step in the checkout; a failure shows the step's last output."""
    start = time.perf_counter()
    done = subprocess.run(
        command, cwd=build.repo, env=build.env, capture_output=True, text=True, timeout=1800
    )
    build.seconds[name] = time.perf_counter() - start
    if done.returncode != 0:
        raise AssertionError(
            f"binder step {name!r} failed ({done.returncode}):\n"
            f"{done.stdout[-4000:]}\n{done.stderr[-4000:]}"
        )


def simulate_binder_build(work: Path) -> BinderBuild:
    """Build binder/ as repo2docker would, in ``work``; return the build with its timings."""
    repo = clean_checkout(work / "repo")
    runtime = (repo / "binder" / "runtime.txt").read_text().strip()
    wanted = runtime.removeprefix("python-")
    have = f"{sys.version_info.major}.{sys.version_info.minor}"
    # The venv uses this interpreter: the test can only check the runtime it runs on.
    assert wanted == have, f"binder/runtime.txt asks for Python {wanted}, CI runs {have}"
    venv = work / "venv"
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    env = {
        "HOME": os.environ.get("HOME", str(work)),
        "PATH": f"{venv / 'bin'}{os.pathsep}{node_free_path(work / 'bin-without-node')}",
        "VIRTUAL_ENV": str(venv),
        "LANG": "C.UTF-8",
        # This machine's registries are local mirrors; Binder reaches the real ones. npm may
        # use its cache without asking the registry (mybinder.org builds from the registry).
        "npm_config_prefer_offline": "true",
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    }
    for name in ("PIP_CONFIG_FILE", "PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_FIND_LINKS"):
        if name in os.environ:
            env[name] = os.environ[name]
    build = BinderBuild(repo=repo, venv=venv, env=env, seconds={"venv": 0.0})
    build.seconds["venv"] = time.perf_counter() - start
    assert shutil.which("node", path=env["PATH"]) is None, "a system Node is still on PATH"
    run_step(
        build,
        "requirements",
        [
            str(build.python),
            "-m",
            "pip",
            "install",
            "--no-cache-dir",
            "-r",
            "binder/requirements.txt",
        ],
    )
    run_step(build, "postBuild", ["./binder/postBuild"])
    return build
