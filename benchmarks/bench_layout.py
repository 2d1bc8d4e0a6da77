"""The layout of many rows: UMAP on every row vs UMAP on a sample with the rest placed.

Above ``LAYOUT_SAMPLE_ROWS`` (200k) rows, ``analyze()`` fits UMAP on a random sample and
places the other rows through the shared kNN graph (``analysis/layout_sample.py``). This
checks the quality guard at a size where both can run: 100k x 50 (the same synthetic data as
``bench_analyze.py``), a 20k sample (the 1M case's 1:5 ratio), trustworthiness (k=10) on a
10k-row subsample of both layouts. Target: the sampled layout within 0.05 of the full fit.
Prints seconds and trustworthiness; asserts nothing.

    python benchmarks/bench_layout.py [--rows 100000] [--sample 20000] [--json PATH]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from _common import add_json_arg, figure, print_machine, write_json
from sklearn.datasets import make_classification
from sklearn.manifold import trustworthiness

from dcml_widgets.analysis.embed import reduce_dimensions, umap_layout, warm_up
from dcml_widgets.analysis.knn import nearest_neighbors


def main() -> None:
    """Print both layouts' times and trustworthiness."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=20_000)
    add_json_arg(parser)
    args = parser.parse_args()
    print_machine()
    X, _ = make_classification(
        n_samples=args.rows, n_features=50, n_informative=30, n_redundant=5, n_classes=10,
        n_clusters_per_class=1, class_sep=1.5, random_state=0,
    )  # fmt: skip
    X = reduce_dimensions(X)
    t = time.perf_counter()
    graph = nearest_neighbors(X, 14)
    print(f"shared kNN graph ({graph.method}): {time.perf_counter() - t:.1f} s")
    warm_up()
    t = time.perf_counter()
    sampled = umap_layout(X, graph, sample_rows=args.sample)
    t_sampled = time.perf_counter() - t
    t = time.perf_counter()
    full = umap_layout(X, graph, sample_rows=None)
    t_full = time.perf_counter() - t
    sub = np.random.default_rng(0).choice(args.rows, min(10_000, args.rows), replace=False)
    tw_full = trustworthiness(X[sub], full[sub], n_neighbors=10)
    tw_sampled = trustworthiness(X[sub], sampled[sub], n_neighbors=10)
    print(f"rows {args.rows}, sample {args.sample}")
    print(f"full fit      {t_full:7.1f} s  trustworthiness {tw_full:.3f}")
    print(f"sampled fit   {t_sampled:7.1f} s  trustworthiness {tw_sampled:.3f}")
    print(f"time ratio {t_sampled / t_full:.2f}, trustworthiness gap {tw_full - tw_sampled:+.3f}")
    print_machine()
    size = f"{args.rows // 1000}k rows, {args.sample // 1000}k sample"
    figures = [
        figure(
            f"layout {size}: trustworthiness gap",
            round(tw_full - tw_sampled, 3),
            target="<= 0.05",
            baseline=round(tw_full, 3),
            passed=tw_full - tw_sampled <= 0.05,
            note=f"sampled {tw_sampled:.3f}; k=10 on a 10k subsample",
        ),
        figure(
            f"layout {size}: sampled fit time",
            round(t_sampled, 1),
            "s",
            baseline=round(t_full, 1),
            ratio=round(t_sampled / t_full, 2),
            note="baseline: UMAP on every row",
        ),
    ]
    write_json(args.json, "bench_layout", figures)


if __name__ == "__main__":
    main()
