"""Exact (BLAS brute force) vs approximate (pynndescent) kNN: where is the crossover?

Each measurement runs in a fresh process, so pynndescent's numba compilation is counted the
way a user's first analysis in a new kernel pays it; the warm figure is a second search in
the same process. Prints a table and the crossover; asserts nothing.

    python benchmarks/bench_knn.py [--sizes 5000 20000 50000 100000] [--dims 50] [--json PATH]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import textwrap

from _common import add_json_arg, figure, print_machine, write_json

CHILD = textwrap.dedent(
    """
    import json, sys, time
    import numpy as np
    from dcml_widgets.analysis.knn import nearest_neighbors
    n, d, method = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    X = np.random.default_rng(0).normal(size=(n, d)).astype(np.float32)
    t = time.perf_counter()
    nearest_neighbors(X, 15, method=method)
    first = time.perf_counter() - t
    second = None
    if method == "approximate":
        t = time.perf_counter()
        nearest_neighbors(X, 15, method=method, random_state=1)
        second = time.perf_counter() - t
    print(json.dumps({"first": first, "second": second}))
    """
)


def run(n: int, d: int, method: str) -> dict:
    """Time one search in a fresh interpreter."""
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(n), str(d), method],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    """Measure and print."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[5000, 20000, 50000, 100000])
    parser.add_argument("--dims", type=int, default=50)
    add_json_arg(parser)
    args = parser.parse_args()
    print_machine()
    figures = []
    print(f"k=15 neighbours, {args.dims} dims, float32; seconds, each row in fresh processes")
    print(f"{'rows':>8} {'exact':>8} {'approx fresh':>13} {'approx warm':>12} {'fresh ratio':>12}")
    crossover = None
    for n in args.sizes:
        exact = run(n, args.dims, "exact")["first"]
        approx = run(n, args.dims, "approximate")
        ratio = exact / approx["first"]
        print(
            f"{n:>8} {exact:>8.2f} {approx['first']:>13.2f} {approx['second']:>12.2f} "
            f"{ratio:>11.2f}x",
            flush=True,
        )
        figures.append(
            figure(
                f"kNN k=15, {n // 1000}k x {args.dims}: exact, fresh process",
                round(exact, 2),
                "s",
                baseline=round(approx["first"], 2),
                ratio=round(ratio, 2),
                note=f"baseline: pynndescent fresh (warm {approx['second']:.2f} s)",
            )
        )
        if crossover is None and approx["first"] < exact:
            crossover = n
    if crossover is None:
        print(f"Exact search was faster at every size up to {args.sizes[-1]} rows (fresh process).")
    else:
        print(f"Approximate search wins from about {crossover} rows (fresh process).")
    print_machine()
    write_json(args.json, "bench_knn", figures, crossover=crossover)


if __name__ == "__main__":
    main()
