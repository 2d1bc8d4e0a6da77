"""What the views derive from the state and its report, computed in one place.

- edit status: one small code per row (:func:`status_bits`), read as a sort key (grid) or as
  one of :data:`STATUS` with excluded > edited > reviewed (:func:`status_of`; embedding);
- suggested labels aligned with the state's rows (:func:`suggested_values`);
- issue flags of every assessed issue type (:func:`issue_flags`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

STATUS = ("unchanged", "reviewed", "edited", "excluded")
"""Edit status names; a row shows the last that applies (excluded beats edited beats
reviewed)."""

# status bits (4·excluded + 2·edited + reviewed) -> index into STATUS
_STATUS_OF_BITS = np.array([0, 1, 2, 2, 3, 3, 3, 3], dtype=np.uint8)


def status_bits(excluded: np.ndarray, edited: np.ndarray, reviewed: np.ndarray) -> np.ndarray:
    """Edit status as ``4·excluded + 2·edited + reviewed`` (int8, 0..7), one per row.

    Sorting by it puts excluded rows last, edited rows after untouched ones, and keeps every
    combination apart.

    Parameters
    ----------
    excluded, edited, reviewed : numpy.ndarray
        bool flags, aligned.

    Returns
    -------
    numpy.ndarray
    """
    return (4 * excluded.astype(np.int8) + 2 * edited + reviewed).astype(np.int8)


def status_of(bits: np.ndarray) -> np.ndarray:
    """Index into :data:`STATUS` (uint8) of each :func:`status_bits` value."""
    return _STATUS_OF_BITS[np.asarray(bits, dtype=np.int64)]


def suggested_values(report: Any, ids: pd.Index) -> np.ndarray | None:
    """The report's ``suggested_label`` per row of ``ids`` (object array; missing = none).

    Parameters
    ----------
    report : AuditReport
    ids : pandas.Index
        The state's row ids.

    Returns
    -------
    numpy.ndarray or None
        None when the report has no suggestions.
    """
    issues = getattr(report, "issues", None)
    if issues is None or "suggested_label" not in issues.columns:
        return None
    column = issues["suggested_label"]
    if not column.index.equals(ids):
        column = column.reindex(ids)
    return column.to_numpy(dtype=object)


def issue_flags(report: Any, n_rows: int) -> tuple[tuple[str, ...], np.ndarray]:
    """Every assessed issue type of ``report`` and its per-row flags.

    Parameters
    ----------
    report : AuditReport or None
    n_rows : int
        Rows of the state (the width of the answer without a report).

    Returns
    -------
    (tuple of str, numpy.ndarray)
        :attr:`AuditReport.issue_types` and an ``(N, len(types))`` bool matrix.
    """
    if report is None:
        return (), np.zeros((n_rows, 0), dtype=bool)
    types = tuple(report.issue_types)
    flags = np.zeros((n_rows, len(types)), dtype=bool)
    for j, name in enumerate(types):
        flags[:, j] = report.issue_mask(name)
    return types, flags
