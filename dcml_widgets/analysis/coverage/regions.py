"""Per-row coverage scores on the shared kNN graph and the regions they form.

Everything here reads the one graph the pipeline built (``KnnGraph.indices``); nothing
searches neighbours again.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

#: A pool row is a gap candidate when its neighbourhood holds less than this share of the
#: labelled rows the whole data would predict (score < 0.5: under half the expected count).
CANDIDATE_BELOW = 0.5
#: Random relabellings that measure how large a candidate region grows by chance.
NULL_RUNS = 99
#: Fewest pool rows a gap has, however large chance regions are.
MIN_GAP_SIZE = 5


def underrepresented_scores(indices: np.ndarray, trained: np.ndarray) -> np.ndarray:
    """Labelled share among each row's neighbours ÷ the overall labelled share, in [0, 1].

    Parameters
    ----------
    indices : numpy.ndarray
        ``(N, k)`` neighbour positions (the shared graph).
    trained : numpy.ndarray
        ``(N,)`` bool: rows the model was trained on (labelled, not excluded).

    Returns
    -------
    numpy.ndarray
        ``(N,)`` float64; 1.0 = as covered as the data on average, 0.0 = no labelled
        neighbour at all.
    """
    share = float(trained.mean()) if trained.size else 0.0
    if share == 0.0 or indices.shape[1] == 0:
        return np.ones(len(trained), dtype=np.float64)
    local = trained[indices].mean(axis=1)
    return np.clip(local / share, 0.0, 1.0)


def candidate_regions(indices: np.ndarray, candidate: np.ndarray) -> np.ndarray:
    """Connected regions of candidate rows: graph edges between two candidates join them.

    Parameters
    ----------
    indices : numpy.ndarray
        ``(N, k)`` neighbour positions.
    candidate : numpy.ndarray
        ``(N,)`` bool.

    Returns
    -------
    numpy.ndarray
        ``(N,)`` int64 region number per candidate row (0, 1, ...), ``-1`` elsewhere.
    """
    n, k = indices.shape
    region = np.full(n, -1, dtype=np.int64)
    rows = np.flatnonzero(candidate)
    if rows.size == 0:
        return region
    position = np.full(n, -1, dtype=np.int64)
    position[rows] = np.arange(rows.size)
    targets = position[indices[rows]]
    keep = targets >= 0
    sources = np.repeat(np.arange(rows.size), k)[keep.ravel()]
    edges = sp.csr_matrix(
        (np.ones(sources.size, dtype=np.int8), (sources, targets[keep])),
        shape=(rows.size, rows.size),
    )
    _, labels = connected_components(edges, directed=True, connection="weak")
    region[rows] = labels
    return region


def chance_region_size(
    indices: np.ndarray, trained: np.ndarray, eligible: np.ndarray, *, seed: int
) -> int:
    """The largest candidate region seen when the training rows are drawn at random.

    The null hypothesis is an i.i.d. split: the same number of training rows, placed
    uniformly among the eligible (non-excluded) rows, on the same graph. A real region
    larger than every one of :data:`NULL_RUNS` such draws is a gap (a family-wise error
    of at most 1 / (NULL_RUNS + 1) per analysis, ties making it smaller).

    Parameters
    ----------
    indices : numpy.ndarray
        ``(N, k)`` neighbour positions.
    trained : numpy.ndarray
        ``(N,)`` bool: the real training rows (only their count is used).
    eligible : numpy.ndarray
        ``(N,)`` bool: rows that are training or pool rows (not excluded).
    seed : int

    Returns
    -------
    int
    """
    rng = np.random.default_rng(seed)
    rows = np.flatnonzero(eligible)
    n_trained = int(trained.sum())
    largest = 0
    for _ in range(NULL_RUNS):
        fake = np.zeros(len(trained), dtype=bool)
        fake[rng.choice(rows, size=n_trained, replace=False)] = True
        scores = underrepresented_scores(indices, fake)
        region = candidate_regions(indices, eligible & ~fake & (scores < CANDIDATE_BELOW))
        if (region >= 0).any():
            largest = max(largest, int(np.bincount(region[region >= 0]).max()))
    return largest
