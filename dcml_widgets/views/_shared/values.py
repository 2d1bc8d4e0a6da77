"""Dataset values as the views put them on the wire: JSON-safe, short, text where not a number.

Dataset text only ever reaches the page as text (``textContent``), never as HTML.
"""

from __future__ import annotations

import datetime as _dt
import math
from typing import Any

import numpy as np
import pandas as pd

#: Longest dataset string a view shows in a short field (longer ones are cut, ending in "…").
TEXT_LIMIT = 80


def clip_text(value: Any, limit: int = TEXT_LIMIT) -> str:
    """Dataset value as a short string: ``str(value)`` cut to ``limit`` characters.

    Parameters
    ----------
    value : object
        Any dataset value (``None`` becomes ``""``).
    limit : int
        Longest result; a longer text is cut and ends in ``…``.

    Returns
    -------
    str
    """
    text = "" if value is None else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


#: Text cells longer than this are cut in a page; the browser asks for the rest on expand.
CELL_LIMIT = 160
#: The longest text an expand request returns.
FULL_TEXT_LIMIT = 100_000


def cell_value(value: Any, limit: int = CELL_LIMIT) -> tuple[Any, bool]:
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


def short_text(value: Any, limit: int = TEXT_LIMIT) -> str:
    """A dataset value as a short text: numbers to four significant digits, else
    :func:`cell_value`'s text, cut to ``limit`` characters (missing values give ``""``)."""
    shown, _ = cell_value(value, limit + 1)  # clip_text marks the cut with "…"
    if isinstance(shown, float):
        return f"{shown:.4g}"
    return clip_text(shown, limit)
