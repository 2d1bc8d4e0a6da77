"""Plain values: numpy scalars and missing values as what JSON, the journal and the page take.

The lowest layer of the package (it imports nothing from it), so the state, the journal and
the views convert values the same way.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd


def native(value: Any) -> Any:
    """Python scalar for a numpy scalar (anything else as is), so values compare and
    serialise predictably."""
    return value.item() if isinstance(value, np.generic) else value


def is_missing(value: Any) -> bool:
    """True for NaN / None / NA (and False for anything ``pd.isna`` cannot judge)."""
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def json_number(value: Any) -> float | int | None:
    """A JSON-safe number: an int when whole, None for NaN, infinity or not a number.

    Parameters
    ----------
    value : Any

    Returns
    -------
    int, float or None
    """
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if math.isnan(number) or math.isinf(number):
        return None
    return int(number) if float(number).is_integer() and abs(number) < 2**53 else number


def json_scalar(value: Any) -> Any:
    """A JSON-safe scalar: None for missing, str/int/float/bool as they are, else ``str()``.

    Parameters
    ----------
    value : Any

    Returns
    -------
    None, bool, int, float or str
    """
    value = native(value)
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return None
    if isinstance(value, (str, bool, int, float)):
        return value
    return None if is_missing(value) else str(value)
