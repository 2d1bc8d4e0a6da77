"""conflicting_label: rows alike in the model matrix whose given labels differ.

"Group similar examples together and check whether they share the same labels." Groups are
the connected components of two kinds of link: rows identical in the model matrix, and rows
in one of Datalab's near-duplicate sets (found on the shared kNN graph, so no second graph is
built). A component is a conflict group when its labelled rows hold two or more distinct
labels.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

ISSUE_TYPE = "conflicting_label"


@dataclasses.dataclass(frozen=True)
class ConflictResult:
    """What :func:`find_conflicts` found.

    Attributes
    ----------
    issues : pandas.DataFrame
        Index = row ids: ``is_conflicting_label_issue`` (bool, every labelled member of a
        group), ``conflicting_label_score`` (share of the row's group holding the row's
        label; 1.0 outside groups and for unlabelled rows) and ``conflict_group`` (int64,
        0… numbered by smallest member position, -1 none). Empty (no columns) when not
        assessed.
    summary : pandas.DataFrame
        One ``issue_type, num_issues, score`` row; ``num_issues`` ``<NA>`` = not assessed.
    """

    issues: pd.DataFrame
    summary: pd.DataFrame


def not_assessed(ids: pd.Index) -> ConflictResult:
    """The result when there are no features to compare rows on (``pred_probs=`` alone).

    Parameters
    ----------
    ids : pandas.Index

    Returns
    -------
    ConflictResult
    """
    summary = pd.DataFrame([{"issue_type": ISSUE_TYPE, "num_issues": pd.NA, "score": np.nan}])
    return ConflictResult(issues=pd.DataFrame(index=ids), summary=summary)


def find_conflicts(
    matrix: np.ndarray,
    near_duplicate_sets: list[np.ndarray] | None,
    codes: np.ndarray,
    ids: pd.Index,
) -> ConflictResult:
    """Conflict groups from exact duplicates and near-duplicate sets.

    Parameters
    ----------
    matrix : numpy.ndarray
        ``(N, d)`` the model matrix (rows equal here are exact duplicates).
    near_duplicate_sets : list of numpy.ndarray or None
        Datalab's near-duplicate set per row (row positions); ``None``: exact duplicates only.
    codes : numpy.ndarray
        ``(N,)`` label positions, ``-1`` where unlabelled (pool or excluded rows: they join
        a group but neither make nor receive a conflict).
    ids : pandas.Index
        Row ids, in row order.

    Returns
    -------
    ConflictResult
    """
    n = len(codes)
    codes = np.asarray(codes, dtype=np.int64)
    components = _components(np.asarray(matrix), near_duplicate_sets, n)
    labelled = codes >= 0
    group = np.full(n, -1, dtype=np.int64)
    score = np.ones(n, dtype=np.float64)
    if n and labelled.any():
        # distinct labels per component, from the (component, label) pairs present
        pairs = np.unique(np.stack([components[labelled], codes[labelled]], axis=1), axis=0)
        n_labels = np.bincount(pairs[:, 0], minlength=n)
        conflicted = n_labels[components] >= 2
        # number the groups 0… in order of their smallest member position
        first_seen = np.unique(components[conflicted], return_index=True)
        order = np.argsort(np.flatnonzero(conflicted)[first_seen[1]])
        renumber = np.full(n, -1, dtype=np.int64)
        renumber[first_seen[0][order]] = np.arange(len(order))
        group[conflicted] = renumber[components[conflicted]]
        sizes = np.bincount(components[labelled], minlength=n)
        same = pd.Series(1, index=pd.MultiIndex.from_arrays([components, codes])).groupby(
            level=[0, 1]
        )
        counts = same.transform("size").to_numpy()
        member = conflicted & labelled
        score[member] = counts[member] / sizes[components[member]]
    flagged = (group >= 0) & labelled
    issues = pd.DataFrame(
        {
            "is_conflicting_label_issue": flagged,
            "conflicting_label_score": score,
            "conflict_group": group,
        },
        index=ids,
    )
    summary = pd.DataFrame(
        [
            {
                "issue_type": ISSUE_TYPE,
                "num_issues": int(flagged.sum()),
                "score": float(score.mean()) if n else np.nan,
            }
        ]
    )
    return ConflictResult(issues=issues, summary=summary)


def _components(matrix: np.ndarray, near_sets: list[np.ndarray] | None, n: int) -> np.ndarray:
    """Connected component per row of the exact-duplicate and near-duplicate links."""
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    if matrix.ndim == 2 and matrix.shape[1] > 0 and n:
        # each row linked to the first row equal to it
        _, first, inverse = np.unique(matrix, axis=0, return_index=True, return_inverse=True)
        rows.append(np.arange(n))
        cols.append(first[inverse.reshape(-1)])
    if near_sets is not None:
        for i, members in enumerate(near_sets):
            members = np.asarray(members, dtype=np.int64)
            if len(members):
                rows.append(np.full(len(members), i, dtype=np.int64))
                cols.append(members)
    if not rows:
        return np.arange(n)
    r, c = np.concatenate(rows), np.concatenate(cols)
    links = sp.coo_matrix((np.ones(len(r), dtype=np.int8), (r, c)), shape=(n, n))
    _, labels = connected_components(links, directed=False)
    return labels.astype(np.int64)
