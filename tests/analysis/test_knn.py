"""The shared kNN graph: exact neighbours, self excluded, sorted, in Datalab's and UMAP's forms."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.spatial.distance import cdist

from dcml_widgets.analysis.knn import KnnGraph, knn_graph, nearest_neighbors


def _points(n=300, d=8, seed=0):
    return np.random.default_rng(seed).normal(size=(n, d)).astype(np.float32)


def _expected(X, k):
    dist = cdist(X.astype(np.float64), X.astype(np.float64))
    np.fill_diagonal(dist, np.inf)
    order = np.argsort(dist, axis=1, kind="stable")[:, :k]
    return order, np.take_along_axis(dist, order, axis=1)


def test_exact_graph_matches_brute_force_distances():
    X = _points()
    graph = nearest_neighbors(X, 10)
    idx, dist = _expected(X, 10)
    assert graph.method == "exact"
    assert graph.indices.shape == (300, 10) and graph.distances.dtype == np.float32
    np.testing.assert_allclose(graph.distances, dist, rtol=1e-4, atol=1e-4)
    same = np.mean([set(a) == set(b) for a, b in zip(graph.indices, idx, strict=True)])
    assert same > 0.99  # ties at float32 precision may swap the last neighbour
    assert not (graph.indices == np.arange(300)[:, None]).any()


def test_csr_graph_is_what_datalab_expects():
    X = _points(50, 3)
    X[7] = X[3]  # an exact duplicate must appear as an explicit zero distance
    csr = knn_graph(X, 5)
    assert csr.shape == (50, 50) and csr.nnz == 250
    rows = csr.data.reshape(50, 5)
    assert (np.diff(rows, axis=1) >= 0).all()
    assert csr.indices.reshape(50, 5)[3, 0] == 7 and rows[3, 0] == 0.0
    assert (
        csr.diagonal().sum() == 0 and (csr.indices.reshape(50, 5) != np.arange(50)[:, None]).all()
    )


def test_slices_for_datalab_and_umap():
    graph = nearest_neighbors(_points(100, 4), 14)
    assert graph.to_csr(10).nnz == 1000
    np.testing.assert_array_equal(graph.to_csr(10).indices.reshape(100, 10), graph.indices[:, :10])
    idx, dist = graph.for_umap(15)
    assert idx.shape == dist.shape == (100, 15)
    np.testing.assert_array_equal(idx[:, 0], np.arange(100))
    assert (dist[:, 0] == 0).all() and dist.dtype == np.float32
    np.testing.assert_array_equal(idx[:, 1:], graph.indices)
    with pytest.raises(ValueError, match="neighbours"):
        graph.for_umap(16)


def test_approximate_search_finds_nearly_the_exact_neighbours():
    X = _points(400, 6, seed=1)
    approx = nearest_neighbors(X, 10, method="approximate")
    exact, _ = _expected(X, 10)
    assert approx.method == "approximate"
    assert not (approx.indices == np.arange(400)[:, None]).any()
    assert (np.diff(approx.distances, axis=1) >= 0).all()
    recall = np.mean(
        [len(set(a) & set(b)) / 10 for a, b in zip(approx.indices, exact, strict=True)]
    )
    assert recall > 0.9


def test_duplicates_are_neighbours_at_distance_zero_whatever_the_search_order():
    X = _points(200, 5, seed=2)
    X[10:16] = X[10]  # six identical rows: each must list the other five first, at 0
    for method in ("exact", "approximate"):
        graph = nearest_neighbors(X, 7, method=method)
        for row in range(10, 16):
            assert set(graph.indices[row, :5]) == set(range(10, 16)) - {row}
            assert (graph.distances[row, :5] == 0).all() and graph.distances[row, 5] > 0
        assert not (graph.indices == np.arange(200)[:, None]).any()


def test_cosine_distances_are_one_minus_the_cosine():
    X = _points(150, 6, seed=3)
    X[5] = 0  # a zero row is at cosine distance 1 from everything, as in scikit-learn
    graph = nearest_neighbors(X, 8, metric="cosine")
    full = cdist(X.astype(np.float64), X.astype(np.float64), metric="cosine")
    full = np.nan_to_num(full, nan=1.0)
    np.fill_diagonal(full, np.inf)
    expected = np.sort(full, axis=1)[:, :8]
    np.testing.assert_allclose(graph.distances, expected, atol=1e-5)


def test_bad_input_is_refused_with_a_clear_message():
    with pytest.raises(ValueError, match="rows"):
        nearest_neighbors(_points(5, 2), 5)
    X = _points(20, 2)
    X[3, 1] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        nearest_neighbors(X, 3)
    with pytest.raises(ValueError, match="metric"):
        nearest_neighbors(_points(20, 2), 3, metric="manhattan")
    assert isinstance(nearest_neighbors(_points(3, 2), 2), KnnGraph)
