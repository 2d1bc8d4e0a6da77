"""Decide what one raw column is (numeric, text, an ID, ...) and how to encode it.

:func:`decide_role` looks at a column's dtype and a sample of its values and returns a
:class:`RoleDecision`: the role, a one-line reason, and an unfitted encoder (``None`` when the
column is dropped). The label-leak check lives in :mod:`.build`
because it needs the label.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import numpy as np
import pandas as pd

from dcml_widgets.analysis.features.categorical import CategoricalEncoder, OrdinalEncoder
from dcml_widgets.analysis.features.convert import to_float, to_text
from dcml_widgets.analysis.features.dates import DatetimeEncoder
from dcml_widgets.analysis.features.image import ImageEncoder
from dcml_widgets.analysis.features.numeric import BooleanEncoder, NumericEncoder
from dcml_widgets.analysis.features.text import TextEncoder

DROPPED_ROLES = ("id", "constant", "all_missing", "leak", "unsupported")

_ID_NAME = re.compile(r"(^|[_\W])(id|uuid|guid|key|index|idx)($|[_\W])|id$|^id", re.IGNORECASE)
_DATE_HINT = re.compile(r"\d{1,4}[-/.:]\d{1,2}|\d{1,2}\s+[A-Za-z]{3}|[A-Za-z]{3,9}\s+\d{1,2}")
_MIN_ROWS_FOR_ID = 20
_SAMPLE = 500


@dataclasses.dataclass
class RoleDecision:
    """What to do with one column.

    Attributes
    ----------
    role : str
        One of numeric, boolean, categorical, ordinal, datetime, text, image, id, constant,
        all_missing, leak, unsupported.
    detail : str
        Why (for dropped columns) or how it will be encoded (refined after fitting).
    encoder : ColumnEncoder or None
        Unfitted encoder (:mod:`.numeric`, :mod:`.categorical`, :mod:`.dates`,
        :mod:`.text`, :mod:`.image`); ``None`` = dropped.
    """

    role: str
    detail: str
    encoder: Any = None


def _is_image(value: Any) -> bool:
    if hasattr(value, "convert") and hasattr(value, "size") and hasattr(value, "mode"):
        return True
    return isinstance(value, np.ndarray) and value.ndim in (2, 3) and min(value.shape[:2]) > 1


def _first_present(values: pd.Series) -> Any:
    for value in values:
        if value is None or (isinstance(value, float) and np.isnan(value)):
            continue
        return value
    return None


def _few_values(
    values: pd.Series, levels: np.ndarray, *, numeric: bool = False, from_text: bool = False
) -> RoleDecision | None:
    """Constant and two-valued columns, shared by the numeric and the text paths."""
    n_missing = int(values.isna().sum())
    if len(levels) == 1:
        if n_missing == 0:
            return RoleDecision("constant", f"one value ({levels[0]!s}) in every row: dropped")
        encoder = BooleanEncoder(levels[0], None, numeric=numeric, from_text=from_text)
        return RoleDecision("boolean", "", encoder)
    if len(levels) == 2:
        low, high = sorted(levels, key=lambda v: (str(type(v)), v))
        encoder = BooleanEncoder(high, low, numeric=numeric, from_text=from_text)
        return RoleDecision("boolean", "", encoder)
    return None


def _looks_like_int_id(name: str, x: np.ndarray) -> bool:
    """Unique integers that are sequential, dense or named like an ID."""
    if x.size < _MIN_ROWS_FOR_ID or not np.all(x == np.round(x)):
        return False
    if np.unique(x).size < 0.99 * x.size:
        return False
    if _ID_NAME.search(name):
        return True
    diffs = np.diff(x)
    monotonic = bool(np.all(diffs > 0) or np.all(diffs < 0))
    dense = (x.max() - x.min() + 1) <= 2 * x.size
    return monotonic or dense


def _numeric(name: str, values: pd.Series, *, from_text: bool) -> RoleDecision:
    x = to_float(values, from_text=from_text)
    present_mask = ~np.isnan(x)
    if not present_mask.any():
        return RoleDecision("all_missing", "no finite number in any row: dropped")
    levels = np.unique(x[present_mask])
    few = _few_values(values, levels[:3], numeric=True, from_text=from_text)
    if few is not None:
        return few
    if _looks_like_int_id(name, x[present_mask]):
        return RoleDecision("id", "unique integers per row (an identifier): dropped")
    return RoleDecision("numeric", "", NumericEncoder(from_text=from_text))


def _guess_date_format(sample: list[str]) -> tuple[bool, str | None]:
    """Whether text values are dates, and a single format that parses them if one exists."""
    if not sample or sum(bool(_DATE_HINT.search(s)) for s in sample) < 0.9 * len(sample):
        return False, None
    from pandas.tseries.api import guess_datetime_format

    fmt = guess_datetime_format(sample[0])
    ser = pd.Series(sample, dtype=object)
    if fmt is not None:
        parsed = pd.to_datetime(ser, errors="coerce", format=fmt)
        if parsed.notna().mean() >= 0.9:
            return True, fmt
    parsed = pd.to_datetime(ser, errors="coerce", format="mixed")
    return bool(parsed.notna().mean() >= 0.9), None


def _text_like(name: str, values: pd.Series, n_rows: int) -> RoleDecision:
    present = values.dropna()
    text = to_text(present)
    sample = text.sample(min(_SAMPLE, len(text)), random_state=0).tolist()
    numbers = pd.to_numeric(pd.Series(sample, dtype=object), errors="coerce")
    if numbers.notna().mean() >= 0.95:
        decision = _numeric(name, values, from_text=True)
        if decision.role == "id":
            decision.detail = "unique integers (stored as text) per row: an identifier, dropped"
        return decision
    few = _few_values(values, np.asarray(text.unique()[:3], dtype=object))
    if few is not None:
        return few
    is_date, fmt = _guess_date_format(sample)
    if is_date:
        return RoleDecision("datetime", "", DatetimeEncoder(fmt, from_text=True))
    n_unique = int(text.nunique())
    tokens = float(np.mean([len(s.split()) for s in sample]))
    length = float(np.mean([len(s) for s in sample]))
    wordy = tokens >= 3 or (length >= 40 and tokens >= 2)
    if wordy and n_unique > 20:
        return RoleDecision("text", "", TextEncoder())
    if len(present) >= _MIN_ROWS_FOR_ID and n_unique >= 0.95 * len(present):
        return RoleDecision(
            "id", f"{n_unique} distinct values in {len(present)} rows (an identifier): dropped"
        )
    return RoleDecision("categorical", "", CategoricalEncoder())


def decide_role(name: str, values: pd.Series) -> RoleDecision:
    """Decide the role of one raw column and pick its encoder.

    Parameters
    ----------
    name : str
        Column name (an ``id``-like name makes unique integers count as an identifier).
    values : pandas.Series
        The column.

    Returns
    -------
    RoleDecision
    """
    name = str(name)
    dtype = values.dtype
    n_present = int(values.notna().sum())
    if n_present == 0:
        return RoleDecision("all_missing", "missing in every row: dropped")
    if pd.api.types.is_bool_dtype(dtype):
        levels = np.asarray(to_text(values.dropna()).unique(), dtype=object)
        decision = _few_values(values, levels)
        assert decision is not None  # a boolean column has at most two values
        return decision
    if pd.api.types.is_datetime64_any_dtype(dtype):
        if values.dropna().nunique() <= 1:
            return RoleDecision("constant", "one date in every row: dropped")
        return RoleDecision("datetime", "", DatetimeEncoder())
    if isinstance(dtype, pd.CategoricalDtype):
        if dtype.ordered and values.dropna().nunique() > 2:
            return RoleDecision("ordinal", "", OrdinalEncoder(list(dtype.categories)))
        return _text_like(name, values.astype(object), len(values))
    if pd.api.types.is_timedelta64_dtype(dtype) or pd.api.types.is_numeric_dtype(dtype):
        if pd.api.types.is_complex_dtype(dtype):
            return RoleDecision("unsupported", "complex numbers: dropped")
        return _numeric(name, values, from_text=False)
    first = _first_present(values)
    if first is None:
        return RoleDecision("all_missing", "missing in every row: dropped")
    if _is_image(first):
        return RoleDecision("image", "", ImageEncoder())
    if isinstance(first, (list, tuple, dict, set, np.ndarray)):
        return RoleDecision(
            "unsupported",
            f"holds {type(first).__name__} values: dropped "
            "(pass your own vectors with features=array)",
        )
    return _text_like(name, values, len(values))
