"""Multi-annotator agreement: consensus per row, quality per annotator, one dataset statistic.

Per-row consensus and annotator quality come from :mod:`cleanlab.multiannotator` (CROWDLAB,
which weighs the annotators against the model's out-of-sample probabilities). The dataset-level
statistic is Krippendorff's alpha (nominal), which, unlike Fleiss' kappa, allows each row to be
labelled by a different subset of annotators.
"""

from __future__ import annotations

import dataclasses
import warnings
from typing import Any

import numpy as np
import pandas as pd

from dcml_widgets.analysis.labels import encode_labels


@dataclasses.dataclass(frozen=True)
class AgreementResult:
    """How far annotators agree, per row, per annotator and overall.

    Attributes
    ----------
    per_row : pandas.DataFrame
        Index = row ids; ``consensus_label`` (NaN where no one labelled the row),
        ``agreement`` (fraction of the row's annotators who chose the consensus),
        ``consensus_quality`` (0-1, higher = more trustworthy), ``num_annotations``.
    annotator_quality : pandas.DataFrame
        Index = annotator; ``annotator_quality``, ``agreement_with_consensus``,
        ``num_examples_labeled``.
    statistic : str
        Name of the dataset-level statistic (``"krippendorff_alpha"``).
    value : float
        Its value (1 = perfect agreement, 0 = chance level; NaN when no row has two labels).
    method : str
        ``"crowdlab"`` (cleanlab with model probabilities) or ``"majority_vote"``.
    notes : tuple of str
    """

    per_row: pd.DataFrame
    annotator_quality: pd.DataFrame
    statistic: str
    value: float
    method: str
    notes: tuple[str, ...] = ()


def krippendorff_alpha_nominal(codes: np.ndarray, n_classes: int) -> float:
    """Krippendorff's alpha for nominal data with missing values.

    Parameters
    ----------
    codes : numpy.ndarray
        ``(units, coders)`` int class positions, ``-1`` = not labelled.
    n_classes : int

    Returns
    -------
    float
        NaN when fewer than two rows carry two or more labels, or only one value occurs.
    """
    codes = np.asarray(codes, dtype=np.int64)
    counts = np.zeros((codes.shape[0], n_classes), dtype=np.float64)
    for j in range(codes.shape[1]):
        present = codes[:, j] >= 0
        counts[np.flatnonzero(present), codes[present, j]] += 1
    pairable = counts.sum(axis=1)
    counts = counts[pairable >= 2]
    m = pairable[pairable >= 2]
    if counts.shape[0] == 0:
        return float("nan")
    weighted = counts / (m - 1)[:, None]
    coincidence = counts.T @ weighted - np.diag(weighted.sum(axis=0))
    n_c = coincidence.sum(axis=1)
    n = n_c.sum()
    observed = coincidence.sum() - np.trace(coincidence)
    expected = n_c.sum() ** 2 - (n_c**2).sum()
    if expected <= 0:
        return float("nan")
    return float(1.0 - (n - 1) * observed / expected)


def _codes(annotations: pd.DataFrame, classes: np.ndarray) -> np.ndarray:
    out = np.empty(annotations.shape, dtype=np.int64)
    for j, column in enumerate(annotations.columns):
        try:
            out[:, j] = encode_labels(annotations[column], classes)
        except ValueError as exc:
            raise ValueError(f"Annotator column {column!r}: {exc}") from exc
    return out


def _majority(codes: np.ndarray, n_classes: int, pred_probs: np.ndarray | None) -> np.ndarray:
    """Most frequent label per row; ties broken by the model, else by the lowest class."""
    counts = np.zeros((codes.shape[0], n_classes), dtype=np.float64)
    for j in range(codes.shape[1]):
        present = codes[:, j] >= 0
        counts[np.flatnonzero(present), codes[present, j]] += 1
    empty = counts.sum(axis=1) == 0
    if pred_probs is not None:
        counts = counts + 1e-6 * pred_probs
    consensus = counts.argmax(axis=1)
    consensus[empty] = -1
    return consensus


def _simple(
    codes: np.ndarray, n_classes: int, pred_probs: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray, pd.DataFrame]:
    consensus = _majority(codes, n_classes, pred_probs)
    present = codes >= 0
    agree = (codes == consensus[:, None]) & present
    n_ann = present.sum(axis=1)
    agreement = np.divide(
        agree.sum(axis=1), n_ann, out=np.full(len(codes), np.nan), where=n_ann > 0
    )
    labelled = present.sum(axis=0)
    with_consensus = np.divide(
        agree.sum(axis=0), labelled, out=np.full(codes.shape[1], np.nan), where=labelled > 0
    )
    stats = pd.DataFrame(
        {
            "annotator_quality": with_consensus,
            "agreement_with_consensus": with_consensus,
            "num_examples_labeled": labelled.astype(np.int64),
        }
    )
    return consensus, agreement, stats


