"""Encode a page of grid rows: small JSON records plus PNG thumbnails as binary buffers."""

from __future__ import annotations

import math

import numpy as np

from dcml_widgets.state import DatasetState
from dcml_widgets.views._shared.thumbnails import ImageSource
from dcml_widgets.views._shared.values import cell_value
from dcml_widgets.views.grid.data import ReportArrays


def encode_page(
    state: DatasetState,
    arrays: ReportArrays,
    given: np.ndarray,
    positions: np.ndarray,
    columns: list,
    images: ImageSource | None,
) -> tuple[list[dict], list[bytes]]:
    """Records for the rows at ``positions`` and the thumbnail buffers they point to.

    Parameters
    ----------
    state : DatasetState
    arrays : ReportArrays
        Scores, suggestions and issue flags in row order.
    given : numpy.ndarray
        Original label codes in row order.
    positions : numpy.ndarray
        Row positions of the page, in the order shown.
    columns : list
        Dataset columns shown.
    images : ImageSource or None
        Where the thumbnails come from.

    Returns
    -------
    (list of dict, list of bytes)
        One record per row: ``pos, id, cells, trunc, given, label, suggested, score, issues,
        rules`` (failed expectations: ``{column, rule, value}`` text), ``n_rules``,
        ``excluded, reviewed, note, selected, thumb`` (index into the buffers or -1).
    """
    pos = np.asarray(positions, dtype=np.int64)
    if pos.size == 0:
        return [], []
    frame = state.frame
    ids = state.ids[pos].tolist()
    label = state.rows.codes_at(pos).tolist()
    given = given[pos].tolist()
    excluded = state.rows.excluded_at(pos).tolist()
    reviewed = state.rows.reviewed_at(pos).tolist()
    selected = np.isin(pos, state.rows.selection).tolist()
    suggested = arrays.suggested[pos].tolist()
    # Four significant digits, not a fixed number of decimals: the worst label scores are
    # often below 1e-6, and the page must still show them in order.
    score = [float(f"{s:.4g}") if math.isfinite(s) else None for s in arrays.score[pos].tolist()]
    flags = arrays.flags[pos]
    cells_by_column = []
    for name in columns:
        # Take the page first: converting a whole (Arrow-backed) column costs O(N).
        values = frame.iloc[:, frame.columns.get_loc(name)].take(pos).to_numpy()
        cells_by_column.append([cell_value(v) for v in values])
    rows: list[dict] = []
    buffers: list[bytes] = []
    for i, p in enumerate(pos.tolist()):
        cells, trunc = [], []
        for name, column in zip(columns, cells_by_column, strict=True):
            value, cut = column[i]
            cells.append(value)
            if cut:
                trunc.append(str(name))
        thumb = -1
        if images is not None:
            png = images.png(p)
            if png is not None:
                thumb = len(buffers)
                buffers.append(png)
        rows.append(
            {
                "pos": p,
                "id": ids[i],
                "cells": cells,
                "trunc": trunc,
                "given": given[i],
                "label": label[i],
                "suggested": suggested[i],
                "score": score[i],
                "issues": [t for t, f in zip(arrays.issue_types, flags[i], strict=True) if f],
                "rules": arrays.rules.get(p, []),
                "n_rules": arrays.n_rules.get(p, 0),
                "excluded": excluded[i],
                "reviewed": reviewed[i],
                "note": state.rows.note_at(p),
                "selected": selected[i],
                "thumb": thumb,
            }
        )
    return rows, buffers
