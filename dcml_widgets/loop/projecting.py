"""``dw.what_if(state)``: each candidate intervention measured on a copy of the state.

Honest by construction: a row's figures are :func:`~dcml_widgets.analysis.measure.compare`
(what ``measure()`` runs) on a journal-less copy of the state with that row's command
really applied. The real state, its log and its journal are never touched.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from dcml_widgets.analysis.measure import Comparison, compare
from dcml_widgets.loop.interventions import Intervention, plan_interventions
from dcml_widgets.state import DatasetState

COLUMNS = (
    "n_rows",
    "ids",
    "accuracy_after",
    "accuracy_delta",
    "macro_f1_after",
    "macro_f1_delta",
    "on_test",
    "optimistic",
)


def state_copy(state: DatasetState, report: Any = None) -> DatasetState:
    """A journal-less copy of ``state`` with its current labels, classes and exclusions.

    Built from the raw frame with public commands (classes added, changed labels in one
    relabel, excluded rows in one exclude), so measuring it is measuring the state.

    Parameters
    ----------
    state : DatasetState
    report : AuditReport, optional
        The report the copy holds (default ``state.report``).

    Returns
    -------
    DatasetState
    """
    labels, excluded = state.rows.snapshot()  # one consistent reading, even mid-edit
    classes = list(state.classes)
    copy = DatasetState(
        state.frame,
        state.label,
        id_column=state.id_column,
        report=state.report if report is None else report,
    )
    for cls in classes:
        if cls not in copy.classes:
            copy.add_class(cls)
    original = copy.labels
    current = labels.reindex(copy.ids)
    changed = current.notna().to_numpy() & (
        original.isna().to_numpy() | (current.astype(object) != original.astype(object)).to_numpy()
    )
    if changed.any():
        copy.relabel(list(copy.ids[changed]), list(current[changed]))
    if np.any(excluded):
        copy.exclude(list(state.ids[np.asarray(excluded, dtype=bool)]))
    return copy


def plans_for(state: DatasetState, report: Any = None) -> list[Intervention]:
    """The six interventions for ``state`` as it is now (see :func:`plan_interventions`).

    Parameters
    ----------
    state : DatasetState
    report : AuditReport, optional
        Default ``state.report``.

    Returns
    -------
    list of Intervention
    """
    report = state.report if report is None else report
    labels, excluded = state.rows.snapshot()
    frame = state.frame.set_axis(state.ids)
    mask = pd.Series(np.asarray(excluded, dtype=bool), index=state.ids).reindex(report.ids)
    return plan_interventions(report, labels, mask.fillna(True).to_numpy(dtype=bool), frame)


def measure_plan(
    state: DatasetState, plan: Intervention, *, test: pd.DataFrame | None = None, report: Any = None
) -> Comparison:
    """``measure()`` of a copy of ``state`` with ``plan`` applied (the state is untouched).

    Parameters
    ----------
    state : DatasetState
    plan : Intervention
    test : pandas.DataFrame, optional
        Trusted test rows, as for ``measure()``.
    report : AuditReport, optional
        Default ``state.report``.

    Returns
    -------
    Comparison
    """
    copy = state_copy(state, report)
    try:
        plan.apply(copy)
        n_edits = int(copy.edits["group"].nunique())
        return compare(copy.report, copy.labels, copy.excluded, test=test, n_edits=n_edits)
    finally:
        copy.close()


def _row(plan: Intervention, cmp: Comparison | None, on_test: bool) -> dict:
    nan = float("nan")
    return {
        "intervention": plan.name,
        "n_rows": plan.n_rows,
        "ids": plan.ids,
        "accuracy_after": nan if cmp is None else cmp.accuracy_after,
        "accuracy_delta": nan if cmp is None else cmp.accuracy_delta,
        "macro_f1_after": nan if cmp is None else cmp.macro_f1_after,
        "macro_f1_delta": nan if cmp is None else cmp.macro_f1_delta,
        "on_test": on_test,
        "optimistic": not on_test,
    }


def what_if(
    state: DatasetState,
    *,
    test: pd.DataFrame | None = None,
    on_progress: Callable[[int, int, str], None] | None = None,
) -> pd.DataFrame:
    """Project each candidate intervention's effect before applying any; edits nothing.

    For each of the six fixed interventions (``exclude_label_issues``,
    ``accept_suggestions``, ``exclude_outliers``, ``drop_near_duplicate_extras``,
    ``resolve_conflicts``, ``exclude_worst_slice``), a copy of the state without a journal
    gets that command applied and is measured exactly as ``measure()`` would measure it, so
    applying a row for real and running ``measure()`` reproduces its figures. Deltas are
    ``measure()``'s: after the state's edits plus the intervention, against the report's
    original labels.

    Parameters
    ----------
    state : DatasetState
        Holds the report; neither it nor its journal is changed.
    test : pandas.DataFrame, optional
        Trusted labelled test rows; without it the figures are out-of-sample on the stored
        folds, scored against the edited labels (``optimistic`` True).
    on_progress : callable, optional
        Called ``(done, total, name)`` before each intervention is measured and once at the
        end (``name`` ``""``).

    Returns
    -------
    pandas.DataFrame
        Index ``intervention``; columns ``n_rows, ids, accuracy_after, accuracy_delta,
        macro_f1_after, macro_f1_delta, on_test, optimistic``; sorted by
        ``accuracy_delta`` descending, NaN last (a plan that touches no row has NaN figures).

    Raises
    ------
    ValueError
        If the state has no report, or the report was analysed from ``pred_probs=`` alone.
    """
    return project(state, test=test, on_progress=on_progress)[0]


def project(
    state: DatasetState,
    *,
    test: pd.DataFrame | None = None,
    on_progress: Callable[[int, int, str], None] | None = None,
) -> tuple[pd.DataFrame, dict[str, Intervention]]:
    """:func:`what_if`'s table and the plans behind its rows (to apply one of them later).

    Parameters
    ----------
    state : DatasetState
    test : pandas.DataFrame, optional
    on_progress : callable, optional
        As for :func:`what_if`.

    Returns
    -------
    (pandas.DataFrame, dict)
        The table, and each intervention's :class:`Intervention` by name.

    Raises
    ------
    ValueError
        As for :func:`what_if`.
    """
    report = getattr(state, "report", None)
    if report is None:
        raise ValueError(
            "what_if() needs an analysis report: create the state with report=dw.analyze(...) "
            "or use dw.audit()."
        )
    if getattr(report, "embedding_input", "features") == "pred_probs":
        raise ValueError(
            "what_if() needs features= or a model: this report was analysed from pred_probs= "
            "alone, so nothing can be retrained after an intervention. Re-run "
            "dw.analyze(df, label, pred_probs=..., features=...) with feature columns or "
            "embeddings."
        )
    # One reading of the state for every row: edits made meanwhile (from the browser, while
    # this runs in a thread) land in none of them.
    base = state_copy(state, report)
    try:
        plans = plans_for(base, report)
        rows = []
        for done, plan in enumerate(plans):
            if on_progress is not None:
                on_progress(done, len(plans), plan.name)
            cmp = measure_plan(base, plan, test=test, report=report) if plan.n_rows else None
            rows.append(_row(plan, cmp, test is not None))
    finally:
        base.close()
    if on_progress is not None:
        on_progress(len(plans), len(plans), "")
    table = pd.DataFrame(rows).set_index("intervention")
    table = table.sort_values("accuracy_delta", ascending=False, na_position="last", kind="stable")
    table["n_rows"] = table["n_rows"].astype(np.int64)
    table["on_test"] = table["on_test"].astype(bool)
    table["optimistic"] = table["optimistic"].astype(bool)
    return table[list(COLUMNS)], {plan.name: plan for plan in plans}