def annotator_agreement(
    annotations: pd.DataFrame, classes: Any, pred_probs: np.ndarray | None = None
) -> AgreementResult:
    """Consensus labels, annotator quality and Krippendorff's alpha.

    Parameters
    ----------
    annotations : pandas.DataFrame
        One column per annotator, index = row ids, NaN where that annotator did not label the
        row. Values must be among ``classes``.
    classes : array-like
        Known classes (``np.unique`` order); ``pred_probs`` columns follow it.
    pred_probs : numpy.ndarray, optional
        ``(N, K)`` out-of-sample probabilities; with them consensus and quality come from
        cleanlab's CROWDLAB, without them from a majority vote.

    Returns
    -------
    AgreementResult

    Raises
    ------
    TypeError
        If ``annotations`` is not a DataFrame.
    ValueError
        If an annotator used a label outside ``classes``, or ``pred_probs`` has the wrong
        shape.
    """
    if not isinstance(annotations, pd.DataFrame):
        raise TypeError(
            f"annotations must be a DataFrame, one column per annotator; got "
            f"{type(annotations).__name__}."
        )
    if annotations.shape[1] == 0:
        raise ValueError("annotations has no annotator columns.")
    classes = np.asarray(classes)
    k = len(classes)
    codes = _codes(annotations, classes)
    if pred_probs is not None:
        pred_probs = np.asarray(pred_probs, dtype=np.float64)
        if pred_probs.shape != (len(annotations), k):
            raise ValueError(
                f"pred_probs must have shape ({len(annotations)}, {k}); got {pred_probs.shape}."
            )
    present = codes >= 0
    n_ann = present.sum(axis=1)
    rows = n_ann > 0
    cols = present.any(axis=0)
    notes: list[str] = []
    if (~rows).any():
        notes.append(f"{int((~rows).sum())} rows have no annotation: no consensus for them.")
    if (~cols).any():
        names = [str(c) for c in annotations.columns[~cols]]
        notes.append(f"Annotator(s) {names} labelled no row: quality not assessed.")

    consensus, agreement, stats = _simple(codes, k, pred_probs)
    quality = agreement.copy()
    method = "majority_vote"
    usable = cols.sum() >= 2 and (n_ann[rows] >= 2).any()
    if pred_probs is not None and usable:
        from cleanlab.multiannotator import get_label_quality_multiannotator

        sub = pd.DataFrame(
            np.where(present, codes, np.nan)[np.ix_(rows, cols)].astype(np.float64),
            columns=[str(c) for c in annotations.columns[cols]],
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = get_label_quality_multiannotator(
                sub, pred_probs[rows], verbose=False, return_detailed_quality=False
            )
        lq = result["label_quality"]
        consensus[rows] = lq["consensus_label"].to_numpy(dtype=np.int64)
        agreement[rows] = lq["annotator_agreement"].to_numpy(dtype=np.float64)
        quality[rows] = lq["consensus_quality_score"].to_numpy(dtype=np.float64)
        crowd = result["annotator_stats"].reindex([str(c) for c in annotations.columns[cols]])
        stats.loc[cols, "annotator_quality"] = crowd["annotator_quality"].to_numpy()
        stats.loc[cols, "agreement_with_consensus"] = crowd["agreement_with_consensus"].to_numpy()
        method = "crowdlab"
    elif pred_probs is not None:
        notes.append("Too few rows with two or more annotators for CROWDLAB: majority vote used.")
    stats.index = pd.Index(annotations.columns, name="annotator")
    labels = np.where(consensus >= 0, consensus, 0)
    per_row = pd.DataFrame(
        {
            "consensus_label": pd.Series(classes[labels], dtype=object).where(consensus >= 0),
            "agreement": agreement,
            "consensus_quality": np.where(rows, quality, np.nan),
            "num_annotations": n_ann.astype(np.int64),
        }
    )
    per_row.index = annotations.index
    alpha = krippendorff_alpha_nominal(codes, k)
    return AgreementResult(per_row, stats, "krippendorff_alpha", alpha, method, tuple(notes))
