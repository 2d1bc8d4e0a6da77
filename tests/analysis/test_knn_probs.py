"""probability_neighbors against sklearn's brute-force search on sqrt(P)."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.neighbors import NearestNeighbors

from dcml_widgets.analysis import knn_probs
from dcml_widgets.analysis.knn_probs import probability_neighbors


def _probs(n, n_classes, strength, seed=1):
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, n_classes, n)
    logits = rng.normal(0, 1, (n, n_classes))
    logits[np.arange(n), truth] += strength
    probs = np.exp(logits)
    return probs / probs.sum(axis=1, keepdims=True)


def _brute(probs, k):
    dist, idx = NearestNeighbors(n_neighbors=k).fit(np.sqrt(probs)).kneighbors()
    return idx, dist


def _recall(graph, idx):
    pairs = zip(graph.indices, idx, strict=True)
    return np.mean([len(set(a) & set(b)) / graph.k for a, b in pairs])


def _assert_well_formed(graph, n, k):
    assert graph.indices.shape == (n, k) and graph.distances.shape == (n, k)
    assert (graph.indices != np.arange(n)[:, None]).all()
    assert (np.diff(graph.distances, axis=1) >= 0).all()


@pytest.mark.parametrize(("n_classes", "algorithm"), [(3, "k-d tree"), (10, "brute force")])
def test_small_problems_are_searched_exactly(n_classes, algorithm):
    probs = _probs(1500, n_classes, 3.0)
    graph = probability_neighbors(probs, 14)
    _, dist = _brute(probs, 14)
    assert graph.method == "exact", algorithm
    _assert_well_formed(graph, 1500, 14)
    np.testing.assert_allclose(graph.distances, dist, atol=1e-5)


def test_grouped_search_is_exact_on_confident_rows_and_close_on_uncertain_ones(monkeypatch):
    # Force the large-data path on small data, so it can be compared with brute force.
    monkeypatch.setattr(knn_probs, "BRUTE_MAX_ROWS", 0)
    confident = _probs(3000, 10, 8.0)
    graph = probability_neighbors(confident, 14)
    _, dist = _brute(confident, 14)
    assert graph.method == "exact"
    _assert_well_formed(graph, 3000, 14)
    np.testing.assert_allclose(graph.distances, dist, atol=1e-5)

    uncertain = _probs(3000, 10, 2.0)
    graph = probability_neighbors(uncertain, 14)
    idx, _ = _brute(uncertain, 14)
    _assert_well_formed(graph, 3000, 14)
    assert graph.method == "approximate"
    assert _recall(graph, idx) >= 0.95  # measured 0.976


def test_rows_of_tiny_classes_still_get_k_neighbours(monkeypatch):
    monkeypatch.setattr(knn_probs, "BRUTE_MAX_ROWS", 0)
    probs = _probs(600, 10, 6.0)
    probs[:3] = np.eye(10)[9] * 0.9 + 0.01  # a class only three rows predict
    probs[:3] /= probs[:3].sum(axis=1, keepdims=True)
    probs[3:] = np.where(probs[3:].argmax(axis=1)[:, None] == 9, probs[3:, ::-1], probs[3:])
    graph = probability_neighbors(probs, 14)
    _assert_well_formed(graph, 600, 14)
    _, dist = _brute(probs, 14)
    np.testing.assert_allclose(graph.distances[:3], dist[:3], atol=1e-5)


def test_too_few_rows_is_refused():
    with pytest.raises(ValueError, match="at least 15 rows"):
        probability_neighbors(_probs(10, 3, 2.0), 14)
