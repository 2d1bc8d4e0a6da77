"""The neighbour graph of probability vectors (``sqrt(pred_probs)``), fast without numba.

With only ``pred_probs=`` the graph is built on ``sqrt(P)`` (Hellinger geometry). Measured
(``benchmarks/bench_pred_probs.py --knn``, k=14, one thread, 2 shared cores): a k-d tree is
exact and takes 0.5-2.5 s at 100k rows up to 5 classes, but 120 s at 10 classes; brute force
0.3 s at 10k rows and 31.6 s at 100k (10 classes); pynndescent 94 s in a fresh process
(numba compilation), 12 s warm. No library exploits what probability vectors share, so this
module does, by hand (4.0 s at 100k x 10, recall 0.996 against brute force):

rows are grouped by their arg-max class. For rows i, j with different arg-max classes
``c = argmax s_i`` and ``c' = argmax s_j``, projecting onto ``(e_c - e_c') / sqrt(2)`` gives
``|s_i - s_j| >= (s_i[c] - s_i[c']) / sqrt(2)`` (the *margin* of i to c'). So each row is
searched exactly within its own group, and only in the groups whose margin does not exceed
its current k-th distance. Confident rows search nothing more; an uncertain row searches at
most :data:`MAX_OTHER_GROUPS` other groups, its nearest by margin (the graph is then marked
approximate).
"""

from __future__ import annotations

import numpy as np

from dcml_widgets.analysis.knn import KnnGraph

#: Up to this many classes a k-d tree on sqrt(P) is exact and fast (measured above).
TREE_MAX_CLASSES = 5
#: Up to this many rows brute force is exact and about a second (20k x 10, one thread).
BRUTE_MAX_ROWS = 20_000
#: Other arg-max groups an uncertain row may search beyond its own. Measured at 100k rows
#: (10 / 20 / 100 classes, a 3-logit margin): 2 groups 6.3 / 6.8 / 7.4 s with recall 0.996 /
#: 0.982 / 0.769 against brute force; 4 groups 9.6 / 8.6 / 11.9 s, recall 1.0 / 0.995 / 0.821.
MAX_OTHER_GROUPS = 2
_CHUNK = 8192


def probability_neighbors(pred_probs: np.ndarray, k: int) -> KnnGraph:
    """Each row's ``k`` nearest other rows in ``sqrt(pred_probs)`` (Euclidean).

    Parameters
    ----------
    pred_probs : numpy.ndarray
        ``(N, K)`` probabilities (rows summing to 1).
    k : int
        Neighbours per row, below N.

    Returns
    -------
    KnnGraph
        Exact (k-d tree up to :data:`TREE_MAX_CLASSES` classes, brute force up to
        :data:`BRUTE_MAX_ROWS` rows); beyond, grouped by arg-max class, ``method`` is
        ``"exact"`` unless some uncertain row had more candidate groups than
        :data:`MAX_OTHER_GROUPS` (then ``"approximate"``).
    """
    from threadpoolctl import threadpool_limits

    roots = np.sqrt(np.asarray(pred_probs, dtype=np.float32))
    n = roots.shape[0]
    if not 1 <= k < n:
        raise ValueError(f"k={k} neighbours need at least {k + 1} rows; there are {n}.")
    # Many small searches: OpenMP threads spin more than they compute on a busy machine
    # (measured 2.1 s with threads vs 0.17 s without on 10k x 10).
    with threadpool_limits(limits=1):
        if roots.shape[1] <= TREE_MAX_CLASSES or n <= BRUTE_MAX_ROWS:
            algorithm = "kd_tree" if roots.shape[1] <= TREE_MAX_CLASSES else "brute"
            idx, dist = _search(roots, None, k, algorithm=algorithm, same=True)
            return KnnGraph(idx, dist, metric="euclidean", method="exact")
        idx, dist, exact = _grouped(roots, k)
    return KnnGraph(idx, dist, metric="euclidean", method="exact" if exact else "approximate")


