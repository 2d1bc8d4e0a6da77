"""One k-nearest-neighbour graph, computed once and shared by Datalab and UMAP.

Exact brute-force search (BLAS matrix products) is used up to :data:`EXACT_MAX_ROWS` rows;
approximate search (pynndescent) beyond. In a fresh process pynndescent pays a minute or more
of numba compilation, which exact search only loses to once its quadratic cost catches up;
once compiled, approximate search wins much earlier (measured by ``benchmarks/bench_knn.py``).
"""

from __future__ import annotations

import dataclasses
from typing import Literal

import numpy as np
import scipy.sparse as sp

#: Largest row count searched exactly in a process that has not yet run pynndescent.
#: Measured (benchmarks/bench_knn.py, 50 dims, k=15, 2 shared cores, fresh processes):
#: exact 2.8 s / 15.7 s at 20k / 50k rows (quadratic: ~63 s at 100k); pynndescent 44 s /
#: 31 s, mostly numba compilation (a heavily loaded run: exact 308 s vs 398 s at 100k).
#: The fresh-process crossover lies near 75k rows.
EXACT_MAX_ROWS = 75_000
#: The same once pynndescent has compiled in this process: 2.8 s / 5.0 s at 20k / 50k, so
#: approximate search wins from about 20k rows.
WARM_EXACT_MAX_ROWS = 20_000

_approximate_compiled = False

Method = Literal["auto", "exact", "approximate"]


@dataclasses.dataclass(frozen=True, eq=False)
class KnnGraph:
    """Each row's ``k`` nearest neighbours (itself excluded), sorted by distance.

    Attributes
    ----------
    indices : numpy.ndarray
        ``(N, k)`` int64 neighbour row positions, nearest first.
    distances : numpy.ndarray
        ``(N, k)`` float32 distances matching :attr:`indices` (ascending per row).
    metric : str
        Distance the graph was built with.
    method : str
        ``"exact"`` or ``"approximate"``.
    """

    indices: np.ndarray
    distances: np.ndarray
    metric: str
    method: str

    @property
    def k(self) -> int:
        """Number of neighbours per row."""
        return int(self.indices.shape[1])

    @property
    def n_rows(self) -> int:
        """Number of rows (graph nodes)."""
        return int(self.indices.shape[0])

    def to_csr(self, k: int | None = None) -> sp.csr_matrix:
        """The graph as Datalab's ``knn_graph``: an ``N x N`` CSR matrix of distances.

        Parameters
        ----------
        k : int, optional
            Keep only the ``k`` nearest neighbours of each row (default: all).

        Returns
        -------
        scipy.sparse.csr_matrix
            ``k`` stored entries per row, sorted by distance; a zero distance (duplicate rows)
            is stored explicitly, as Datalab requires.
        """
        k = self.k if k is None else _check_k(k, self.k)
        n = self.n_rows
        data = np.ascontiguousarray(self.distances[:, :k], dtype=np.float64).ravel()
        cols = np.ascontiguousarray(self.indices[:, :k]).ravel()
        indptr = np.arange(0, n * k + 1, k, dtype=np.int64)
        return sp.csr_matrix((data, cols, indptr), shape=(n, n))

    def for_umap(self, n_neighbors: int) -> tuple[np.ndarray, np.ndarray]:
        """The graph as UMAP's ``precomputed_knn``: each row itself first, then neighbours.

        Parameters
        ----------
        n_neighbors : int
            UMAP's ``n_neighbors`` (counts the row itself), at most ``k + 1``.

        Returns
        -------
        (indices, distances) : tuple of numpy.ndarray
            ``(N, n_neighbors)`` int64 and float32 arrays.
        """
        n_other = _check_k(n_neighbors - 1, self.k)
        n = self.n_rows
        own = np.arange(n, dtype=np.int64)[:, None]
        idx = np.hstack([own, self.indices[:, :n_other]])
        dist = np.hstack([np.zeros((n, 1), np.float32), self.distances[:, :n_other]])
        return np.ascontiguousarray(idx), np.ascontiguousarray(dist, dtype=np.float32)


def _check_k(k: int, available: int) -> int:
    if not 1 <= k <= available:
        raise ValueError(f"k={k} neighbours requested but the graph holds {available} per row.")
    return int(k)


