"""The gap table: one row per region of the map the training data does not cover."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dcml_widgets.values import native

#: Columns of ``report.gaps`` (index ``gap``).
GAP_COLUMNS = ("size", "nearest_classes", "example_ids", "x", "y")
#: Training rows nearest to a gap's centre that vote for its nearest classes.
NEAREST_TRAINING_ROWS = 20
MAX_CLASSES = 3
MAX_EXAMPLES = 5


def empty_gaps() -> pd.DataFrame:
    """A gap table with no rows (the default of reports made without a pool).

    Returns
    -------
    pandas.DataFrame
    """
    frame = pd.DataFrame(
        {
            "size": pd.Series([], dtype=np.int64),
            "nearest_classes": pd.Series([], dtype=object),
            "example_ids": pd.Series([], dtype=object),
            "x": pd.Series([], dtype=np.float64),
            "y": pd.Series([], dtype=np.float64),
        }
    )
    frame.index = pd.RangeIndex(0, name="gap")
    return frame


def gap_table(
    members: list[np.ndarray],
    vectors: np.ndarray,
    trained: np.ndarray,
    codes: np.ndarray,
    classes: np.ndarray,
    ids: pd.Index,
) -> pd.DataFrame:
    """Describe each gap: its size, the classes nearest to it, typical rows, its place.

    Parameters
    ----------
    members : list of numpy.ndarray
        Row positions of each gap, largest gap first.
    vectors : numpy.ndarray
        ``(N, d)`` the matrix the kNN graph was built on.
    trained : numpy.ndarray
        ``(N,)`` bool training rows.
    codes : numpy.ndarray
        ``(N,)`` class positions (``-1`` = none).
    classes : numpy.ndarray
    ids : pandas.Index

    Returns
    -------
    pandas.DataFrame
        Index ``gap`` (0 = largest); ``size``; ``nearest_classes``: up to 3 classes, most
        common first among the training rows nearest to the gap's centre (each held by at
        least 2 of them, or the nearest one's class alone); ``example_ids``: up to 5 member
        ids, nearest to the centre first; ``x``, ``y``: NaN here, set by :func:`place_gaps`
        to the map position of the first example (a real point inside the gap, wherever
        the layout bends it).
    """
    if not members:
        return empty_gaps()
    train_rows = np.flatnonzero(trained)
    train_vectors = np.asarray(vectors[train_rows], dtype=np.float64)
    train_sq = (train_vectors**2).sum(axis=1)
    rows = []
    for member in members:
        own = np.asarray(vectors[member], dtype=np.float64)
        centre = own.mean(axis=0)
        order = np.argsort(((own - centre) ** 2).sum(axis=1), kind="stable")
        examples = member[order[:MAX_EXAMPLES]]
        # Distances from one centre to the training rows: a single query, not a search of
        # the graph (the graph only links each row to its own k neighbours).
        dist = train_sq - 2.0 * train_vectors @ centre
        near = train_rows[np.argsort(dist, kind="stable")[:NEAREST_TRAINING_ROWS]]
        rows.append(
            {
                "size": int(member.size),
                "nearest_classes": _nearest_classes(codes[near], classes),
                "example_ids": tuple(native(v) for v in ids[examples].tolist()),
                "x": np.nan,
                "y": np.nan,
            }
        )
    frame = pd.DataFrame(rows, columns=list(GAP_COLUMNS))
    frame = frame.astype({"size": np.int64, "x": np.float64, "y": np.float64})
    frame.index = pd.RangeIndex(len(frame), name="gap")
    return frame


def _nearest_classes(near_codes: np.ndarray, classes: np.ndarray) -> tuple:
    """Classes by count among the nearest rows (ties: the one met first, i.e. nearest)."""
    near_codes = near_codes[near_codes >= 0]
    if near_codes.size == 0:
        return ()
    values, first, counts = np.unique(near_codes, return_index=True, return_counts=True)
    ranked = sorted(zip(values, first, counts, strict=True), key=lambda t: (-t[2], t[1]))
    kept = [v for v, _, c in ranked if c >= 2][:MAX_CLASSES] or [ranked[0][0]]
    return tuple(native(classes[v]) for v in kept)


def place_gaps(gaps: pd.DataFrame, ids: pd.Index, coords: np.ndarray) -> pd.DataFrame:
    """The gaps with ``x``, ``y`` read from another layout (e.g. UMAP after the PCA look).

    Parameters
    ----------
    gaps : pandas.DataFrame
        A gap table.
    ids : pandas.Index
        The report's row ids.
    coords : numpy.ndarray
        ``(N, 2)`` the new layout.

    Returns
    -------
    pandas.DataFrame
        A new table; the input is unchanged.
    """
    if gaps is None or len(gaps) == 0:
        return gaps
    centres = ids.get_indexer([examples[0] for examples in gaps["example_ids"]])
    coords = np.asarray(coords)
    return gaps.assign(
        x=coords[centres, 0].astype(np.float64), y=coords[centres, 1].astype(np.float64)
    )
