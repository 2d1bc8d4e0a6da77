"""Tabular column encoders: one small class per column role, each fitted once and reusable.

Every encoder turns one raw :class:`pandas.Series` into a float32 block ``(n, k)`` with only
finite values. ``fit`` learns from the training frame; ``transform`` applies exactly the same
mapping to any other frame with that column (e.g. a trusted test set), so unseen levels,
missing values and unparseable entries never crash and never shift columns. Free text and
images have their own modules (:mod:`.text_encoder`, :mod:`.image_encoder`).
"""

from __future__ import annotations

from typing import Any

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


class _Scaler:
    """Median imputation, optional signed-log, standardisation; shared by numeric-like roles."""

    def fit(self, x: np.ndarray, *, allow_log: bool = True) -> _Scaler:
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


class NumericEncoder:
    """Numbers (or numbers stored as text): median-imputed, skewed ones signed-log, scaled.

    A missing-value indicator column is added when the training column had missing values.
    """

    role = "numeric"

    def __init__(self, *, from_text: bool = False) -> None:
        self.from_text = from_text

    def fit(self, values: pd.Series) -> NumericEncoder:
        """Learn imputation and scaling from a training column.

        Parameters
        ----------
        values : pandas.Series
            Training column.

        Returns
        -------
        NumericEncoder
            ``self``, fitted.
        """
        x = to_float(values, from_text=self.from_text)
        self.n_missing = int(np.isnan(x).sum())
        self.indicator = self.n_missing > 0
        self.scaler = _Scaler().fit(x)
        return self

    @property
    def width(self) -> int:
        """Number of output columns."""
        return 2 if self.indicator else 1

    def transform(self, values: pd.Series) -> np.ndarray:
        """Encode a column as ``(n, width)`` float32.

        Parameters
        ----------
        values : pandas.Series
            A column with the training column's meaning (e.g. from a test frame).

        Returns
        -------
        numpy.ndarray
        """
        x = to_float(values, from_text=self.from_text)
        cols = [self.scaler.transform(x)]
        if self.indicator:
            cols.append(np.isnan(x).astype(np.float64))
        return np.column_stack(cols).astype(np.float32)

    def describe(self) -> str:
        """Say how the column was encoded."""
        parts = ["text parsed as numbers" if self.from_text else "numbers"]
        parts.append("signed-log, scaled" if self.scaler.log else "scaled")
        if self.indicator:
            parts.append(f"{self.n_missing} missing: median-imputed + indicator")
        return "; ".join(parts)


