"""Encoder of dates and times."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dcml_widgets.analysis.features.convert import Scaler, to_datetime


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
        self.scalers: dict[str, Scaler] = {}
        for name, x in self._parts(parsed).items():
            finite = x[~np.isnan(x)]
            if finite.size and finite.min() != finite.max():
                self.scalers[name] = Scaler().fit(x, allow_log=False)
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
