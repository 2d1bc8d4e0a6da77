"""What a measurement says about its targets: the confusion cells that moved, and the edits
it covers grouped by their reason with the cells those edits aimed at."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

#: Most cells listed as moved, and per reason.
MAX_MOVED = 12
MAX_CELLS_PER_REASON = 6
_REPLAYED = ("undo", "redo")


def _cell(comparison: Any, given: Any, predicted: Any) -> dict | None:
    before, after = comparison.confusion_before, comparison.confusion_after
    if given not in before.index or predicted not in before.columns:
        return None
    return {
        "given": str(given),
        "predicted": str(predicted),
        "before": int(before.loc[given, predicted]),
        "after": int(after.loc[given, predicted]),
    }


def moved_cells(comparison: Any, limit: int = MAX_MOVED) -> list[dict]:
    """Off-diagonal confusion cells whose count changed, largest move first.

    Parameters
    ----------
    comparison : Comparison
        With ``confusion_before`` / ``confusion_after``.
    limit : int
        Most cells returned.

    Returns
    -------
    list of dict
        ``given, predicted`` (text), ``before, after`` (int).
    """
    before, after = comparison.confusion_before, comparison.confusion_after
    if before.empty or after.shape != before.shape:
        return []
    change = after.to_numpy() - before.to_numpy()
    np.fill_diagonal(change, 0)
    rows, cols = np.nonzero(change)
    order = np.lexsort((cols, rows, -np.abs(change[rows, cols])))[:limit]
    cells = []
    for i in order:
        cell = _cell(comparison, before.index[rows[i]], before.columns[cols[i]])
        if cell is not None:
            cells.append(cell)
    return cells


def _effective(edits: pd.DataFrame, field: str, current: pd.Series) -> pd.DataFrame:
    """Per row, the last command (not an undo or redo) that set the value it has now."""
    chosen = edits[(edits["field"] == field) & ~edits["source"].isin(_REPLAYED)]
    chosen = chosen.drop_duplicates("row", keep="last")
    now = current.reindex(chosen["row"]).to_numpy(dtype=object)
    keep = np.array(
        [new == value for new, value in zip(chosen["new"], now, strict=True)], dtype=bool
    )
    return chosen[keep] if len(chosen) else chosen


def _reason_text(reason: Any, sources: pd.Series) -> str:
    if isinstance(reason, str) and reason.strip():
        return reason
    how = ", ".join(sorted({str(s) for s in sources}))
    return f"no reason given ({how})"


def reason_groups(
    edits: pd.DataFrame,
    comparison: Any,
    labels: pd.Series,
    original: pd.Series,
    excluded: pd.Series,
    predicted: pd.Series | None = None,
) -> list[dict]:
    """The edits a measurement covers, grouped by reason, each with the cells it aimed at.

    A row relabelled from ``a`` (its original label) to ``b`` aims at the cells ``a→b`` and
    ``b→a``; an exclusion at the cell (its label, the report's prediction) when they
    differ. Only edits still in effect count (an undone one does not).

    Parameters
    ----------
    edits : pandas.DataFrame
        ``state.edits`` when the measurement ran.
    comparison : Comparison
    labels, original : pandas.Series
        Current and original labels (index = row ids).
    excluded : pandas.Series
        Current exclusions (bool, index = row ids).
    predicted : pandas.Series, optional
        The report's predictions (index = row ids), for the cells exclusions aim at.

    Returns
    -------
    list of dict
        ``reason`` (text), ``n_relabelled``, ``n_excluded``, ``cells`` (as
        :func:`moved_cells`), most rows first.
    """
    if edits.empty:
        return []
    relabels = _effective(edits, "label", labels.astype(object))
    relabels = relabels[
        relabels["row"].map(lambda r: labels.get(r) != original.get(r)).astype(bool)
    ]
    exclusions = _effective(edits, "excluded", excluded.astype(object))
    exclusions = exclusions[exclusions["new"].astype(bool)]
    both = pd.concat([relabels, exclusions])
    if both.empty:
        return []
    key = both["reason"].where(both["reason"].notna(), None)
    groups: list[dict[str, Any]] = []
    for reason, part in both.groupby(key.fillna("\0"), sort=False):
        pairs: dict[tuple, None] = {}
        for row in part.loc[part["field"] == "label", "row"]:
            was, now = original.get(row), labels.get(row)
            pairs[(was, now)] = None
            pairs[(now, was)] = None
        if predicted is not None:
            for row in part.loc[part["field"] == "excluded", "row"]:
                given, guess = original.get(row), predicted.get(row)
                if pd.notna(given) and pd.notna(guess) and given != guess:
                    pairs[(given, guess)] = None
        cells = [c for c in (_cell(comparison, a, b) for a, b in pairs) if c is not None]
        cells.sort(key=lambda c: -abs(c["after"] - c["before"]))
        groups.append(
            {
                "reason": _reason_text(None if reason == "\0" else reason, part["source"]),
                "n_relabelled": int((part["field"] == "label").sum()),
                "n_excluded": int((part["field"] == "excluded").sum()),
                "cells": cells[:MAX_CELLS_PER_REASON],
            }
        )
    groups.sort(key=lambda g: -(int(g["n_relabelled"]) + int(g["n_excluded"])))
    return groups
