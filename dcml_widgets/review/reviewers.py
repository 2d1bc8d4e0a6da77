"""Reviewers' agreement: where two reviewers (``state.reviewer``, the ``author`` of an edit)
judged one row, did they give it the same label?

A reviewer's judgement of a row is the label they set on it, or, when they marked it
reviewed, the label it had then. An undo drops the undoer's judgement of the rows it touched
(reviewers undo their own actions). Marking a row reviewed that is already reviewed logs
nothing, so that second opinion is not seen.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from dcml_widgets.analysis.agreement import krippendorff_alpha_nominal

#: How many disputed rows are listed.
TOP_ROWS = 20


def reviewer_judgements(state: Any) -> pd.DataFrame:
    """Each reviewer's last judgement of each row: index = row ids, one column per author.

    Parameters
    ----------
    state : DatasetState

    Returns
    -------
    pandas.DataFrame
        Values are labels (None where that reviewer did not judge the row); only rows
        someone named judged.
    """
    edits = state.edits
    current = dict(zip(state.ids, state.original_labels, strict=True))
    judged: dict[Any, dict[str, Any]] = {}
    for row, field, new, source, author in edits[
        ["row", "field", "new", "source", "author"]
    ].itertuples(index=False, name=None):
        if field == "label":
            current[row] = new
        if field not in ("label", "reviewed") or author is None or pd.isna(author):
            continue
        if source == "undo":
            judged.get(row, {}).pop(author, None)
        elif field == "label" or bool(new):
            judged.setdefault(row, {})[author] = current[row]
    judged = {r: j for r, j in judged.items() if j}
    authors = sorted({a for j in judged.values() for a in j})
    rows = [r for r in state.ids if r in judged]
    index = pd.Index(rows)
    columns = {
        a: pd.Series([judged[r].get(a) for r in rows], index=index, dtype=object) for a in authors
    }
    return pd.DataFrame(columns, index=index)


def reviewer_agreement(state: Any) -> dict:
    """Agreement among reviewers on the rows two or more of them judged, for the panel.

    Parameters
    ----------
    state : DatasetState

    Returns
    -------
    dict
        ``n_reviewers``, ``n_rows`` (rows judged by ≥ 2), ``agreement`` (share of those
        rows all judged alike; None without such rows), ``alpha`` (Krippendorff's alpha,
        None when undefined) and ``disputed`` (up to :data:`TOP_ROWS` rows, each ``id`` and
        ``judgements`` as ``"author: label"`` texts).
    """
    table = reviewer_judgements(state)
    shared = table[table.notna().sum(axis=1) >= 2] if len(table.columns) else table
    out: dict[str, Any] = {
        "n_reviewers": len(table.columns),
        "n_rows": len(shared),
        "agreement": None,
        "alpha": None,
        "disputed": [],
    }
    if shared.empty:
        return out
    values = [str(v) for v in pd.unique(shared.stack().to_numpy())]
    codes = np.full(shared.shape, -1, dtype=np.int64)
    for j, author in enumerate(shared.columns):
        col = shared[author]
        present = col.notna().to_numpy()
        codes[present, j] = [values.index(str(v)) for v in col[present]]
    alike = np.array([len(set(r[r >= 0].tolist())) == 1 for r in codes])
    alpha = krippendorff_alpha_nominal(codes, len(values))
    out["agreement"] = float(alike.mean())
    out["alpha"] = None if np.isnan(alpha) else float(alpha)
    for row_id in shared.index[~alike][:TOP_ROWS]:
        row = shared.loc[row_id]
        texts = [f"{a}: {row[a]}" for a in shared.columns if pd.notna(row[a])]
        out["disputed"].append({"id": str(row_id), "judgements": " · ".join(texts)})
    return out
