"""Layouts: UMAP on the shared graph keeps digits' neighbourhoods as well as umap-learn does."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from sklearn.datasets import load_digits
from sklearn.manifold import trustworthiness

from dcml_widgets.analysis.embed import pca_layout, reduce_dimensions, umap_layout
from dcml_widgets.analysis.knn import nearest_neighbors


def test_umap_on_shared_graph_is_as_trustworthy_as_default_umap_on_digits():
    import umap

    X = load_digits().data.astype(np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference = umap.UMAP(random_state=0).fit_transform(X)
    graph = nearest_neighbors(X, 14)
    ours = umap_layout(X, graph, random_state=0)
    assert ours.shape == (len(X), 2) and ours.dtype == np.float32 and np.isfinite(ours).all()
    t_ref = trustworthiness(X, reference, n_neighbors=10)
    t_ours = trustworthiness(X, ours, n_neighbors=10)
    assert t_ours >= t_ref - 0.02, (t_ours, t_ref)
    # And far better than the PCA first look it replaces.
    assert t_ours > trustworthiness(X, pca_layout(X), n_neighbors=10) + 0.1


def test_umap_is_reproducible_with_a_seed_and_runs_unseeded():
    X = np.random.default_rng(0).normal(size=(80, 5)).astype(np.float32)
    graph = nearest_neighbors(X, 14)
    unseeded = umap_layout(X, graph, random_state=None)  # the parallel optimiser
    assert unseeded.shape == (80, 2) and np.isfinite(unseeded).all()
    np.testing.assert_array_equal(
        umap_layout(X, graph, random_state=3), umap_layout(X, graph, random_state=3)
    )


@pytest.mark.parametrize("n", [1, 2, 3, 7, 20, 60])
def test_tiny_data_gives_a_finite_float32_layout(n):
    X = np.random.default_rng(n).normal(size=(n, 4)).astype(np.float32)
    for coords in (pca_layout(X), umap_layout(X, random_state=0)):
        assert coords.shape == (n, 2) and coords.dtype == np.float32
        assert np.isfinite(coords).all()


def test_degenerate_inputs_stay_finite():
    assert np.isfinite(pca_layout(np.ones((30, 3)))).all()
    assert (pca_layout(np.arange(10.0)[:, None])[:, 1] == 0).all()
    X = np.zeros((60, 3), np.float32)
    X[30:] = 1.0  # two piles of exact duplicates
    coords = umap_layout(X, random_state=0)
    assert np.isfinite(coords).all() and coords.dtype == np.float32


def test_pca_layout_matches_the_first_two_principal_components():
    from sklearn.decomposition import PCA

    X = load_digits().data[:300]
    ours = pca_layout(X)
    theirs = PCA(n_components=2).fit_transform(X)
    for j in range(2):
        assert abs(np.corrcoef(ours[:, j], theirs[:, j])[0, 1]) > 0.999


def test_reduce_dimensions_only_narrows_wide_matrices():
    X = np.random.default_rng(0).normal(size=(200, 120))
    assert reduce_dimensions(X).shape == (200, 50)
    narrow = np.ones((200, 10))
    assert reduce_dimensions(narrow).shape == (200, 10)
    assert reduce_dimensions(narrow).dtype == np.float32
