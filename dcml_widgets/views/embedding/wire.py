"""What the embedding view puts on the wire: device-square positions quantised to uint16,
short text, and the checks every browser message of the view goes through."""

from __future__ import annotations

import numpy as np

LAYOUT_FILL = 0.95
"""The layout's longer side spans this fraction of the [-1, 1] device square."""


def normalize_layout(embedding: np.ndarray) -> np.ndarray:
    """Map an ``(N, 2)`` layout into the scatter's device square, keeping its aspect ratio.

    The midpoint of the bounding box goes to the origin and the longer side spans
    ``[-LAYOUT_FILL, LAYOUT_FILL]``. Non-finite coordinates go to the origin.

    Parameters
    ----------
    embedding : numpy.ndarray
        ``(N, 2)`` coordinates.

    Returns
    -------
    numpy.ndarray
        ``(N, 2)`` float32.

    Raises
    ------
    ValueError
        If the layout is not ``(N, 2)``.
    """
    xy = np.asarray(embedding, dtype=np.float64)
    if xy.ndim != 2 or xy.shape[1] != 2:
        raise ValueError(f"A layout must be an (N, 2) array, got shape {xy.shape}.")
    finite = np.isfinite(xy).all(axis=1)
    out = np.zeros(xy.shape, dtype=np.float32)
    if not finite.any():
        return out
    lo, hi = xy[finite].min(axis=0), xy[finite].max(axis=0)
    half = float((hi - lo).max()) / 2
    scale = LAYOUT_FILL / half if half > 0 else 1.0
    out[finite] = ((xy[finite] - (lo + hi) / 2) * scale).astype(np.float32)
    return out


QUANT_MAX = 65535
"""Largest uint16 code: positions are quantised to ``0..QUANT_MAX`` within the layout's box."""


def quantize_layout(positions: np.ndarray) -> tuple[np.ndarray, list[float]]:
    """Quantise device-square positions to uint16 within their bounding box.

    Four bytes a point instead of eight; the error is at most half a step, ``span / 131070``
    (about 0.03 px on a 3840-px-wide view of the whole layout).

    Parameters
    ----------
    positions : numpy.ndarray
        ``(N, 2)`` finite float32 positions (:func:`normalize_layout`).

    Returns
    -------
    (numpy.ndarray, list of float)
        ``(N, 2)`` little-endian uint16 codes and the box ``[x_lo, x_hi, y_lo, y_hi]``; a
        position is ``lo + code / QUANT_MAX * (hi - lo)``.
    """
    xy = np.asarray(positions, dtype=np.float64).reshape(-1, 2)
    if len(xy) == 0:
        return np.zeros((0, 2), dtype="<u2"), [0.0, 0.0, 0.0, 0.0]
    lo, hi = xy.min(axis=0), xy.max(axis=0)
    span = np.where(hi > lo, hi - lo, 1.0)
    codes = np.rint((xy - lo) / span * QUANT_MAX).astype("<u2")
    return codes, [float(lo[0]), float(hi[0]), float(lo[1]), float(hi[1])]


def decode_positions(buffers: list, n_rows: int) -> np.ndarray:
    """Row positions from a browser message's single uint32 (little-endian) buffer.

    Parameters
    ----------
    buffers : list
        The message's binary buffers (bytes-like).
    n_rows : int
        Number of rows: every position must be below it.

    Returns
    -------
    numpy.ndarray
        int64 positions, in the order sent.

    Raises
    ------
    ValueError
        No buffer or several, a length that is not whole uint32s, or a position out of range.
    """
    if len(buffers) != 1:
        raise ValueError(
            f"a selection carries one uint32 buffer of row positions, got {len(buffers)} buffers."
        )
    raw = memoryview(buffers[0]).cast("B")
    if raw.nbytes % 4:
        raise ValueError(f"a selection buffer of {raw.nbytes} bytes is not whole uint32s.")
    pos = np.frombuffer(raw, dtype="<u4").astype(np.int64)
    if pos.size and int(pos.max()) >= n_rows:
        raise ValueError(f"row position {int(pos.max())} is out of range (0..{n_rows - 1}).")
    return pos


def int_field(content: dict, key: str) -> int:
    """Integer field ``key`` of a browser message (a bool is not an integer here).

    Parameters
    ----------
    content : dict
        The message.
    key : str
        Field name.

    Returns
    -------
    int

    Raises
    ------
    TypeError
        If the field is missing or not an integer.
    """
    value = content.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"message field {key!r} must be an integer, got {value!r}.")
    return value
