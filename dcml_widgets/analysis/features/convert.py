"""Raw column values as numbers, text or datetimes, and the scaler the numeric-like encoders share.

The encoders themselves share one interface, :class:`.base.ColumnEncoder`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

# Values beyond this after scaling are clipped so a single absurd entry cannot overflow
# float32 or swamp every distance.
CLIP = 1e4


def to_float(values: pd.Series, *, from_text: bool = False) -> np.ndarray:
    """Return a column as float64 with NaN for missing, unparseable or infinite entries.

    Parameters
    ----------
    values : pandas.Series
        A numeric, boolean, timedelta or (with ``from_text``) text column.
    from_text : bool
        Parse strings as numbers (``"1.5"`` -> 1.5; anything unparseable -> NaN).

    Returns
    -------
    numpy.ndarray
        ``(n,)`` float64.
    """
    if pd.api.types.is_timedelta64_dtype(values.dtype):
        out = values.dt.total_seconds().to_numpy(dtype=np.float64, na_value=np.nan)
    elif from_text:
        out = pd.to_numeric(values, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    else:
        out = values.to_numpy(dtype=np.float64, na_value=np.nan)
    out = np.array(out, dtype=np.float64, copy=True)
    out[~np.isfinite(out)] = np.nan
    return out


def to_text(values: pd.Series) -> pd.Series:
    """Return a column as strings with missing entries kept as missing (``None``).

    Parameters
    ----------
    values : pandas.Series

    Returns
    -------
    pandas.Series
        Object series of ``str`` or ``None``.
    """
    mask = values.isna().to_numpy()
    out = values.astype(object).map(str)
    out = out.astype(object)
    out[mask] = None
    return out


def to_datetime(values: pd.Series, fmt: str | None = None) -> pd.Series:
    """Parse a column into timezone-naive UTC ``datetime64[ns]`` (unparseable -> NaT).

    Parameters
    ----------
    values : pandas.Series
        Datetime or date-like text column.
    fmt : str, optional
        ``strftime`` format of the text; ``None`` parses each entry on its own (slower).

    Returns
    -------
    pandas.Series
    """
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        parsed = values
    else:
        text = to_text(values)
        parsed = pd.to_datetime(text, errors="coerce", format=fmt or "mixed", utc=True)
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_convert("UTC").dt.tz_localize(None)
    return parsed.astype("datetime64[ns]")


class Scaler:
    """Median imputation, optional signed-log, standardisation; shared by numeric-like roles."""

    def fit(self, x: np.ndarray, *, allow_log: bool = True) -> Scaler:
        finite = x[~np.isnan(x)]
        self.log = False
        if allow_log and finite.size > 2:
            std = finite.std()
            if std > 0:
                skew = float(np.mean(((finite - finite.mean()) / std) ** 3))
                self.log = abs(skew) > 2.0
        y = self._shape(finite)
        self.median = float(np.median(y)) if y.size else 0.0
        self.mean = float(y.mean()) if y.size else 0.0
        std = float(y.std()) if y.size else 0.0
        self.scale = std if std > 0 else 1.0
        return self

    def _shape(self, x: np.ndarray) -> np.ndarray:
        return np.sign(x) * np.log1p(np.abs(x)) if self.log else x

    def transform(self, x: np.ndarray) -> np.ndarray:
        y = self._shape(x)
        y = np.where(np.isnan(y), self.median, y)
        return np.clip((y - self.mean) / self.scale, -CLIP, CLIP)
