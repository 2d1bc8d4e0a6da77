"""Per-row arrays the grid sorts, filters and shows, derived once per report."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from dcml_widgets.state import DatasetState
from dcml_widgets.state.derived import issue_flags
from dcml_widgets.views.grid.rules import failed_rules, rule_count


@dataclass(frozen=True)
class ReportArrays:
    """What the grid needs from an :class:`~dcml_widgets.AuditReport`, in state row order.

    Attributes
    ----------
    score : numpy.ndarray
        ``label_score`` per row (float64; NaN without a report): low = label likely wrong.
    suggested : numpy.ndarray
        Suggested label as a code into ``state.classes`` (int32; -1 = no suggestion).
    issue_types : tuple of str
        Issue types present in the report (``label``, ``outlier``, ...).
    flags : numpy.ndarray
        ``(N, len(issue_types))`` bool: which issues each row has.
    issue_count : numpy.ndarray
        Number of issues per row (int8).
    rules : dict of int to list of dict
        Failed expectations of the rows with an ``invalid_value`` issue, by position
        (:func:`~dcml_widgets.views.grid.rules.failed_rules`).
    n_rules : dict of int to int
        How many rules each of those rows broke.
    """

    score: np.ndarray
    suggested: np.ndarray
    issue_types: tuple[str, ...]
    flags: np.ndarray
    issue_count: np.ndarray
    rules: dict[int, list[dict]] = field(default_factory=dict)
    n_rules: dict[int, int] = field(default_factory=dict)

    @classmethod
    def empty(cls, n: int) -> ReportArrays:
        """Arrays for a state without a report: no scores, suggestions or issues."""
        return cls(
            score=np.full(n, np.nan),
            suggested=np.full(n, -1, dtype=np.int32),
            issue_types=(),
            flags=np.zeros((n, 0), dtype=bool),
            issue_count=np.zeros(n, dtype=np.int8),
        )

    @classmethod
    def of(cls, state: DatasetState) -> ReportArrays:
        """Arrays from ``state.report`` (or :meth:`empty` when there is none)."""
        report = state.report
        if report is None:
            return cls.empty(state.n_rows)
        issues = report.issues
        if not issues.index.equals(state.ids):
            issues = issues.reindex(state.ids)
        score = (
            pd.to_numeric(issues["label_score"], errors="coerce").to_numpy(dtype=np.float64)
            if "label_score" in issues
            else np.full(state.n_rows, np.nan)
        )
        types, flags = issue_flags(report, state.n_rows)
        suggested = state.rows.suggested_codes()
        count = flags.sum(axis=1).astype(np.int8)
        return cls(score, suggested, types, flags, count, failed_rules(state), rule_count(state))


def note_keys(state: DatasetState) -> np.ndarray:
    """Sort key for notes (int64): 0 without a note, else 1 + rank of the note's text."""
    keys = np.zeros(state.n_rows, dtype=np.int64)
    notes = state.notes
    if len(notes):
        pos = state.rows.positions(notes.index)
        ranks = pd.Series(notes.to_numpy(dtype=object)).rank(method="dense").to_numpy()
        keys[pos] = ranks.astype(np.int64)
    return keys
