"""``dw.review_order``: the rows a reviewer should see first, most likely wrong first."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from dcml_widgets.review import parts

#: The parts, in the column order ``scores=True`` returns them.
PARTS = ("label", "models", "annotators", "conflict", "pool")


def review_order(state: Any, *, scores: bool = False) -> pd.Index | pd.DataFrame:
    """Rows not yet excluded, reviewed or edited, the most useful to review first.

    Each source of evidence gives a part in [0, 1] (1 = look first): ``label`` (1 −
    ``label_score``), ``models`` (share of a model list disagreeing with the label),
    ``annotators`` (1 − the probability of the current label under cleanlab's CROWDLAB
    posterior: the model, every annotator weighted by their agreement with the consensus,
    and the rest of the row's conflicting group as one more vote), ``conflict`` (share of a
    conflicting group that said otherwise) and ``pool`` (1 − ``underrepresented_score`` on
    unlabelled rows).

    ``priority`` is the annotators part where it is known: it is already the estimated chance
    that the label is wrong given all the evidence, each source weighted by cleanlab from the
    data (the model list's mean ``pred_probs`` carries the models' disagreement, the group's
    labels the conflict), so adding the other parts again would count them twice. Elsewhere
    (no annotators; pool rows) it is the mean of the label, models and pool parts known for
    the row. The conflict part says that a group holds a wrong label, not which one (both
    rows of a pair get 0.5): averaged in, it would lift the right twin as much as the wrong
    one, so it only orders rows of equal priority. Remaining ties keep the order of the label
    part, then row order.

    Parameters
    ----------
    state : DatasetState
        With a report (``dw.audit`` sets it; else ``state.set_report(dw.analyze(...))``).
    scores : bool
        False: the ordered ids. True: a DataFrame in that order, index = ids, with
        ``priority`` and one column per part (NaN where a part says nothing about the row;
        a part that did not run is left out).

    Returns
    -------
    pandas.Index or pandas.DataFrame

    Raises
    ------
    TypeError
        If ``state`` is not a DatasetState or ``scores`` not a bool.
    ValueError
        If the state has no report.
    """
    from dcml_widgets.state import DatasetState

    if not isinstance(state, DatasetState):
        raise TypeError(f"review_order() takes a DatasetState, got {type(state).__name__}.")
    if not isinstance(scores, bool | np.bool_):
        raise TypeError(f"scores= must be True or False, got {type(scores).__name__}.")
    report = state.report
    if report is None:
        raise ValueError(
            "review_order() needs an analysis: use dw.audit(df, ...), or "
            "state.set_report(dw.analyze(df, ...))."
        )
    table = evidence(state, report)
    done = (state.excluded | state.reviewed | state.edited).to_numpy(dtype=bool)
    table = table[~done]
    zero = pd.Series(0.0, index=table.index)
    label = table["label"] if "label" in table.columns else zero
    conflict = table["conflict"] if "conflict" in table.columns else zero
    keys = pd.DataFrame(
        {
            "priority": -table["priority"].fillna(-1.0).to_numpy(),
            "conflict": -conflict.fillna(-1.0).to_numpy(),
            "label": -label.fillna(-1.0).to_numpy(),
            "position": np.arange(len(table)),
        }
    )
    ranked = keys.sort_values(["priority", "conflict", "label", "position"], kind="stable").index
    table = table.iloc[ranked.to_numpy()]
    return table if scores else table.index


def evidence(state: Any, report: Any) -> pd.DataFrame:
    """Every row's parts and ``priority`` (row order, done rows included).

    Parameters
    ----------
    state : DatasetState
    report : AuditReport
        ``state.report``.

    Returns
    -------
    pandas.DataFrame
        Index = ids; ``priority`` then the parts that ran.
    """
    issues = report.issues.reindex(state.ids)
    labels = state.labels
    labelled = labels.notna().to_numpy()
    members = report.member_pred_probs
    found = {
        "label": parts.label_part(issues, labelled),
        "models": parts.models_part(issues, 0 if members is None else len(members)),
        "annotators": parts.annotators_part(
            _annotations(state, report),
            labels,
            np.asarray(report.classes),
            report.pred_probs,
            _groups(issues),
        ),
        "conflict": parts.conflict_part(issues, labelled),
        "pool": parts.pool_part(issues, labelled),
    }
    columns = {name: found[name] for name in PARTS if found[name] is not None}
    table = pd.DataFrame(columns, index=state.ids)
    averaged = table.drop(columns=["annotators", "conflict"], errors="ignore")
    known = averaged.notna().sum(axis=1)
    priority = averaged.sum(axis=1, skipna=True) / known.where(known > 0)
    if "annotators" in table.columns:  # the posterior given all the evidence, where known
        priority = table["annotators"].where(table["annotators"].notna(), priority)
    table.insert(0, "priority", priority.to_numpy(dtype=np.float64))
    return table


def _groups(issues: pd.DataFrame) -> np.ndarray | None:
    """``conflict_group`` in row order (-1 outside groups), None when the check did not run."""
    if "conflict_group" not in issues.columns:
        return None
    group = pd.to_numeric(issues["conflict_group"], errors="coerce")
    return group.fillna(-1).to_numpy(dtype=np.int64)


def _annotations(state: Any, report: Any) -> pd.DataFrame | None:
    """The annotator columns the report was analysed with, read from the state's frame (None
    when there were none, or they came as a separate frame no longer at hand)."""
    names = (report.options or {}).get("annotators")
    if not names:
        return None
    frame = state.frame
    if state.id_column is not None:
        frame = frame.set_index(state.id_column, drop=False)
    present = [c for c in frame.columns if str(c) in set(names)]
    if not present:
        return None
    return frame[present].reset_index(drop=True).set_axis(state.ids)
