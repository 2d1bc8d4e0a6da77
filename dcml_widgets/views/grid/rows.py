"""Encode a page of grid rows: small JSON records plus PNG thumbnails as binary buffers."""

from __future__ import annotations

import datetime as _dt
import math
from typing import Any

import numpy as np
import pandas as pd

from dcml_widgets.state import DatasetState
from dcml_widgets.views._shared.thumbnails import ImageSource
from dcml_widgets.views.grid.data import ReportArrays

#: Text cells longer than this are cut in a page; the browser asks for the rest on expand.
TEXT_LIMIT = 160
#: The longest text an expand request returns.
FULL_TEXT_LIMIT = 100_000


def cell_value(value: Any, limit: int = TEXT_LIMIT) -> tuple[Any, bool]:
    """A JSON-safe version of one dataset value, and whether it was truncated.

    Numbers stay numbers (NaN and infinities become None); everything else becomes text of
    at most ``limit`` characters.
    """
    if value is None:
        return None, False
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool):
        return value, False
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            return None, False
        return value, False
    if isinstance(value, np.ndarray):
        text = f"array{tuple(value.shape)} {value.dtype}"
    elif isinstance(value, (bytes, bytearray)):
        text = f"<{len(value)} bytes>"
    elif isinstance(value, (pd.Timestamp, _dt.datetime, _dt.date)):
        text = value.isoformat()
    else:
        try:
            if pd.isna(value):
                return None, False
        except (TypeError, ValueError):
            pass
        text = str(value)
    if len(text) > limit:
        return text[:limit], True
    return text, False


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
        excluded, reviewed, note, selected, thumb`` (index into the buffers or -1).
    """
    pos = np.asarray(positions, dtype=np.int64)
    if pos.size == 0:
        return [], []
    frame = state.frame
    ids = state.ids[pos].tolist()
    label = state.codes_at(pos).tolist()
    given = given[pos].tolist()
    excluded = state.excluded_at(pos).tolist()
    reviewed = state.reviewed_at(pos).tolist()
    selected = np.isin(pos, state.selection_positions).tolist()
    suggested = arrays.suggested[pos].tolist()
    score = [None if not math.isfinite(s) else round(s, 6) for s in arrays.score[pos].tolist()]
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
                "excluded": excluded[i],
                "reviewed": reviewed[i],
                "note": state.note_at(p),
                "selected": selected[i],
                "thumb": thumb,
            }
        )
    return rows, buffers
