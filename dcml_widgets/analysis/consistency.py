"""The pipeline's consistency stage: conflicting labels, slices and prototypes.

Each check has its own module; this one feeds them the pipeline's pieces and joins their
results to the issue table, the summary and the report.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pandas as pd

from dcml_widgets.analysis.conflicts import ISSUE_TYPE, find_conflicts, not_assessed
from dcml_widgets.analysis.exclusions import LabelSplit
from dcml_widgets.analysis.issues import IssueResult
from dcml_widgets.analysis.labels import encode_labels
from dcml_widgets.analysis.prototypes import find_prototypes
from dcml_widgets.analysis.slices import SliceResult, candidate_columns, empty_slices, find_slices

CONSISTENCY_STAGE = "consistency"
#: Issue types this stage adds, in the order the summary lists them.
CONSISTENCY_TYPES = (ISSUE_TYPE,)


@dataclasses.dataclass(frozen=True)
class ConsistencyResult:
    """What the consistency stage adds to the report.

    Attributes
    ----------
    issues : pandas.DataFrame
        Per-row columns to join to the issue table (index = row ids).
    summary : pandas.DataFrame
        Summary rows (``issue_type, num_issues, score``).
    slices : SliceResult
        ``report.slices`` and each slice's row positions.
    prototypes : pandas.DataFrame
        ``report.prototypes``.
    """

    issues: pd.DataFrame
    summary: pd.DataFrame
    slices: SliceResult
    prototypes: pd.DataFrame


@dataclasses.dataclass(frozen=True)
class ConsistencyInputs:
    """The pipeline's pieces the consistency checks read.

    Attributes
    ----------
    df : pandas.DataFrame
        The analysed frame (its metadata columns are sliced).
    label : str
    plan : pandas.DataFrame
        The feature plan (roles of the columns).
    skip : tuple of str
        Columns never sliced by default (annotators).
    slices : None, False or list of str
        The ``slices=`` option.
    split : LabelSplit
        Labels (excluded rows blanked: they join no conflict, slice or prototype).
    classes : numpy.ndarray
    matrix : numpy.ndarray
        ``(N, d)`` model matrix (exact duplicates are equal rows here).
    vectors : numpy.ndarray
        ``(N, d')`` what the shared graph was built on (prototypes' distances).
    pred_probs : numpy.ndarray
        ``(N, K)`` out-of-sample probabilities.
    found : IssueResult
        Datalab's results (near-duplicate sets, clusters).
    has_features : bool
        ``False`` with ``pred_probs=`` alone: conflicting_label is not assessed.
    seed : int
    """

    df: pd.DataFrame
    label: str
    plan: pd.DataFrame
    skip: tuple[str, ...]
    slices: Any
    split: LabelSplit
    classes: np.ndarray
    matrix: np.ndarray
    vectors: np.ndarray
    pred_probs: np.ndarray
    found: IssueResult
    has_features: bool
    seed: int


def check_consistency(inputs: ConsistencyInputs, issues: pd.DataFrame) -> ConsistencyResult:
    """Run the consistency checks.

    Parameters
    ----------
    inputs : ConsistencyInputs
    issues : pandas.DataFrame
        The issue table so far (its flags: label issues per slice, clean prototypes).

    Returns
    -------
    ConsistencyResult
    """
    split = inputs.split
    ids = split.labels.index
    codes = encode_labels(split.labels, inputs.classes)
    if inputs.has_features:
        conflicts = find_conflicts(inputs.matrix, inputs.found.near_duplicate_sets, codes, ids)
    else:
        conflicts = not_assessed(ids)
    flags = [c for c in issues.columns if str(c).startswith("is_") and str(c).endswith("_issue")]
    flagged = issues[flags].fillna(False).to_numpy(dtype=bool).any(axis=1) if flags else None
    if flagged is None:
        flagged = np.zeros(len(ids), dtype=bool)
    if "is_conflicting_label_issue" in conflicts.issues:
        flagged = flagged | conflicts.issues["is_conflicting_label_issue"].to_numpy(bool)
    prototypes = find_prototypes(
        inputs.vectors, codes, inputs.pred_probs, flagged, inputs.classes, ids, seed=inputs.seed
    )
    return ConsistencyResult(
        issues=conflicts.issues,
        summary=conflicts.summary,
        slices=_slices(inputs, codes, issues),
        prototypes=prototypes,
    )


def _slices(inputs: ConsistencyInputs, codes: np.ndarray, issues: pd.DataFrame) -> SliceResult:
    if inputs.slices is False:
        return SliceResult(empty_slices(), ())
    if inputs.slices is None:
        columns = candidate_columns(inputs.df, inputs.label, inputs.plan, inputs.skip)
        numeric: list[str] = []
    else:
        columns = [str(c) for c in inputs.slices]
        numeric = columns
    correct = np.asarray(inputs.pred_probs).argmax(axis=1) == codes
    label_issues = (
        issues["is_label_issue"].fillna(False).to_numpy(bool)
        if "is_label_issue" in issues
        else np.zeros(len(codes), dtype=bool)
    )
    return find_slices(
        inputs.df[columns],
        correct,
        inputs.split.trained,
        label_issues,
        numeric=numeric,
        clusters=inputs.found.clusters,
    )


def join_consistency(
    issues: pd.DataFrame, summary: pd.DataFrame, result: ConsistencyResult
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Issues and summary with the consistency stage's columns and rows added.

    Parameters
    ----------
    issues, summary : pandas.DataFrame
    result : ConsistencyResult

    Returns
    -------
    (issues, summary)
    """
    joined = pd.concat([issues, result.issues], axis=1)
    table = pd.concat([summary, result.summary], ignore_index=True).astype(
        {"num_issues": "Int64", "score": np.float64}
    )
    return joined, table


def report_fields(result: ConsistencyResult) -> dict[str, Any]:
    """The :class:`~dcml_widgets.analysis.report.AuditReport` fields this stage fills.

    Parameters
    ----------
    result : ConsistencyResult

    Returns
    -------
    dict
        ``slices``, ``slice_positions`` and ``prototypes``.
    """
    return {
        "slices": result.slices.table,
        "slice_positions": result.slices.positions,
        "prototypes": result.prototypes,
    }
