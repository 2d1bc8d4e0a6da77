"""The loop's last step: ``dw.measure(state)`` — did the edits help?"""

from __future__ import annotations

from typing import Any

import pandas as pd

from dcml_widgets.analysis.measure import Comparison, compare


def measure(state: Any, *, test: pd.DataFrame | None = None) -> Comparison:
    """Retrain the report's model on the state's current labels and compare per class.

    Uses ``state.report``'s model, model matrix and folds; rows the state excludes are left
    out of the "after" model. Without ``test`` both sides are out-of-sample on the same folds,
    each scored against its own labels (optimistic for the edited side, and said so in
    ``note``); with a trusted ``test`` frame both models are scored on it.

    Parameters
    ----------
    state : DatasetState
        Holds the report, the current labels, the exclusions and the edit log.
    test : pandas.DataFrame, optional
        Trusted labelled frame with the analysed columns and the label column.

    Returns
    -------
    Comparison
        ``table`` (per class before/after/delta), ``accuracy_before``, ``accuracy_after``,
        ``on_test``, ``n_edits`` (edit groups in the log), ``note``.

    Raises
    ------
    ValueError
        If the state has no report yet.
    """
    report = getattr(state, "report", None)
    if report is None:
        raise ValueError(
            "The state has no analysis report to measure against: create it with "
            "DatasetState(df, label=..., report=dw.analyze(df, label=...)) or use dw.audit()."
        )
    edits = state.edits
    n_edits = int(edits["group"].nunique()) if len(edits) else 0
    return compare(report, state.labels, state.excluded, test=test, n_edits=n_edits)
