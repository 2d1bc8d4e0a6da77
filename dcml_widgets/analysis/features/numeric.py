"""Encoders of numbers and two-valued columns."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from dcml_widgets.analysis.features.convert import Scaler, to_float, to_text


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
        self.scaler = Scaler().fit(x)
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
