"""Annotator panel: agreement statistic, quality per annotator, rows with most disagreement."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import pandas as pd
import traitlets

from dcml_widgets.review.reviewers import reviewer_agreement
from dcml_widgets.state import Change, DatasetState
from dcml_widgets.values import json_number, json_scalar
from dcml_widgets.views._base import StateView

#: How many of the most disputed rows the panel lists (and its button selects).
TOP_ROWS = 20


_STATISTIC_NAMES = {"krippendorff_alpha": "Krippendorff's alpha", "fleiss_kappa": "Fleiss' kappa"}


def _first(frame: pd.DataFrame, names: tuple[str, ...]) -> pd.Series | None:
    for name in names:
        if name in frame.columns:
            return frame[name]
    return None


def statistic_of(agreement: Any) -> dict:
    """``{"name": ..., "value": ...}`` of the agreement statistic (Krippendorff/Fleiss).

    Parameters
    ----------
    agreement : Agreement
        ``report.agreement``.

    Returns
    -------
    dict
    """
    name = getattr(agreement, "statistic_name", None)
    value = getattr(agreement, "statistic_value", None)
    if name is None:
        stat = getattr(agreement, "statistic", None)
        if isinstance(stat, tuple) and len(stat) == 2:
            name, value = stat
        elif isinstance(stat, str):
            name, value = stat, getattr(agreement, "value", None)
    if name is not None:
        name = _STATISTIC_NAMES.get(str(name), str(name).replace("_", " "))
    return {"name": name, "value": json_number(value)}


def annotator_rows(agreement: Any) -> list[dict]:
    """Per-annotator quality as JSON-safe dicts (annotator, quality, agreement, n_labels).

    Parameters
    ----------
    agreement : Agreement
        ``report.agreement``.

    Returns
    -------
    list of dict
    """
    table = getattr(agreement, "annotator_quality", None)
    if not isinstance(table, pd.DataFrame):
        return []
    quality = _first(table, ("annotator_quality", "quality"))
    agree = _first(table, ("agreement_with_consensus", "agreement"))
    count = _first(table, ("num_examples_labeled", "n_labels", "n_labelled", "count"))
    rows = []
    for i, annotator in enumerate(table.index):
        rows.append(
            {
                "annotator": str(annotator),
                "quality": None if quality is None else json_number(quality.iloc[i]),
                "agreement": None if agree is None else json_number(agree.iloc[i]),
                "n_labels": None if count is None else json_number(count.iloc[i]),
            }
        )
    return rows


def disputed_positions(agreement: Any, ids: pd.Index, top: int = TOP_ROWS) -> np.ndarray:
    """Row positions of the ``top`` rows with the lowest annotator agreement (most disputed
    first; rows where everyone agreed are never listed).

    Parameters
    ----------
    agreement : Agreement
        ``report.agreement``.
    ids : pandas.Index
        The state's row ids.
    top : int
        How many rows at most.

    Returns
    -------
    numpy.ndarray
        int64 positions.
    """
    per_row = getattr(agreement, "per_row", None)
    if not isinstance(per_row, pd.DataFrame) or "agreement" not in per_row.columns:
        return np.empty(0, dtype=np.int64)
    values = pd.to_numeric(per_row["agreement"], errors="coerce")
    values = values[values.notna() & (values < 1.0)]
    if values.empty:
        return np.empty(0, dtype=np.int64)
    order = values.sort_values(kind="stable").index[:top]
    pos = ids.get_indexer(order)
    return pos[pos >= 0].astype(np.int64)


class AnnotatorPanel(StateView):
    """Shows ``state.report.agreement`` (present when ``annotators=`` was given).

    The button selects the most disputed rows in the state, so every view shows them.

    Parameters
    ----------
    state : DatasetState
    """

    _bundle = "annotators"
    _messages: ClassVar[dict[str, str]] = {
        "select_disagreement": "_msg_select_disagreement",
    }
    """Browser message types this view accepts, and the method that handles each."""

    statistic = traitlets.Dict(help="name and value of the agreement statistic.").tag(sync=True)
    annotators: traitlets.List[Any] = traitlets.List(
        help="One dict per annotator: annotator, quality, agreement, n_labels."
    ).tag(sync=True)
    disagreement: traitlets.List[Any] = traitlets.List(
        help="The most disputed rows: id (as text), consensus, agreement."
    ).tag(sync=True)

    reviewers = traitlets.Dict(
        help="Agreement among reviewers (state.reviewer) on rows two of them judged: "
        "n_reviewers, n_rows, agreement, alpha, disputed (id, judgements as text)."
    ).tag(sync=True)

    def __init__(self, state: DatasetState, **kwargs: Any) -> None:
        self._disputed = np.empty(0, dtype=np.int64)
        super().__init__(state, **kwargs)
        self.refresh()

    def refresh(self) -> None:
        """Re-read the agreement result from the state's report."""
        self.reviewers = reviewer_agreement(self.state)
        report = self.state.report
        agreement = None if report is None else report.agreement
        if agreement is None:
            self.statistic, self.annotators, self.disagreement = {}, [], []
            self._disputed = np.empty(0, dtype=np.int64)
            return
        self.statistic = statistic_of(agreement)
        self.annotators = annotator_rows(agreement)
        self._disputed = disputed_positions(agreement, self.state.ids)
        per_row = agreement.per_row
        rows = []
        for pos in self._disputed.tolist():
            row_id = self.state.ids[pos]
            rows.append(
                {
                    "id": str(row_id),
                    "consensus": json_scalar(per_row.at[row_id, "consensus_label"])
                    if "consensus_label" in per_row.columns
                    else None,
                    "agreement": json_number(per_row.at[row_id, "agreement"]),
                }
            )
        self.disagreement = rows

    @property
    def disputed_ids(self) -> pd.Index:
        """Ids of the rows the panel lists as most disputed."""
        return self.state.ids[self._disputed]

    def _state_changed(self, change: Change) -> None:
        if change.field == "report":
            self.refresh()
        elif change.field in ("label", "reviewed"):
            self.reviewers = reviewer_agreement(self.state)

    def _msg_select_disagreement(self, content: dict, buffers: list) -> None:
        if self._disputed.size == 0:
            raise ValueError("No rows with annotator disagreement to select.")
        self.state.select(positions=self._disputed)
