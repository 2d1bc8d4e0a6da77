"""The sampled layout: UMAP on a sample, the other rows placed through the shared graph."""

from __future__ import annotations

import numpy as np
from sklearn import datasets
from sklearn.manifold import trustworthiness

from dcml_widgets.analysis.embed import pca_layout, umap_layout
from dcml_widgets.analysis.knn import KnnGraph, nearest_neighbors
from dcml_widgets.analysis.layout_sample import choose_sample, place_through_graph


def _graph(indices: list[list[int]], distances: list[list[float]]) -> KnnGraph:
    return KnnGraph(
        indices=np.array(indices, dtype=np.int64),
        distances=np.array(distances, dtype=np.float32),
        metric="euclidean",
        method="exact",
    )


def test_a_sampled_layout_of_digits_is_nearly_as_trustworthy_as_a_full_one():
    X = datasets.load_digits().data.astype(np.float32)
    graph = nearest_neighbors(X, 14)
    full = umap_layout(X, graph, sample_rows=None)
    sampled = umap_layout(X, graph, sample_rows=600)
    assert sampled.shape == (len(X), 2) and np.isfinite(sampled).all()
    t_full = trustworthiness(X, full, n_neighbors=10)
    t_sampled = trustworthiness(X, sampled, n_neighbors=10)
    assert t_sampled > t_full - 0.05
    assert t_sampled > trustworthiness(X, pca_layout(X), n_neighbors=10) + 0.1


def test_rows_are_placed_round_by_round_at_the_weighted_mean_of_placed_neighbours():
    # Rows 0 and 1 are placed; row 2 sits between them; row 3 only knows row 2.
    graph = _graph([[2, 1], [2, 0], [0, 1], [2, 2]], [[1, 2], [1, 2], [1, 1], [1, 1]])
    coords = np.array([[0.0, 0.0], [2.0, 4.0], [9.0, 9.0], [9.0, 9.0]])
    placed = np.array([True, True, False, False])
    left = place_through_graph(coords, placed, graph)
    assert not left.any()
    np.testing.assert_allclose(coords[2], [1.0, 2.0])
    np.testing.assert_allclose(coords[3], [1.0, 2.0])
    np.testing.assert_allclose(coords[:2], [[0.0, 0.0], [2.0, 4.0]])


def test_a_component_without_a_sample_row_is_left_to_the_fallback():
    graph = _graph([[1], [0], [3], [2]], [[1], [1], [1], [1]])
    coords = np.zeros((4, 2))
    coords[0] = [1.0, 1.0]
    placed = np.array([True, False, False, False])
    left = place_through_graph(coords, placed, graph)
    np.testing.assert_array_equal(left, [False, False, True, True])
    np.testing.assert_allclose(coords[1], [1.0, 1.0])


def test_the_layout_of_many_rows_covers_every_row_even_in_an_unreached_component():
    rng = np.random.default_rng(0)
    main = rng.normal(size=(400, 5)).astype(np.float32)
    island = (rng.normal(size=(20, 5)) + 50).astype(np.float32)
    X = np.vstack([main, island])
    graph = nearest_neighbors(X, 14)
    # With 30 sampled rows the island (20 of 420) usually holds none; whatever the draw,
    # every row must get finite coordinates and the island must sit apart from the rest.
    coords = umap_layout(X, graph, sample_rows=30)
    assert coords.shape == (420, 2) and np.isfinite(coords).all()
    centre = coords[:400].mean(axis=0)
    spread = np.linalg.norm(coords[:400] - centre, axis=1).mean()
    assert np.linalg.norm(coords[400:].mean(axis=0) - centre) > spread


def test_the_sample_is_seeded_sorted_and_everything_when_small():
    a = choose_sample(1000, 100, 3)
    np.testing.assert_array_equal(a, choose_sample(1000, 100, 3))
    assert len(np.unique(a)) == 100 and (np.diff(a) > 0).all()
    np.testing.assert_array_equal(choose_sample(50, 100, 3), np.arange(50))
