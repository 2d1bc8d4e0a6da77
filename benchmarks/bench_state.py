"""Benchmark DatasetState at scale: bulk commands, journal lines, reads, replay.

Run: ``python benchmarks/bench_state.py [n_rows] [n_edit] [--json PATH]`` (defaults 1,000,000
and 100,000).
Prints figures and ratios against a naive baseline measured in the same process (per-row
pandas ``.loc`` assignment, timed on a sample and scaled to the same number of rows). No
assertions on time: the numbers are for reading.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from _common import add_json_arg, figure, print_machine, write_json

from dcml_widgets.state import DatasetState
from dcml_widgets.state.replay import apply_edits


def timed(fn, repeat: int = 3) -> float:
    """Best wall time of ``repeat`` runs, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def frame(n: int, seed: int = 0) -> pd.DataFrame:
    """``n`` rows: two float features and a 10-class string label."""
    rng = np.random.default_rng(seed)
    classes = np.array([f"class_{i}" for i in range(10)], dtype=object)
    return pd.DataFrame(
        {
            "f0": rng.normal(size=n),
            "f1": rng.normal(size=n),
            "y": classes[rng.integers(0, 10, n)],
        }
    )


def naive_seconds_per_row(df: pd.DataFrame, sample: int = 2000) -> float:
    """Per-row ``df.loc[id, label] = value`` on a copy, timed over ``sample`` rows."""
    work = df.copy()
    ids = np.random.default_rng(1).choice(len(df), sample, replace=False)
    t0 = time.perf_counter()
    for i in ids.tolist():
        work.loc[i, "y"] = "class_3"
    return (time.perf_counter() - t0) / sample


def main(n: int = 1_000_000, n_edit: int = 100_000) -> list[dict]:
    """Measure, print, and return the report's rows."""
    df = frame(n)
    rng = np.random.default_rng(2)
    ids = np.sort(rng.choice(n, n_edit, replace=False))
    print(f"DatasetState benchmark: {n:,} rows, bulk commands on {n_edit:,} rows\n")

    t_init = timed(lambda: DatasetState(df, "y"), repeat=1)
    print(f"construct state (no journal)          {t_init * 1e3:9.1f} ms")

    per_row = naive_seconds_per_row(df)
    naive = per_row * n_edit
    print(
        f"naive per-row .loc (scaled from 2,000) {naive * 1e3:9.1f} ms  "
        f"({per_row * 1e6:.1f} µs/row)"
    )

    state = DatasetState(df, "y")
    labels = ["class_1", "class_2"]
    k = iter(range(10**9))
    t_mem = timed(lambda: state.relabel(ids, labels[next(k) % 2], source="bulk"))
    print(
        f"relabel {n_edit:,} rows, in memory       {t_mem * 1e3:9.1f} ms  "
        f"({naive / t_mem:,.0f}x faster than naive)"
    )

    id_list = ids.tolist()
    t_list = timed(lambda: state.relabel(id_list, labels[next(k) % 2], source="bulk"))
    print(f"  same, ids as a Python list          {t_list * 1e3:9.1f} ms")

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.jsonl"
        t_open = timed(lambda: DatasetState(df, "y", journal=path).close(), repeat=1)
        print(f"construct state + new journal         {t_open * 1e3:9.1f} ms (fingerprint incl.)")
        jstate = DatasetState(df, "y", journal=path)
        before = path.stat().st_size
        t_journal = timed(lambda: jstate.relabel(ids, labels[next(k) % 2], source="bulk"))
        line = (path.stat().st_size - before) / 3
        print(
            f"relabel {n_edit:,} rows, journaled       {t_journal * 1e3:9.1f} ms  "
            f"({naive / t_journal:,.0f}x faster than naive)"
        )
        print(
            f"  journal line for it                 {line / 1024:9.1f} KiB  "
            f"({line / n_edit:.2f} bytes/row)"
        )
        t_excl = timed(lambda: (jstate.exclude(ids), jstate.restore(ids)), repeat=1) / 2
        print(f"exclude {n_edit:,} rows, journaled       {t_excl * 1e3:9.1f} ms")
        t_undo = timed(lambda: (jstate.undo(), jstate.redo()), repeat=1) / 2
        print(f"undo / redo of it, journaled          {t_undo * 1e3:9.1f} ms")
        t_small = timed(lambda: jstate.relabel(int(ids[0]), labels[next(k) % 2]), repeat=20)
        print(f"relabel 1 row, journaled (fsync)      {t_small * 1e3:9.1f} ms")

        print()
        for name, fn in [
            ("state.labels", lambda: jstate.labels),
            ("state.rows.label_codes", lambda: jstate.rows.label_codes),
            ("state.edits (cached)", lambda: jstate.edits),
            (
                "state.edits (first build)",
                lambda: (setattr(jstate, "_edits_cache", None), jstate.edits),
            ),
            ("state.to_dataframe()", jstate.to_dataframe),
        ]:
            print(f"{name:<38}{timed(fn) * 1e3:9.1f} ms")
        n_edits = len(jstate.edits)
        print(f"  ({n_edits:,} rows in state.edits)")

        jstate.close()
        t_resume = timed(lambda: DatasetState(df, "y", journal=path).close(), repeat=1)
        print(
            f"resume state from journal             {t_resume * 1e3:9.1f} ms "
            f"({len(jstate.log)} groups)"
        )
        t_apply = timed(lambda: apply_edits(df, path), repeat=1)
        print(f"dw.apply_edits(df, journal)           {t_apply * 1e3:9.1f} ms")
        print(f"journal file                          {path.stat().st_size / 1024:9.1f} KiB")

    print("\nprofile of one journaled bulk relabel (top 8 by cumulative time):")
    with tempfile.TemporaryDirectory() as tmp:
        pstate = DatasetState(df, "y", journal=Path(tmp) / "p.jsonl")
        pstate.relabel(ids, "class_1")
        profile = cProfile.Profile()
        profile.enable()
        pstate.relabel(ids, "class_2")
        profile.disable()
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(8)
        print("\n".join(out.getvalue().splitlines()[6:22]))
        pstate.close()
    size = f"{n / 1e6:g}M" if n >= 1_000_000 else f"{n // 1000}k"
    return [
        figure(
            f"relabel {n_edit // 1000}k rows of a {size}-row state, journaled",
            round(t_journal * 1000, 1),
            "ms",
            baseline=round(naive * 1000, 1),
            ratio=round(t_journal / naive, 6),
            note="baseline: per-row pandas .loc, scaled from 2,000 rows",
        ),
        figure(f"journal line of that relabel, {size} rows", round(line / n_edit, 2), "B/row"),
        figure(
            f"relabel 1 row of a {size}-row state, journaled (fsync)",
            round(t_small * 1000, 2),
            "ms",
        ),
    ]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n_rows", type=lambda a: int(a.replace("_", "")), nargs="?",
                        default=1_000_000)  # fmt: skip
    parser.add_argument("n_edit", type=lambda a: int(a.replace("_", "")), nargs="?",
                        default=100_000)  # fmt: skip
    add_json_arg(parser)
    args = parser.parse_args()
    print_machine()
    rows = main(args.n_rows, args.n_edit)
    print_machine()
    write_json(args.json, "bench_state", rows)
