"""Encoder of dates and times."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dcml_widgets.analysis.features.base import ColumnEncoder
from dcml_widgets.analysis.features.convert import Scaler, to_datetime


class DatetimeEncoder(ColumnEncoder):
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

    def _fit(self, values: pd.Series) -> tuple[np.ndarray, None]:
        # Only the parts that vary are kept, each with its own scaler.
        parsed = to_datetime(values, self.fmt)
        missing = parsed.isna().to_numpy()
        self.n_unparsed = int(missing.sum() - values.isna().sum())
        self.scalers: dict[str, Scaler] = {}
        for name, x in self._parts(parsed).items():
            finite = x[~np.isnan(x)]
            if finite.size and finite.min() != finite.max():
                self.scalers[name] = Scaler().fit(x, allow_log=False)
        return missing, None

    def _encode(self, values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
        parsed = to_datetime(values, self.fmt)
        parts = self._parts(parsed)
        cols = [scaler.transform(parts[name]) for name, scaler in self.scalers.items()]
        if not cols:
            cols = [np.zeros(len(parsed))]
        return np.column_stack(cols), parsed.isna().to_numpy()

    def _value_width(self) -> int:
        return max(len(self.scalers), 1)

    def _describe_values(self) -> str:
        source = "dates"
        if self.from_text:
            source = f"date-like text ({self.fmt})" if self.fmt else "date-like text"
        return f"{source}: parts {', '.join(self.scalers) or 'none vary'}, scaled"

    def _describe_missing(self) -> str:
        unparsed = f" ({self.n_unparsed} unparseable)" if self.n_unparsed > 0 else ""
        return f"{self.n_missing} missing{unparsed}: indicator"
