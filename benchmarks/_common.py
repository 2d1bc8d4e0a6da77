"""Shared helpers of the benchmarks: machine state, numba cache state, the ``--json`` output.

Every benchmark prints its figures for reading; with ``--json PATH`` it also writes them as
``{"benchmark", "machine", "figures": [...], "raw"}`` for ``run_all.py``'s report. A figure
is one row of that report: name, value, unit, target, baseline, ratio and a verdict.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import importlib.metadata
import json
import os
import platform
import sys
from pathlib import Path
from typing import Any

PACKAGES = ("dcml-widgets", "numpy", "pandas", "scikit-learn", "cleanlab", "umap-learn",
            "pynndescent", "numba", "jupyterlab", "jupyter-scatter")  # fmt: skip


def add_json_arg(parser: argparse.ArgumentParser) -> None:
    """Add ``--json PATH`` (write the figures there) to a benchmark's parser."""
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")


def loadavg() -> tuple[float, float, float]:
    """The 1, 5 and 15 minute load averages (zeros where the OS has none)."""
    try:
        return os.getloadavg()
    except OSError:
        return (0.0, 0.0, 0.0)


def machine() -> dict[str, Any]:
    """Date, load, cores, memory, Python and the versions of the packages that matter."""
    versions: dict[str, str | None] = {}
    for name in PACKAGES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = None
    mem_gb = None
    try:
        mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1e9
    except (ValueError, OSError, AttributeError):
        pass
    return {
        "date": _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "loadavg": [round(v, 2) for v in loadavg()],
        "cpus": os.cpu_count(),
        "memory_gb": round(mem_gb, 1) if mem_gb else None,
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "versions": versions,
    }


def numba_cache_state() -> dict[str, Any]:
    """How many numba cache files umap-learn and pynndescent have on disk right now.

    numba writes a cached function's index (``.nbi``) and code (``.nbc``) to
    ``NUMBA_CACHE_DIR`` when it is set, else to the ``__pycache__`` beside the source.
    ``dcml_widgets`` turns caching on for umap's layout functions, so a warm umap cache means
    a fresh process skips most of their compilation. Found without importing either package.

    Returns
    -------
    dict
        ``{"umap": n_files, "pynndescent": n_files, "dir": where, "warm": bool}``; warm when
        both packages have at least 4 cache index files.
    """
    import importlib.util

    root = os.environ.get("NUMBA_CACHE_DIR")
    out: dict[str, Any] = {"dir": root or "__pycache__ beside the sources"}
    for name in ("umap", "pynndescent"):
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.submodule_search_locations:
            out[name] = None
            continue
        src = Path(next(iter(spec.submodule_search_locations)))
        if root:
            # numba mirrors the source path under the cache dir (the drive/anchor dropped).
            where = [p for p in Path(root).rglob("*") if name in p.parts]
        else:
            where = list((src / "__pycache__").glob("*"))
        out[name] = sum(1 for p in where if p.suffix == ".nbi")
    out["warm"] = all((out.get(n) or 0) >= 4 for n in ("umap", "pynndescent"))
    return out


def figure(
    name: str,
    value: float | str | None,
    unit: str = "",
    *,
    target: str = "",
    baseline: float | str | None = None,
    ratio: float | None = None,
    passed: bool | None = None,
    note: str = "",
) -> dict[str, Any]:
    """One row of the report.

    Parameters
    ----------
    name : str
        What was measured, e.g. ``"analyze 20k x 50, wall"``.
    value : float, str or None
        The figure (None when it could not be measured).
    unit : str
        ``"s"``, ``"ms"``, ``"B/point"``, ...
    target : str
        The target as text (``"< 45 s"``), empty when there is none.
    baseline : float, str or None
        The baseline's figure in the same run, when there is one.
    ratio : float or None
        value / baseline (or the benchmark's own ratio).
    passed : bool or None
        Whether the target is met (None: no target or not decidable).
    note : str
        Anything the reader must know (sizes, what the baseline is).
    """
    if passed is not None:
        passed = bool(passed)  # numpy's bool would reach the JSON as the string "True"
    if ratio is not None:
        ratio = float(ratio)
    if value is not None and not isinstance(value, str):
        value = (
            float(value)
            if not float(value).is_integer() or isinstance(value, float)
            else int(value)
        )
    return {"figure": name, "value": value, "unit": unit, "target": target,
            "baseline": baseline, "ratio": ratio, "passed": passed, "note": note}  # fmt: skip


def write_json(
    path: Path | None, benchmark: str, figures: list[dict], raw: Any = None, **extra: Any
) -> None:
    """Write the figures (and the machine state at the end of the run) to ``path``, if set."""
    if path is None:
        return
    doc = {"benchmark": benchmark, "machine": machine(), "figures": figures, "raw": raw, **extra}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, indent=1, default=str))


def print_machine() -> None:
    """One line with the load average and cores: timings here are inflated by other work."""
    one, five, fifteen = loadavg()
    print(
        f"machine: {os.cpu_count()} cores, load average {one:.2f} / {five:.2f} / {fifteen:.2f} "
        "(1/5/15 min); timings inflated by other work when load > 0",
        flush=True,
    )