def _search(data, queries, k, *, algorithm="brute", same=False):
    from sklearn.neighbors import NearestNeighbors

    nn = NearestNeighbors(n_neighbors=k, algorithm=algorithm).fit(data)
    dist, idx = nn.kneighbors() if same else nn.kneighbors(queries)
    return idx.astype(np.int64), np.maximum(dist, 0).astype(np.float32)


def _grouped(roots: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray, bool]:
    n = roots.shape[0]
    top = roots.argmax(axis=1)
    idx = np.full((n, k), -1, dtype=np.int64)
    dist = np.full((n, k), np.inf, dtype=np.float32)
    groups = {int(c): np.flatnonzero(top == c) for c in np.unique(top)}
    for rows in groups.values():
        if len(rows) > 1:
            found, d = _search(roots[rows], None, min(k, len(rows) - 1), same=True)
            idx[rows, : found.shape[1]] = rows[found]
            dist[rows, : found.shape[1]] = d

    candidates, margins = _nearest_groups(roots, top, MAX_OTHER_GROUPS + 1)
    wanted = margins[:, :MAX_OTHER_GROUPS] <= dist[:, -1:]
    for c, rows in groups.items():
        queries = np.flatnonzero((wanted & (candidates[:, :MAX_OTHER_GROUPS] == c)).any(axis=1))
        if queries.size:
            found, d = _search(roots[rows], roots[queries], min(k, len(rows)))
            _merge(idx, dist, queries, rows[found], d)

    # Rows of groups with fewer than k others: few, and far from their group; search all.
    short = np.bincount(top, minlength=roots.shape[1])[top] <= k
    exact = bool((margins[~short, MAX_OTHER_GROUPS] > dist[~short, -1]).all())
    short = np.flatnonzero(short)
    if short.size:
        found, d = _search(roots, roots[short], k + 1)
        keep = found != short[:, None]
        order = np.argsort(~keep, axis=1, kind="stable")[:, :k]
        idx[short] = np.take_along_axis(found, order, axis=1)
        dist[short] = np.take_along_axis(d, order, axis=1)
    return idx, dist, exact


def _nearest_groups(roots: np.ndarray, top: np.ndarray, m: int) -> tuple[np.ndarray, np.ndarray]:
    """Per row, the ``m`` other classes with the smallest margins, and those margins.

    Chunked so an (N, K) margin matrix never exists for large K.
    """
    n, n_classes = roots.shape
    m_eff = min(m, n_classes - 1)
    classes = np.empty((n, m), dtype=np.int64)
    margins = np.full((n, m), np.inf, dtype=np.float32)
    for start in range(0, n, _CHUNK):
        block = roots[start : start + _CHUNK].copy()
        own = block[np.arange(len(block)), top[start : start + _CHUNK]]
        block[np.arange(len(block)), top[start : start + _CHUNK]] = -np.inf
        part = np.argpartition(-block, m_eff - 1, axis=1)[:, :m_eff]
        values = np.take_along_axis(block, part, axis=1)
        order = np.argsort(-values, axis=1, kind="stable")
        classes[start : start + len(block), :m_eff] = np.take_along_axis(part, order, axis=1)
        chosen = np.take_along_axis(values, order, axis=1)
        margins[start : start + len(block), :m_eff] = (own[:, None] - chosen) / np.sqrt(2)
    classes[:, m_eff:] = -1
    return classes, margins


def _merge(idx, dist, rows, new_idx, new_dist) -> None:
    """Keep the k nearest of each row's current list and its new candidates."""
    k = idx.shape[1]
    all_idx = np.hstack([idx[rows], new_idx])
    all_dist = np.hstack([dist[rows], new_dist])
    order = np.argsort(all_dist, axis=1, kind="stable")[:, :k]
    idx[rows] = np.take_along_axis(all_idx, order, axis=1)
    dist[rows] = np.take_along_axis(all_dist, order, axis=1)
