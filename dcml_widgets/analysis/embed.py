"""2-D layouts: an instant PCA first look and a UMAP layout built on the shared kNN graph."""

from __future__ import annotations

import threading
import time
import warnings

import numpy as np

from dcml_widgets.analysis.knn import KnnGraph, nearest_neighbors
from dcml_widgets.analysis.layout_sample import LAYOUT_SAMPLE_ROWS, sampled_umap_layout

#: UMAP's neighbourhood size (counts the row itself); the shared graph holds N_NEIGHBORS - 1.
N_NEIGHBORS = 15
#: Fewest rows for which a UMAP layout is made; below it PCA is the layout.
MIN_UMAP_ROWS = 50
#: Dimensions the model matrix is reduced to (PCA) before the kNN graph and UMAP.
GRAPH_DIMS = 50

_warm_lock = threading.Lock()
_warmed: set[bool] = set()


def reduce_dimensions(
    X: np.ndarray, *, n_components: int = GRAPH_DIMS, random_state: int | None = 0
) -> np.ndarray:
    """PCA-reduce a wide matrix for the neighbour search; narrow ones pass unchanged.

    Parameters
    ----------
    X : numpy.ndarray
        ``(N, d)`` finite model matrix.
    n_components : int
        Target width; matrices no wider than this are returned as float32 unchanged.
    random_state : int or None
        Seed for the randomized SVD.

    Returns
    -------
    numpy.ndarray
        ``(N, min(d, n_components))`` float32.
    """
    X = np.asarray(X, dtype=np.float32)
    if X.shape[1] <= n_components or X.shape[0] <= n_components:
        return np.ascontiguousarray(X)
    from sklearn.decomposition import PCA

    pca = PCA(n_components=n_components, svd_solver="randomized", random_state=random_state)
    return np.ascontiguousarray(pca.fit_transform(X), dtype=np.float32)


def pca_layout(X: np.ndarray, *, random_state: int | None = 0) -> np.ndarray:
    """The first two principal components: a layout available at once.

    Parameters
    ----------
    X : numpy.ndarray
        ``(N, d)`` finite matrix.
    random_state : int or None
        Seed for the randomized SVD on large matrices.

    Returns
    -------
    numpy.ndarray
        ``(N, 2)`` float32, finite; zero columns where the data has fewer than two directions.
    """
    X = np.asarray(X, dtype=np.float64)
    n = X.shape[0]
    out = np.zeros((n, 2), dtype=np.float32)
    if n < 2 or X.shape[1] == 0:
        return out
    centred = X - X.mean(axis=0)
    n_comp = min(2, n, X.shape[1])
    if X.shape[1] > 500:
        from sklearn.decomposition import PCA

        pca = PCA(n_components=n_comp, svd_solver="randomized", random_state=random_state)
        coords = pca.fit_transform(centred)
    else:
        # Eigenvectors of the d x d covariance: O(N d^2), far cheaper than an SVD of X.
        _, vectors = np.linalg.eigh(centred.T @ centred)
        top = vectors[:, ::-1][:, :n_comp]
        top *= np.sign(top[np.abs(top).argmax(axis=0), np.arange(n_comp)])
        coords = centred @ top
    out[:, :n_comp] = coords
    return _finite(out)


def default_epochs(n_rows: int) -> int:
    """Optimisation epochs for UMAP: fewer than umap-learn's 500 / 200.

    Measured: on digits 200 epochs keep trustworthiness within 0.003 of a default run
    (tests/test_embed.py); on 20k x 50 rows 120 epochs lose under 0.004 (on a 4k-row sample)
    and cut the seeded, single-threaded optimisation from ~15 s to ~8 s on this machine. At
    100k x 50 (bench_analyze's data, 10k-row subsample) 60 epochs lose 0.018 against 120
    (0.861 vs 0.879) in 55 % of the time; 40 lose 0.071, and fitting on a 50k sample
    instead loses 0.013 but saves nothing (it needs its own neighbour graph).

    Parameters
    ----------
    n_rows : int

    Returns
    -------
    int
    """
    if n_rows <= 10_000:
        return 200
    return 120 if n_rows <= 50_000 else 60


