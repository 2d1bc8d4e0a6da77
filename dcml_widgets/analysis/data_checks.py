"""The pipeline's coverage and expectations stages, and how their results join the report."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dcml_widgets.analysis.coverage import CoverageResult, assess_coverage
from dcml_widgets.analysis.exclusions import LabelSplit
from dcml_widgets.analysis.expectations import (
    ExpectationResult,
    check_expectations,
    describe_column,
    empty_invalid_values,
    infer_expectations,
)
from dcml_widgets.analysis.labels import encode_labels

COVERAGE_STAGE = "coverage"
EXPECTATIONS_STAGE = "expectations"
#: Issue types these stages add, in the order the summary lists them after Datalab's.
DATA_CHECK_TYPES = ("underrepresented", "invalid_value")


def coverage(
    split: LabelSplit, graph, vectors: np.ndarray, classes: np.ndarray, seed: int
) -> CoverageResult:
    """:func:`~dcml_widgets.analysis.coverage.assess_coverage` on the pipeline's pieces.

    Parameters
    ----------
    split : LabelSplit
    graph : KnnGraph
        The shared graph.
    vectors : numpy.ndarray
        ``(N, d)`` the matrix the graph was built on.
    classes : numpy.ndarray
        The report's classes.
    seed : int

    Returns
    -------
    CoverageResult
    """
    codes = encode_labels(split.labels, classes)
    return assess_coverage(
        graph.indices,
        vectors,
        split.trained,
        split.pool,
        split.excluded,
        codes,
        classes,
        split.labels.index,
        seed=seed,
    )


def expectations(
    df: pd.DataFrame, plan: pd.DataFrame, trained: np.ndarray
) -> tuple[object | None, ExpectationResult | None]:
    """Infer the schema from the training rows of the plan's input columns; check all rows.

    Parameters
    ----------
    df : pandas.DataFrame
        The analysed frame.
    plan : pandas.DataFrame
        The feature plan (its ``column`` values that are columns of ``df`` are checked).
    trained : numpy.ndarray
        ``(N,)`` bool training rows.

    Returns
    -------
    (schema or None, ExpectationResult or None)
        ``None`` twice when there is no raw input column (``features=`` an array, or
        ``pred_probs=`` alone).
    """
    columns = [c for c in plan["column"] if c in df.columns]
    if not columns or not trained.any():
        return None, None
    frame = df[columns]
    frame.attrs = {}  # pandas deep-copies attrs on every step (the demo's are long lists)
    schema = infer_expectations(frame.loc[trained])
    return schema, check_expectations(schema, frame, trained)


def plan_with_expectations(plan: pd.DataFrame, schema) -> pd.DataFrame:
    """The feature plan with an ``expects`` column: each column's rules in one line.

    Parameters
    ----------
    plan : pandas.DataFrame
    schema : pandera.pandas.DataFrameSchema or None

    Returns
    -------
    pandas.DataFrame
        A copy; ``expects`` is ``""`` for rows without rules (or without a schema).
    """
    columns = {} if schema is None else schema.columns
    expects = [describe_column(columns[c]) if c in columns else "" for c in plan["column"]]
    return plan.assign(expects=expects)


def join_results(
    issues: pd.DataFrame,
    summary: pd.DataFrame,
    covered: CoverageResult,
    checked: ExpectationResult | None,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, tuple[str, ...]]:
    """Issues, summary and notes with the coverage and expectations results added.

    Parameters
    ----------
    issues, summary : pandas.DataFrame
        From the Datalab stage.
    covered : CoverageResult
    checked : ExpectationResult or None
        ``None``: invalid_value is not assessed (a summary row with ``<NA>``).

    Returns
    -------
    (issues, summary, invalid_values, notes)
    """
    frames = [issues, covered.issues]
    summaries = [summary, covered.summary]
    notes = list(covered.notes)
    if checked is None:
        summaries.append(
            pd.DataFrame([{"issue_type": "invalid_value", "num_issues": pd.NA, "score": np.nan}])
        )
        invalid = empty_invalid_values()
    else:
        frames.append(checked.issues)
        summaries.append(checked.summary)
        invalid = checked.invalid_values
        notes += checked.notes
    joined = pd.concat(frames, axis=1)
    table = pd.concat(summaries, ignore_index=True).astype(
        {"num_issues": "Int64", "score": np.float64}
    )
    return joined, table, invalid, tuple(notes)