class BooleanEncoder:
    """Two-valued column (or one value plus missing): 1 where the value equals ``positive``."""

    role = "boolean"

    def __init__(
        self,
        positive: Any,
        negative: Any | None,
        *,
        numeric: bool = False,
        from_text: bool = False,
    ) -> None:
        self.positive = positive
        self.negative = negative
        self.numeric = numeric
        self.from_text = from_text

    def _missing_and_hit(self, values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
        if self.numeric:
            x = to_float(values, from_text=self.from_text)
            missing = np.isnan(x)
            return missing, (x == float(self.positive)) & ~missing
        missing = values.isna().to_numpy()
        hit = (to_text(values) == str(self.positive)).to_numpy(dtype=bool) & ~missing
        return missing, hit

    def fit(self, values: pd.Series) -> BooleanEncoder:
        """Note whether a missing indicator is needed.

        Parameters
        ----------
        values : pandas.Series
            Training column.

        Returns
        -------
        BooleanEncoder
            ``self``, fitted.
        """
        self.n_missing = int(self._missing_and_hit(values)[0].sum())
        # With one observed value, "missing" is the other level: no separate indicator.
        self.indicator = self.n_missing > 0 and self.negative is not None
        return self

    @property
    def width(self) -> int:
        """Number of output columns."""
        return 2 if self.indicator else 1

    def transform(self, values: pd.Series) -> np.ndarray:
        """Encode a column as ``(n, width)`` float32 of 0/1.

        Parameters
        ----------
        values : pandas.Series
            A column with the training column's meaning (e.g. from a test frame).

        Returns
        -------
        numpy.ndarray
        """
        missing, hit = self._missing_and_hit(values)
        cols = [hit.astype(np.float32)]
        if self.indicator:
            cols.append(missing.astype(np.float32))
        return np.column_stack(cols)

    def describe(self) -> str:
        """Say how the column was encoded."""
        if self.negative is None:
            return f"1 = {self.positive!s}, 0 = missing ({self.n_missing} rows)"
        detail = f"1 = {self.positive!s}, 0 = {self.negative!s}"
        if self.indicator:
            detail += f"; {self.n_missing} missing: indicator"
        return detail


class CategoricalEncoder:
    """Unordered levels: one-hot of the frequent levels, rare and unseen ones grouped."""

    role = "categorical"

    def __init__(self, *, max_levels: int = 30, min_count: int = 5) -> None:
        self.max_levels = max_levels
        self.min_count = min_count

    def fit(self, values: pd.Series) -> CategoricalEncoder:
        """Choose the kept levels (most frequent first).

        Parameters
        ----------
        values : pandas.Series
            Training column.

        Returns
        -------
        CategoricalEncoder
            ``self``, fitted.
        """
        text = to_text(values)
        counts = text.value_counts(dropna=True)
        kept = counts[counts >= self.min_count].index[: self.max_levels]
        if len(kept) == 0:
            kept = counts.index[: min(self.max_levels, 2)]
        self.levels = list(kept)
        self.n_levels = len(counts)
        self.n_grouped = int(len(counts) - len(self.levels))
        self.other = self.n_grouped > 0
        self.n_missing = int(text.isna().sum())
        self.indicator = self.n_missing > 0
        return self

    @property
    def width(self) -> int:
        """Number of output columns."""
        return len(self.levels) + int(self.other) + int(self.indicator)

    def transform(self, values: pd.Series) -> np.ndarray:
        """Encode a column as a ``(n, width)`` float32 one-hot block.

        Parameters
        ----------
        values : pandas.Series
            A column with the training column's meaning (e.g. from a test frame).

        Returns
        -------
        numpy.ndarray
        """
        text = to_text(values)
        missing = text.isna().to_numpy()
        codes = pd.Index(self.levels, dtype=object).get_indexer(text).astype(np.int64)
        n = len(text)
        out = np.zeros((n, self.width), dtype=np.float32)
        known = codes >= 0
        out[np.flatnonzero(known), codes[known]] = 1.0
        col = len(self.levels)
        if self.other:
            out[(~known) & (~missing), col] = 1.0
            col += 1
        if self.indicator:
            out[missing, col] = 1.0
        return out

    def describe(self) -> str:
        """Say how the column was encoded."""
        detail = f"{self.n_levels} levels: one-hot of {len(self.levels)}"
        if self.other:
            detail += f", {self.n_grouped} rare levels grouped as other"
        if self.indicator:
            detail += f"; {self.n_missing} missing: indicator"
        return detail


class OrdinalEncoder:
    """Ordered categorical: the level's rank, scaled, with a missing indicator."""

    role = "ordinal"

    def __init__(self, categories: list[Any]) -> None:
        self.categories = list(categories)

    def _ranks(self, values: pd.Series) -> np.ndarray:
        codes = pd.Index(self.categories).get_indexer(values.astype(object)).astype(np.float64)
        codes[codes < 0] = np.nan
        return codes

    def fit(self, values: pd.Series) -> OrdinalEncoder:
        """Learn imputation and scaling of the ranks.

        Parameters
        ----------
        values : pandas.Series
            Training column.

        Returns
        -------
        OrdinalEncoder
            ``self``, fitted.
        """
        ranks = self._ranks(values)
        self.n_missing = int(np.isnan(ranks).sum())
        self.indicator = self.n_missing > 0
        self.scaler = _Scaler().fit(ranks, allow_log=False)
        return self

    @property
    def width(self) -> int:
        """Number of output columns."""
        return 2 if self.indicator else 1

    def transform(self, values: pd.Series) -> np.ndarray:
        """Encode a column as ``(n, width)`` float32.

        Parameters
        ----------
        values : pandas.Series
            A column with the training column's meaning (e.g. from a test frame).

        Returns
        -------
        numpy.ndarray
        """
        ranks = self._ranks(values)
        cols = [self.scaler.transform(ranks)]
        if self.indicator:
            cols.append(np.isnan(ranks).astype(np.float64))
        return np.column_stack(cols).astype(np.float32)

    def describe(self) -> str:
        """Say how the column was encoded."""
        detail = f"{len(self.categories)} ordered levels: rank, scaled"
        if self.indicator:
            detail += f"; {self.n_missing} missing: median-imputed + indicator"
        return detail


class DatetimeEncoder:
    """Dates and times (or date-like text): numeric parts, each scaled, plus a missing flag."""

    role = "datetime"

    def __init__(self, fmt: str | None = None, *, from_text: bool = False) -> None:
        self.fmt = fmt
        self.from_text = from_text

    @staticmethod
    def _parts(parsed: pd.Series) -> dict[str, np.ndarray]:
        dt = parsed.dt
        days = parsed.to_numpy(dtype="datetime64[ns]").astype(np.int64) / 86_400e9
        parts = {
            "days": days,
            "year": dt.year.to_numpy(dtype=np.float64, na_value=np.nan),
            "month": dt.month.to_numpy(dtype=np.float64, na_value=np.nan),
            "day": dt.day.to_numpy(dtype=np.float64, na_value=np.nan),
            "dayofweek": dt.day_of_week.to_numpy(dtype=np.float64, na_value=np.nan),
            "hour": (dt.hour + dt.minute / 60.0).to_numpy(dtype=np.float64, na_value=np.nan),
        }
        missing = parsed.isna().to_numpy()
        parts = {name: np.array(values, dtype=np.float64) for name, values in parts.items()}
        for values in parts.values():
            values[missing] = np.nan
        return parts

    def fit(self, values: pd.Series) -> DatetimeEncoder:
        """Learn which parts vary and how to scale them.

        Parameters
        ----------
        values : pandas.Series
            Training column.

        Returns
        -------
        DatetimeEncoder
            ``self``, fitted.
        """
        parsed = to_datetime(values, self.fmt)
        self.n_missing = int(parsed.isna().sum())
        self.n_unparsed = int(self.n_missing - values.isna().sum())
        self.indicator = self.n_missing > 0
        self.scalers: dict[str, _Scaler] = {}
        for name, x in self._parts(parsed).items():
            finite = x[~np.isnan(x)]
            if finite.size and finite.min() != finite.max():
                self.scalers[name] = _Scaler().fit(x, allow_log=False)
        return self

    @property
    def width(self) -> int:
        """Number of output columns."""
        return max(len(self.scalers), 1) + int(self.indicator)

    def transform(self, values: pd.Series) -> np.ndarray:
        """Encode a column as ``(n, width)`` float32.

        Parameters
        ----------
        values : pandas.Series
            A column with the training column's meaning (e.g. from a test frame).

        Returns
        -------
        numpy.ndarray
        """
        parsed = to_datetime(values, self.fmt)
        parts = self._parts(parsed)
        cols = [scaler.transform(parts[name]) for name, scaler in self.scalers.items()]
        if not cols:
            cols = [np.zeros(len(parsed))]
        if self.indicator:
            cols.append(parsed.isna().to_numpy().astype(np.float64))
        return np.column_stack(cols).astype(np.float32)

    def describe(self) -> str:
        """Say how the column was encoded."""
        source = "dates"
        if self.from_text:
            source = f"date-like text ({self.fmt})" if self.fmt else "date-like text"
        detail = f"{source}: parts {', '.join(self.scalers) or 'none vary'}, scaled"
        if self.indicator:
            detail += f"; {self.n_missing} missing"
            if self.n_unparsed > 0:
                detail += f" ({self.n_unparsed} unparseable)"
            detail += ": indicator"
        return detail
