"""A UMAP layout for many rows: fit on a sample, place the rest through the shared kNN graph.

umap-learn's own route for this (fit on a sample, ``transform`` the rest) needs a search index
of the sample and compiles pynndescent's query code, over a minute in a fresh process here.
Every row already has its nearest neighbours in the shared graph, so a row outside the sample
is placed at the weighted mean of its already-placed neighbours, round by round outwards from
the sample: this is the first step of ``UMAP.transform`` (its initial placement) with the
neighbours we already have, and no second index. Rows no round reaches (a component of the
graph without a sample row) are placed by a linear map from the features, fitted on the sample.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from dcml_widgets.analysis.knn import KnnGraph, nearest_neighbors

#: Row count above which the layout is fitted on a sample of this many rows.
LAYOUT_SAMPLE_ROWS = 200_000
#: Rounds of placement through the graph before the linear fallback takes the rest.
MAX_ROUNDS = 30


def choose_sample(n_rows: int, sample_rows: int, random_state: int | None) -> np.ndarray:
    """Sorted positions of a uniform random sample of rows.

    Parameters
    ----------
    n_rows : int
        Rows in the data.
    sample_rows : int
        Rows to draw (all rows when ``n_rows <= sample_rows``).
    random_state : int or None
        Seed.

    Returns
    -------
    numpy.ndarray
        int64 positions, ascending.
    """
    if n_rows <= sample_rows:
        return np.arange(n_rows, dtype=np.int64)
    rng = np.random.default_rng(random_state)
    return np.sort(rng.choice(n_rows, size=sample_rows, replace=False)).astype(np.int64)


def neighbour_weights(graph: KnnGraph) -> np.ndarray:
    """Per-edge weights like UMAP's memberships: ``exp(-(d - d_nearest) / scale)``.

    Parameters
    ----------
    graph : KnnGraph

    Returns
    -------
    numpy.ndarray
        ``(N, k)`` float64 weights in ``(0, 1]``.
    """
    d = graph.distances.astype(np.float64)
    rho = d[:, :1]
    scale = np.maximum((d - rho).mean(axis=1, keepdims=True), 1e-12)
    return np.exp(-np.maximum(d - rho, 0.0) / scale)


def place_through_graph(
    coords: np.ndarray, placed: np.ndarray, graph: KnnGraph, *, max_rounds: int = MAX_ROUNDS
) -> np.ndarray:
    """Place unplaced rows at the weighted mean of their placed neighbours, round by round.

    Parameters
    ----------
    coords : numpy.ndarray
        ``(N, 2)`` float64 positions; read where ``placed``, written elsewhere (in place).
    placed : numpy.ndarray
        ``(N,)`` bool, updated in place.
    graph : KnnGraph
        The shared graph.
    max_rounds : int
        Rounds before giving up on the rows left.

    Returns
    -------
    numpy.ndarray
        ``(N,)`` bool: rows still unplaced.
    """
    weights = neighbour_weights(graph)
    for _ in range(max_rounds):
        todo = np.flatnonzero(~placed)
        if todo.size == 0:
            break
        nbrs = graph.indices[todo]
        w = weights[todo] * placed[nbrs]
        total = w.sum(axis=1)
        ready = total > 0
        if not ready.any():
            break
        rows, nbrs, w = todo[ready], nbrs[ready], w[ready]
        coords[rows] = np.einsum("rk,rkc->rc", w, coords[nbrs]) / total[ready, None]
        # Marked after the round, so a round only uses the rows placed before it.
        placed[rows] = True
    return ~placed


def sampled_umap_layout(
    X: np.ndarray,
    graph: KnnGraph,
    fit_layout: Callable[[np.ndarray, KnnGraph], np.ndarray],
    *,
    sample_rows: int = LAYOUT_SAMPLE_ROWS,
    random_state: int | None = 0,
) -> np.ndarray:
    """Fit the layout on a random sample and place every other row through ``graph``.

    Parameters
    ----------
    X : numpy.ndarray
        ``(N, d)`` float32 matrix the graph was built on.
    graph : KnnGraph
        Shared graph over all ``N`` rows.
    fit_layout : callable
        ``fit_layout(X_sample, sample_graph) -> (n, 2)`` coordinates.
    sample_rows : int
        Rows in the sample.
    random_state : int or None
        Seed for the sample and the fit.

    Returns
    -------
    numpy.ndarray
        ``(N, 2)`` float32.
    """
    n = X.shape[0]
    sample = choose_sample(n, sample_rows, random_state)
    # The shared graph holds few sample rows among a row's neighbours, so the sample needs
    # its own graph to be fitted on.
    sample_graph = nearest_neighbors(X[sample], graph.k, metric=graph.metric)
    coords = np.zeros((n, 2), dtype=np.float64)
    coords[sample] = fit_layout(X[sample], sample_graph)
    placed = np.zeros(n, dtype=bool)
    placed[sample] = True
    left = place_through_graph(coords, placed, graph)
    if left.any():
        coords[left] = _linear_placement(X, sample, coords[sample], np.flatnonzero(left))
    return coords.astype(np.float32)


def _linear_placement(
    X: np.ndarray, sample: np.ndarray, sample_coords: np.ndarray, rows: np.ndarray
) -> np.ndarray:
    from sklearn.linear_model import Ridge

    return Ridge(alpha=1.0).fit(X[sample], sample_coords).predict(X[rows])
