"""kNN search: exact (faiss flat) vs approximate (faiss HNSW) vs pynndescent, the old default.

Each measurement runs in a fresh process, so pynndescent's numba compilation is counted the
way a user's first analysis in a new kernel pays it (its ``nn_descent`` cannot be cached);
the warm figure is a second search in the same process. Recall is against the exact
neighbours on the first 5000 rows. Prints a table and the crossover; asserts nothing.

    python benchmarks/bench_knn.py [--sizes 20000 50000 100000] [--dims 50] [--json PATH]
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
    X[: n // 2] += np.random.default_rng(1).normal(size=(1, d)).astype(np.float32) * 3

    def search():
        if method == "pynndescent":
            from pynndescent import NNDescent
            index = NNDescent(X, n_neighbors=16, random_state=0, low_memory=True, compressed=True)
            return index.neighbor_graph[0][:, 1:]
        return nearest_neighbors(X, 15, method=method).indices

    t = time.perf_counter()
    idx = search()
    first = time.perf_counter() - t
    t = time.perf_counter()
    search()
    second = time.perf_counter() - t
    import faiss
    flat = faiss.IndexFlatL2(d)
    flat.add(X)
    truth = flat.search(X[:5000], 16)[1][:, 1:]
    recall = float(np.mean([len(set(a) & set(b)) / 15 for a, b in zip(idx[:5000], truth)]))
    print(json.dumps({"first": first, "second": second, "recall": recall}))
    """
)

METHODS = ("exact", "approximate", "pynndescent")


def run(n: int, d: int, method: str) -> dict:
    """Time one search (and a second in the same process) in a fresh interpreter."""
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
    parser.add_argument("--sizes", type=int, nargs="+", default=[20000, 50000, 100000])
    parser.add_argument("--dims", type=int, default=50)
    add_json_arg(parser)
    args = parser.parse_args()
    print_machine()
    figures = []
    print(f"k=15 neighbours, {args.dims} dims, float32; seconds in a fresh process (warm: a")
    print("second search in it) and recall against the exact neighbours")
    print(f"{'rows':>8} " + " ".join(f"{m + ' fresh/warm/recall':>34}" for m in METHODS))
    crossover = None
    for n in args.sizes:
        res = {m: run(n, args.dims, m) for m in METHODS}
        cells = [
            f"{r['first']:>12.2f} {r['second']:>9.2f} {r['recall']:>11.3f}" for r in res.values()
        ]
        print(f"{n:>8} " + " ".join(f"{c:>34}" for c in cells), flush=True)
        ours = min(res["exact"]["first"], res["approximate"]["first"])
        old = res["pynndescent"]["first"]
        figures.append(
            figure(
                f"kNN k=15, {n // 1000}k x {args.dims}: faster of exact / HNSW, fresh process",
                round(ours, 2),
                "s",
                baseline=round(old, 2),
                ratio=round(ours / old, 2),
                note=(
                    f"exact {res['exact']['first']:.2f} s, HNSW {res['approximate']['first']:.2f}"
                    f" s (recall {res['approximate']['recall']:.3f}); baseline pynndescent"
                    f" fresh (warm {res['pynndescent']['second']:.2f} s, recall"
                    f" {res['pynndescent']['recall']:.3f})"
                ),
            )
        )
        if crossover is None and res["approximate"]["first"] < res["exact"]["first"]:
            crossover = n
    if crossover is None:
        print(f"Exact search was faster at every size up to {args.sizes[-1]} rows.")
    else:
        print(f"HNSW wins from about {crossover} rows (fresh process).")
    print_machine()
    write_json(args.json, "bench_knn", figures, crossover=crossover)


if __name__ == "__main__":
    main()
