"""``report.prototypes``: a few typical rows per class, to show what a class looks like.

A prototype is a labelled, non-excluded row no check flagged, which the model predicts as
its own label with high confidence (the top quarter of its class by self-confidence), and
which lies near the class's medoid among those confident rows in the vectors the shared
graph was built on. Ranked by distance to that medoid (rank 1 = the medoid).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.metrics import pairwise_distances

#: Prototypes listed per class.
PER_CLASS = 3
#: Share of a class's clean rows (by self-confidence) the medoid is chosen among.
CONFIDENT_SHARE = 0.25
#: Rows the medoid search compares at most (a seeded sample beyond: distances are O(n^2)).
MAX_MEDOID_ROWS = 500


def empty_prototypes() -> pd.DataFrame:
    """An empty ``report.prototypes`` table (``class, id, rank``).

    Returns
    -------
    pandas.DataFrame
    """
    return pd.DataFrame(
        {"class": pd.Series(dtype=object), "id": pd.Series(dtype=object), "rank": []}
    ).astype({"rank": np.int64})


def find_prototypes(
    vectors: np.ndarray,
    codes: np.ndarray,
    pred_probs: np.ndarray,
    flagged: np.ndarray,
    classes: np.ndarray,
    ids: pd.Index,
    *,
    per_class: int = PER_CLASS,
    seed: int = 0,
) -> pd.DataFrame:
    """Typical rows of each class.

    Parameters
    ----------
    vectors : numpy.ndarray
        ``(N, d)`` the matrix the shared graph was built on.
    codes : numpy.ndarray
        ``(N,)`` label positions; ``-1`` for rows that are not candidates (pool, excluded).
    pred_probs : numpy.ndarray
        ``(N, K)`` out-of-sample probabilities.
    flagged : numpy.ndarray
        ``(N,)`` bool: rows any check flagged (never prototypes).
    classes : numpy.ndarray
    ids : pandas.Index
    per_class : int
    seed : int
        For the sample when a class has more than :data:`MAX_MEDOID_ROWS` confident rows.

    Returns
    -------
    pandas.DataFrame
        ``class, id, rank`` (rank 1 = most typical), classes in ``classes`` order; a class
        with no clean, correctly predicted row has none.
    """
    codes = np.asarray(codes)
    predicted = np.asarray(pred_probs).argmax(axis=1)
    clean = (codes >= 0) & ~np.asarray(flagged, bool) & (predicted == codes)
    rng = np.random.default_rng(seed)
    rows = []
    for k, cls in enumerate(classes):
        members = np.flatnonzero(clean & (codes == k))
        if len(members) == 0:
            continue
        confidence = pred_probs[members, k]
        n_top = max(per_class, int(np.ceil(CONFIDENT_SHARE * len(members))))
        top = members[np.argsort(-confidence, kind="stable")[:n_top]]
        pool = top if len(top) <= MAX_MEDOID_ROWS else rng.choice(top, MAX_MEDOID_ROWS, False)
        inner = pairwise_distances(vectors[pool])
        medoid = pool[int(np.argmin(inner.sum(axis=1)))]
        to_medoid = pairwise_distances(vectors[top], vectors[[medoid]]).ravel()
        chosen = top[np.argsort(to_medoid, kind="stable")[:per_class]]
        rows += [{"class": cls, "id": ids[i], "rank": r + 1} for r, i in enumerate(chosen)]
    if not rows:
        return empty_prototypes()
    return pd.DataFrame(rows, columns=["class", "id", "rank"]).astype({"rank": np.int64})
