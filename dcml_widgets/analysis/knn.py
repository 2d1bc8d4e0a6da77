"""One k-nearest-neighbour graph, computed once and shared by Datalab and UMAP.

Both searches use faiss (compiled C++ with BLAS, nothing to JIT-compile): an exact flat index up
to :data:`EXACT_MAX_ROWS` rows, an HNSW graph index beyond. pynndescent, which UMAP ships
with, was the approximate search before: its ``nn_descent`` cannot be numba-cached ("uses
dynamic globals"), so every fresh process paid 21 s of compilation before a 2 s search at
100k x 50 (measured by ``benchmarks/bench_knn.py``).
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterator
from typing import Any, Literal

import numpy as np
import scipy.sparse as sp

#: Largest row count searched exactly. Measured (benchmarks/bench_knn.py, 50 dims, k=15,
#: 2 cores, idle): the flat index takes 12.7 s at 100k (quadratic), HNSW 6-10 s with a
#: recall of 0.989 against the exact neighbours (pynndescent: 0.963).
EXACT_MAX_ROWS = 60_000
#: HNSW's links per node and its candidate-list sizes while building and searching.
HNSW_LINKS = 16
HNSW_EF_CONSTRUCTION = 40
HNSW_EF_SEARCH = 64

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
    method : {"auto", "exact", "approximate"}
        ``"auto"`` searches exactly up to :data:`EXACT_MAX_ROWS` rows. Both are
        deterministic: the approximate index is built on one thread.

    Returns
    -------
    KnnGraph
        Distances recomputed in float64 from the rows themselves, so an exact duplicate is
        at distance 0.
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
    if n <= k + 1:  # every row is every row's neighbour: exact whatever was asked
        method = "exact"
    elif method == "auto":
        method = "exact" if n <= EXACT_MAX_ROWS else "approximate"
    if method == "exact":
        idx, dist = _exact(X, k, metric)
    elif method == "approximate":
        idx, dist = _approximate(X, k, metric)
    else:
        raise ValueError(f"method must be 'auto', 'exact' or 'approximate', not {method!r}.")
    return KnnGraph(indices=idx, distances=dist, metric=metric, method=method)


def knn_graph(X: np.ndarray, k: int, *, metric: str = "euclidean") -> sp.csr_matrix:
    """Datalab-ready kNN distance graph (see :func:`nearest_neighbors`).

    Parameters
    ----------
    X : numpy.ndarray
        ``(N, d)`` finite matrix.
    k : int
        Neighbours per row, the row itself excluded.
    metric : str
        ``"euclidean"`` or ``"cosine"``.

    Returns
    -------
    scipy.sparse.csr_matrix
        ``N x N``, ``k`` entries per row sorted by distance.
    """
    return nearest_neighbors(X, k, metric=metric).to_csr()


#: Query rows per task of the search (one task per chunk, here or on a cluster).
EXACT_CHUNK = 8192


def neighbour_chunk(
    X: np.ndarray, start: int, stop: int, k: int, metric: str, index: Any = None
) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` nearest other rows of rows ``start .. stop`` (one task of the search).

    ``index`` is a built faiss index of every row (the approximate search); without it the
    rows are searched exactly. Each row leaves itself out by index, as scikit-learn's
    ``kneighbors()`` does, so an exact duplicate still appears as a neighbour at distance 0.
    """
    import faiss

    queries = _searchable(X[start:stop], metric)  # row by row: the chunk of the whole
    if index is None:
        index = faiss.IndexFlatL2(X.shape[1])
        index.add(_searchable(X, metric))
    with _one_faiss_thread():
        _, idx = index.search(queries, k + 1)
    if (idx < 0).any():
        raise RuntimeError("Approximate search left rows without enough neighbours.")
    return _finish(X, np.arange(start, stop), idx, k, metric)


