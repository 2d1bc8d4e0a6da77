"""Colour channels of the embedding view: one small code a point, for every row or for the
few rows an edit touched."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from dcml_widgets.state.derived import STATUS, issue_flags, status_of
from dcml_widgets.views._shared.values import clip_text

CHANNEL_TITLES = {
    "label": "label",
    "predicted": "predicted label",
    "score": "label quality",
    "issue": "issue type",
    "status": "edit status",
}
"""Colour channels and the text the browser's menu shows for each (sent as a trait)."""

CHANNELS = tuple(CHANNEL_TITLES)
"""Colour channel names: current label, predicted label, label-quality score, issue type,
edit status."""

SCORE_MISSING = 255
"""Score code of a row without a label-quality score; scores in [0, 1] map to 0..254."""


def code_dtype(n_codes: int) -> str:
    """The smallest wire dtype for ``n_codes`` categories (``uint8`` or ``uint16``).

    Parameters
    ----------
    n_codes : int
        Number of categories, the "(missing)" one included.

    Returns
    -------
    str
        ``"uint8"`` or ``"uint16"``.

    Raises
    ------
    ValueError
        Past 65,536 categories.
    """
    if n_codes <= 256:
        return "uint8"
    if n_codes <= 65536:
        return "uint16"
    raise ValueError(f"{n_codes} categories cannot be coloured; use at most 65,536 classes.")


class Channel:
    """One colour channel (of every row, or of some rows for a diff), encoded for the wire.

    Parameters
    ----------
    name : str
        One of :data:`CHANNELS`.
    codes : numpy.ndarray
        One code a row (uint8 or uint16).
    kind : str
        ``categorical`` (codes index ``legend``) or ``continuous`` (0..254 a score, 255 none).
    legend : list of str
        Category names (categorical), or ``[low, high]`` labels (continuous).
    """

    def __init__(self, name: str, codes: np.ndarray, kind: str, legend: list[str]) -> None:
        self.name = name
        self.codes = codes
        self.kind = kind
        self.legend = legend

    @property
    def dtype(self) -> str:
        """Wire dtype of :attr:`codes`."""
        return str(self.codes.dtype)

    def header(self) -> dict:
        """JSON part of a message carrying this channel (the codes go as a buffer).

        Returns
        -------
        dict
            ``name``, ``dtype``, ``kind`` and ``legend``.
        """
        return {"name": self.name, "dtype": self.dtype, "kind": self.kind, "legend": self.legend}


def _class_codes(values: np.ndarray, classes: list) -> np.ndarray:
    """Codes of ``values`` in ``classes``; anything unknown or missing gets ``len(classes)``."""
    out = pd.Index(classes, dtype=object).get_indexer(values).astype(np.int64)
    out[out < 0] = len(classes)
    return out


def encode_channel(name: str, state: Any, positions: np.ndarray | None = None) -> Channel:
    """Encode colour channel ``name`` of ``state`` (and its report) for the wire.

    Parameters
    ----------
    name : str
        One of :data:`CHANNELS`.
    state : DatasetState
    positions : numpy.ndarray, optional
        Encode only these rows (a diff after an edit: work proportional to them); every row
        when omitted. The legend is always complete.

    Returns
    -------
    Channel

    Raises
    ------
    ValueError
        Unknown channel, or a report-based channel while the state has no report.
    """
    if name not in CHANNELS:
        raise ValueError(f"color_by must be one of {CHANNELS}, got {name!r}.")
    rows = slice(None) if positions is None else np.asarray(positions, dtype=np.int64)
    classes = state.classes
    class_legend = [clip_text(c) for c in classes] + ["(missing)"]
    dtype = code_dtype(len(class_legend))
    if name == "label":
        current = state.rows.label_codes if positions is None else state.rows.codes_at(rows)
        codes = current.astype(np.int64)
        codes[codes < 0] = len(classes)
        return Channel(name, codes.astype(dtype), "categorical", class_legend)
    if name == "status":
        codes = status_of(state.rows.status_bits(positions))
        return Channel(name, codes, "categorical", list(STATUS))
    report = state.report
    if report is None:
        raise ValueError(f"Colouring by {name!r} needs an analysis report; there is none yet.")
    if name == "predicted":
        values = report.predicted.iloc[rows].to_numpy(dtype=object)
        return Channel(
            name, _class_codes(values, classes).astype(dtype), "categorical", class_legend
        )
    n = state.n_rows if positions is None else len(positions)
    if name == "score":
        if "label_score" in report.issues.columns:
            scores = report.issues["label_score"].iloc[rows].to_numpy(dtype=np.float64)
        else:
            scores = np.full(n, np.nan)
        codes = np.full(n, SCORE_MISSING, dtype=np.uint8)
        ok = np.isfinite(scores)
        codes[ok] = np.rint(np.clip(scores[ok], 0, 1) * 254).astype(np.uint8)
        return Channel(name, codes, "continuous", ["0 (likely wrong)", "1 (likely right)"])
    types, flags = issue_flags(report, state.n_rows)
    codes = np.zeros(n, dtype=np.int64)
    for i in reversed(range(len(types))):  # a row shows its first issue type
        codes[flags[rows, i]] = i + 1
    legend = ["no issue", *(t.replace("_", " ") for t in types)]
    return Channel(name, codes.astype(code_dtype(len(legend))), "categorical", legend)


def pool_positions(state: Any) -> np.ndarray:
    """Positions of the pool rows: those whose current label is missing.

    The view draws them grey in every colour channel (a pool row is one to label, or new
    data the model will see); labelling one takes it out of the pool.

    Parameters
    ----------
    state : DatasetState

    Returns
    -------
    numpy.ndarray
        Sorted little-endian uint32 row positions.
    """
    return np.flatnonzero(state.rows.label_codes < 0).astype("<u4")