def nearest_neighbors(
    X: np.ndarray,
    k: int,
    *,
    metric: str = "euclidean",
    random_state: int | None = 0,
    method: Method = "auto",
) -> KnnGraph:
    """Find each row's ``k`` nearest other rows.

    Parameters
    ----------
    X : numpy.ndarray
        ``(N, d)`` finite matrix.
    k : int
        Neighbours per row (the row itself excluded); must be below ``N``.
    metric : str
        ``"euclidean"`` or ``"cosine"``.
    random_state : int or None
        Seed for the approximate search.
    method : {"auto", "exact", "approximate"}
        ``"auto"`` searches exactly up to :data:`EXACT_MAX_ROWS` rows, or up to
        :data:`WARM_EXACT_MAX_ROWS` once pynndescent has compiled in this process.

    Returns
    -------
    KnnGraph
    """
    X = np.asarray(X, dtype=np.float32)
    if X.ndim != 2:
        raise ValueError(f"X must be a 2-D (rows, features) array, got shape {X.shape}.")
    n = X.shape[0]
    if not 1 <= k < n:
        raise ValueError(f"k={k} neighbours need at least {k + 1} rows; X has {n}.")
    if not np.isfinite(X).all():
        raise ValueError("X holds NaN or infinite values; impute or drop them first.")
    if metric not in ("euclidean", "cosine"):
        raise ValueError(f"metric must be 'euclidean' or 'cosine', not {metric!r}.")
    if method == "auto" or n <= k + 1:
        limit = WARM_EXACT_MAX_ROWS if _approximate_compiled else EXACT_MAX_ROWS
        method = "exact" if n <= max(limit, k + 1) else "approximate"
    if method == "exact":
        idx, dist = _exact(X, k, metric)
    elif method == "approximate":
        idx, dist = _approximate(X, k, metric, random_state)
    else:
        raise ValueError(f"method must be 'auto', 'exact' or 'approximate', not {method!r}.")
    return KnnGraph(indices=idx, distances=dist, metric=metric, method=method)


def knn_graph(
    X: np.ndarray, k: int, *, metric: str = "euclidean", random_state: int | None = 0
) -> sp.csr_matrix:
    """Datalab-ready kNN distance graph (see :func:`nearest_neighbors`).

    Parameters
    ----------
    X : numpy.ndarray
        ``(N, d)`` finite matrix.
    k : int
        Neighbours per row, the row itself excluded.
    metric : str
        ``"euclidean"`` or ``"cosine"``.
    random_state : int or None
        Seed for the approximate search.

    Returns
    -------
    scipy.sparse.csr_matrix
        ``N x N``, ``k`` entries per row sorted by distance.
    """
    return nearest_neighbors(X, k, metric=metric, random_state=random_state).to_csr()


#: Query rows per task of the exact search (one task per chunk, here or on a cluster).
EXACT_CHUNK = 8192


def neighbour_chunk(
    X: np.ndarray, start: int, stop: int, k: int, metric: str
) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` nearest other rows of rows ``start .. stop`` (one task of the exact search).

    Each row leaves itself out by index, as scikit-learn's ``kneighbors()`` does, so an
    exact duplicate still appears as a neighbour at distance 0.
    """
    from sklearn.neighbors import NearestNeighbors

    nn = NearestNeighbors(n_neighbors=k + 1, algorithm="brute", metric=metric).fit(X)
    dist, idx = nn.kneighbors(X[start:stop])
    keep = idx != np.arange(start, stop)[:, None]  # False where the row found itself
    keep[keep.all(axis=1), -1] = False  # itself not among the k + 1 (duplicates): drop the last
    n = stop - start
    return idx[keep].reshape(n, k).astype(np.int64), np.maximum(dist[keep], 0).reshape(n, k)


def _exact(X: np.ndarray, k: int, metric: str) -> tuple[np.ndarray, np.ndarray]:
    from dcml_widgets.analysis.compute import current

    n = X.shape[0]
    items = [{"start": s, "stop": min(s + EXACT_CHUNK, n)} for s in range(0, n, EXACT_CHUNK)]
    parts = current().map(
        neighbour_chunk, {"X": X, "k": k, "metric": metric}, items, name="dcml-neighbours"
    )
    idx = np.concatenate([p[0] for p in parts])
    dist = np.concatenate([p[1] for p in parts]).astype(np.float32)
    return idx, dist


def _approximate(
    X: np.ndarray, k: int, metric: str, random_state: int | None
) -> tuple[np.ndarray, np.ndarray]:
    from pynndescent import NNDescent

    index = NNDescent(
        X,
        n_neighbors=k + 1,
        metric=metric,
        random_state=random_state,
        low_memory=True,
        compressed=True,
    )
    idx, dist = index.neighbor_graph
    global _approximate_compiled
    _approximate_compiled = True
    return _drop_self(idx, dist, k)


def _drop_self(idx: np.ndarray, dist: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Remove each row from its own list; with duplicates it may be missing or not first."""
    n = idx.shape[0]
    own = idx == np.arange(n)[:, None]
    # Rows whose own index is absent drop their farthest entry instead.
    no_self = ~own.any(axis=1)
    own[no_self, -1] = True
    # A row may list itself twice only if the search returned garbage; keep k entries anyway.
    keep = ~own
    order = np.argsort(~keep, axis=1, kind="stable")[:, :k]
    idx_k = np.take_along_axis(idx, order, axis=1)
    dist_k = np.take_along_axis(dist, order, axis=1)
    by_distance = np.argsort(dist_k, axis=1, kind="stable")
    idx_k = np.take_along_axis(idx_k, by_distance, axis=1).astype(np.int64)
    dist_k = np.take_along_axis(dist_k, by_distance, axis=1).astype(np.float32)
    if (idx_k < 0).any():
        raise RuntimeError("Approximate search left rows without enough neighbours.")
    return idx_k, np.maximum(dist_k, 0)