def _exact(X: np.ndarray, k: int, metric: str) -> tuple[np.ndarray, np.ndarray]:
    from dcml_widgets.analysis.compute import LocalRunner, current

    shared = {"X": X, "k": k, "metric": metric}
    runner = current()
    if isinstance(runner, LocalRunner):
        return _in_threads(shared, X.shape[0])
    items = _chunks(X.shape[0])
    parts = runner.map(neighbour_chunk, shared, items, name="dcml-neighbours")
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


def _approximate(X: np.ndarray, k: int, metric: str) -> tuple[np.ndarray, np.ndarray]:
    import faiss

    Y = _searchable(X, metric)
    index = faiss.IndexHNSWFlat(Y.shape[1], HNSW_LINKS)
    index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
    index.hnsw.efSearch = max(HNSW_EF_SEARCH, k + 1)
    # threads insert into the graph in a racy order: one thread keeps it reproducible
    with _one_faiss_thread():
        index.add(Y)
    return _in_threads({"X": X, "k": k, "metric": metric, "index": index}, X.shape[0])


def _chunks(n: int) -> list[dict[str, int]]:
    return [{"start": s, "stop": min(s + EXACT_CHUNK, n)} for s in range(0, n, EXACT_CHUNK)]


def _in_threads(shared: dict, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Search the chunks on one Python thread per core, each with one faiss thread.

    faiss's own OpenMP threads spin while they wait for each other: on a busy 2-core machine
    its 2-thread flat search ran 2-3x slower than one thread; Python threads (faiss releases
    the GIL) just share the cores.
    """
    import os
    from concurrent.futures import ThreadPoolExecutor

    items = _chunks(n)
    with ThreadPoolExecutor(max_workers=min(len(items), os.cpu_count() or 1)) as pool:
        parts = list(pool.map(lambda item: neighbour_chunk(**shared, **item), items))
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


@contextlib.contextmanager
def _one_faiss_thread() -> Iterator[None]:
    # OpenMP's thread count is per calling thread: this one's is set and put back
    import faiss

    before = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    try:
        yield
    finally:
        faiss.omp_set_num_threads(before)


def _searchable(X: np.ndarray, metric: str) -> np.ndarray:
    """Rows as faiss searches them: squared L2 order is cosine order on unit rows."""
    Y = np.ascontiguousarray(X, dtype=np.float32)
    if metric == "cosine":
        norms = np.linalg.norm(Y, axis=1, keepdims=True)
        Y = np.ascontiguousarray(Y / np.where(norms > 0, norms, 1), dtype=np.float32)
    return Y


def _finish(
    X: np.ndarray, rows: np.ndarray, idx: np.ndarray, k: int, metric: str
) -> tuple[np.ndarray, np.ndarray]:
    """Drop each row itself from its ``k + 1`` candidates and sort by the true distance.

    faiss ranks in float32 through ``|x|^2 - 2 x.y + |y|^2``, which leaves duplicates a
    little apart; the kept distances are recomputed from the rows in float64.
    """
    keep = idx != rows[:, None]  # False where the row found itself
    keep[keep.all(axis=1), -1] = False  # itself not among the k + 1 (duplicates): drop the last
    idx = idx[keep].reshape(len(rows), k).astype(np.int64)
    Q = X[rows].astype(np.float64)
    N = X[idx].astype(np.float64)
    if metric == "cosine":
        qn = np.linalg.norm(Q, axis=1, keepdims=True)
        nn = np.linalg.norm(N, axis=2)
        dots = np.einsum("rd,rkd->rk", Q, N)
        with np.errstate(invalid="ignore", divide="ignore"):
            cos = np.where((qn > 0) & (nn > 0), dots / (qn * nn), 0.0)
        dist = 1.0 - cos
    else:
        dist = np.sqrt(np.einsum("rkd,rkd->rk", N - Q[:, None, :], N - Q[:, None, :]))
    order = np.argsort(dist, axis=1, kind="stable")
    idx = np.take_along_axis(idx, order, axis=1)
    dist = np.maximum(np.take_along_axis(dist, order, axis=1), 0).astype(np.float32)
    return idx, dist