def umap_layout(
    X: np.ndarray,
    graph: KnnGraph | None = None,
    *,
    random_state: int | None = 0,
    n_epochs: int | None = None,
    sample_rows: int | None = LAYOUT_SAMPLE_ROWS,
) -> np.ndarray:
    """A 2-D UMAP layout that reuses a precomputed kNN graph instead of searching again.

    Above ``sample_rows`` rows the layout is fitted on a random sample of that many rows and
    the others are placed through the graph
    (:func:`~dcml_widgets.analysis.layout_sample.sampled_umap_layout`).

    Parameters
    ----------
    X : numpy.ndarray
        ``(N, d)`` finite matrix the graph was built on, ``N >= 2``.
    graph : KnnGraph, optional
        Shared graph with at least ``N_NEIGHBORS - 1`` neighbours per row (or ``N - 1`` for
        tiny data); computed here when omitted.
    random_state : int or None
        Seed (reproducible, single-threaded); ``None`` runs multi-threaded.
    n_epochs : int, optional
        Optimisation epochs (default :func:`default_epochs`).
    sample_rows : int or None
        Fit on a sample of this many rows when there are more; ``None`` fits on every row.

    Returns
    -------
    numpy.ndarray
        ``(N, 2)`` float32, finite.
    """
    X = np.asarray(X, dtype=np.float32)
    n = X.shape[0]
    if n < 3:
        return pca_layout(X)
    n_neighbors = min(N_NEIGHBORS, n - 1)
    if graph is None or graph.k < n_neighbors - 1:
        graph = nearest_neighbors(X, n_neighbors - 1)
    if graph.n_rows != n:
        raise ValueError(f"graph has {graph.n_rows} rows but X has {n}.")
    if sample_rows is not None and n > sample_rows:
        return sampled_umap_layout(
            X,
            graph,
            lambda Xs, gs: umap_layout(
                Xs, gs, random_state=random_state, n_epochs=n_epochs, sample_rows=None
            ),
            sample_rows=sample_rows,
            random_state=random_state,
        )
    warm_up(seeded=random_state is not None)
    import umap

    model = umap.UMAP(
        n_neighbors=n_neighbors,
        n_components=2,
        metric=graph.metric,
        precomputed_knn=graph.for_umap(n_neighbors),
        random_state=random_state,
        n_epochs=default_epochs(n) if n_epochs is None else n_epochs,
        # PCA init matches spectral init's quality (digits and 20k x 50) without its
        # seconds of eigensolver; spectral would also fail on a handful of rows. PCA needs
        # two input columns.
        init="pca" if n >= MIN_UMAP_ROWS and X.shape[1] >= 2 else "random",
    )
    with warnings.catch_warnings():
        # precomputed_knn without an NNDescent index only means no .transform() later.
        warnings.filterwarnings("ignore", message=".*knn_search_index.*")
        warnings.filterwarnings("ignore", message=".*n_jobs value.*")
        warnings.filterwarnings("ignore", category=UserWarning, module="umap")
        coords = model.fit_transform(X)
    return _finite(np.asarray(coords, dtype=np.float32))


def warm_up(*, seeded: bool = True) -> float:
    """Compile UMAP's numba functions once per process, on a tiny problem.

    Called by :func:`umap_layout` itself (in the dashboard, from the background layout
    thread). Later calls return at once.

    Parameters
    ----------
    seeded : bool
        Compile the single-threaded (seeded) or the parallel optimiser.

    Returns
    -------
    float
        Seconds spent (0.0 when already warm).
    """
    with _warm_lock:
        if seeded in _warmed:
            return 0.0
        start = time.perf_counter()
        import umap

        if seeded:
            _cache_compiled_umap()
        rng = np.random.default_rng(0)
        X = rng.normal(size=(64, 4)).astype(np.float32)
        graph = nearest_neighbors(X, N_NEIGHBORS - 1, method="exact")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            umap.UMAP(
                n_neighbors=N_NEIGHBORS,
                precomputed_knn=graph.for_umap(N_NEIGHBORS),
                random_state=0 if seeded else None,
                n_epochs=2,
            ).fit_transform(X)
        _warmed.add(seeded)
        return time.perf_counter() - start


def _cache_compiled_umap() -> None:
    """Keep umap's compiled layout code on disk, so a fresh kernel loads it in a blink.

    umap-learn compiles these numba functions on every process start (no ``cache=True``),
    which costs 5-10 s per kernel here. Only the single-threaded optimiser is cached: its
    parallel twin shares the same Python function, hence the same cache file.
    """
    try:
        import umap.layouts
        import umap.umap_

        for dispatcher in (
            umap.umap_.smooth_knn_dist,
            umap.umap_.compute_membership_strengths,
            umap.layouts._nb_optimize_layout_euclidean_single_epoch,
        ):
            if not dispatcher.signatures:
                dispatcher.enable_caching()
    except (AttributeError, ImportError, OSError, RuntimeError):
        # Another umap-learn version or a read-only install: compile as usual.
        return


def _finite(coords: np.ndarray) -> np.ndarray:
    coords = np.ascontiguousarray(coords, dtype=np.float32)
    if not np.isfinite(coords).all():
        coords = np.nan_to_num(coords, nan=0.0, posinf=0.0, neginf=0.0)
    return coords
