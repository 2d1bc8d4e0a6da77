"""The evidence behind the review queue, one part per source, each in [0, 1] (1 = look first).

Every part reads what an analysis already computed (``report.issues``, ``report.pred_probs``)
or, for annotators, cleanlab's CROWDLAB posterior on the annotator columns; none retrains
anything. NaN marks a row a part says nothing about (a pool row has no label score and no
annotator part).
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd


def label_part(issues: pd.DataFrame, labelled: np.ndarray) -> np.ndarray | None:
    """``1 - label_score``: how little the model believes the row's label (labelled rows).

    Parameters
    ----------
    issues : pandas.DataFrame
        ``report.issues`` in row order.
    labelled : numpy.ndarray
        ``(N,)`` bool: rows that carry a label.

    Returns
    -------
    numpy.ndarray or None
        ``(N,)`` float, NaN on unlabelled rows; None when the report has no label score.
    """
    if "label_score" not in issues.columns:
        return None
    score = pd.to_numeric(issues["label_score"], errors="coerce").to_numpy(dtype=np.float64)
    return np.where(labelled, 1.0 - np.clip(score, 0.0, 1.0), np.nan)


def models_part(issues: pd.DataFrame, n_models: int) -> np.ndarray | None:
    """Share of a model list's members whose out-of-fold prediction differs from the label.

    Parameters
    ----------
    issues : pandas.DataFrame
        ``report.issues`` in row order (``num_models_disagreeing`` when a model list ran).
    n_models : int
        Members in the list.

    Returns
    -------
    numpy.ndarray or None
        ``(N,)`` float, NaN where unlabelled; None without a model list.
    """
    if "num_models_disagreeing" not in issues.columns or n_models < 2:
        return None
    count = pd.to_numeric(issues["num_models_disagreeing"], errors="coerce")
    return count.to_numpy(dtype=np.float64, na_value=np.nan) / n_models


def conflict_part(issues: pd.DataFrame, labelled: np.ndarray) -> np.ndarray | None:
    """Share of a conflicting group that gave another label than this row (0 outside groups).

    A row whose near-identical twins mostly say something else is likely the wrong one; a
    two-row pair with two labels gives both 0.5.

    Parameters
    ----------
    issues : pandas.DataFrame
        ``report.issues`` in row order (``is_conflicting_label_issue`` and
        ``conflicting_label_score`` when the conflicting-label check ran).
    labelled : numpy.ndarray
        ``(N,)`` bool.

    Returns
    -------
    numpy.ndarray or None
        ``(N,)`` float, NaN where unlabelled; None when the check did not run.
    """
    needed = ("is_conflicting_label_issue", "conflicting_label_score")
    if any(c not in issues.columns for c in needed):
        return None
    flagged = issues["is_conflicting_label_issue"].fillna(False).to_numpy(dtype=bool)
    share = pd.to_numeric(issues["conflicting_label_score"], errors="coerce")
    other = 1.0 - np.clip(share.to_numpy(dtype=np.float64, na_value=1.0), 0.0, 1.0)
    return np.where(labelled, np.where(flagged, other, 0.0), np.nan)


def pool_part(issues: pd.DataFrame, labelled: np.ndarray) -> np.ndarray | None:
    """``1 - underrepresented_score`` on pool rows: the less the labelled rows cover a pool
    row's neighbourhood, the more a label for it teaches the model.

    Parameters
    ----------
    issues : pandas.DataFrame
        ``report.issues`` in row order.
    labelled : numpy.ndarray
        ``(N,)`` bool.

    Returns
    -------
    numpy.ndarray or None
        ``(N,)`` float, NaN on labelled rows; None without a pool.
    """
    if "underrepresented_score" not in issues.columns or labelled.all():
        return None
    score = pd.to_numeric(issues["underrepresented_score"], errors="coerce")
    need = 1.0 - np.clip(score.to_numpy(dtype=np.float64, na_value=np.nan), 0.0, 1.0)
    return np.where(labelled, np.nan, need)


def annotators_part(
    annotations: pd.DataFrame | None,
    labels: pd.Series,
    classes: np.ndarray,
    pred_probs: np.ndarray,
    groups: np.ndarray | None = None,
) -> np.ndarray | None:
    """``1 - P(current label is right)`` under cleanlab's CROWDLAB posterior (labelled rows).

    CROWDLAB (``cleanlab.multiannotator.get_label_quality_multiannotator``) mixes the model's
    out-of-sample probabilities with every annotator's vote, each weighted by how often that
    annotator agrees with the consensus; the part is one minus the posterior probability of
    the row's current label (the per-annotator ``detailed_label_quality`` of that label, with
    the current label counted as one more annotator). So a row whose label the model doubts
    *and* careful annotators contradict comes first, and a sloppy annotator counts for less.
    Rows of one conflicting group are copies of one item: the other members' majority label
    is one more vote (ties give none), weighted by CROWDLAB like any annotator.

    ActiveLab's score (``get_active_learning_scores``) answers another question, which row
    needs one more annotation, and rates a row whose annotators all contradict its label as
    settled; the posterior of the current label is what a review queue needs.

    Parameters
    ----------
    annotations : pandas.DataFrame or None
        One column per annotator, row order, NaN where that annotator did not label the row.
    labels : pandas.Series
        Current labels in row order (missing on pool rows).
    classes : numpy.ndarray
        ``report.classes``; ``pred_probs`` columns follow it.
    pred_probs : numpy.ndarray
        ``(N, K)`` out-of-sample probabilities.
    groups : numpy.ndarray or None
        ``(N,)`` ``conflict_group`` (-1 outside groups), when the conflicting-label check ran.

    Returns
    -------
    numpy.ndarray or None
        ``(N,)`` float, NaN on unlabelled rows; None without annotators, with fewer than two
        classes, or when cleanlab cannot score the annotations (e.g. one vote per row).
    """
    if annotations is None or annotations.shape[1] == 0 or len(classes) < 2:
        return None
    from cleanlab.multiannotator import get_label_quality_multiannotator

    current = _codes(labels, classes).astype(np.float64)
    columns = [_codes(annotations[c], classes).astype(np.float64) for c in annotations.columns]
    columns.append(current)
    if groups is not None:
        columns.append(_twin_votes(current, groups))
    votes = np.column_stack(columns)
    votes[votes < 0] = np.nan
    rows = np.flatnonzero(current >= 0)
    if rows.size == 0:
        return None
    table = pd.DataFrame(votes[rows], columns=[f"a{j}" for j in range(votes.shape[1])])
    table = table.loc[:, table.notna().any(axis=0)]
    given = f"a{len(annotations.columns)}"  # the current label's column
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            found = get_label_quality_multiannotator(
                table,
                np.asarray(pred_probs, dtype=np.float64)[rows],
                return_detailed_quality=True,
                return_annotator_stats=False,
                verbose=False,
            )
    except ValueError:  # e.g. a single vote per row: nothing for CROWDLAB to weigh
        return None
    quality = found["detailed_label_quality"][f"quality_annotator_{given}"]
    out = np.full(len(current), np.nan)
    out[rows] = 1.0 - quality.to_numpy(dtype=np.float64)
    return np.clip(out, 0.0, 1.0)


def _twin_votes(current: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Per row, the majority current label of the other rows of its conflict group (NaN
    outside groups, with no labelled twin, or on a tie)."""
    out = np.full(len(current), np.nan)
    member = np.flatnonzero(groups >= 0)
    if member.size == 0:
        return out
    k = int(max(current.max(), 0)) + 1
    group_ids, position = np.unique(groups[member], return_inverse=True)
    own = current[member].astype(np.int64)
    counts = np.zeros((group_ids.size, k), dtype=np.int64)
    labelled = own >= 0
    np.add.at(counts, (position[labelled], own[labelled]), 1)
    others = counts[position]  # (members, K): the group's labels ...
    others[np.flatnonzero(labelled), own[labelled]] -= 1  # ... less the row's own
    top = others.max(axis=1)
    unique = (others == top[:, None]).sum(axis=1) == 1
    vote = unique & (top > 0)
    out[member[vote]] = others[vote].argmax(axis=1)
    return out


def _codes(values: Any, classes: np.ndarray) -> np.ndarray:
    """Class positions, ``-1`` where missing; a value outside ``classes`` (an annotator's
    typo, a class added since the analysis) counts as missing rather than stopping the queue."""
    values = np.asarray(pd.Series(values).to_numpy(), dtype=object)
    return pd.Index(list(classes)).get_indexer(values).astype(np.int64)
