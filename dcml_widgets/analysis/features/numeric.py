"""Encoders of numbers and two-valued columns."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from dcml_widgets.analysis.features.base import ColumnEncoder, ScaledEncoder
from dcml_widgets.analysis.features.convert import to_float, to_text


class NumericEncoder(ScaledEncoder):
    """Numbers (or numbers stored as text): median-imputed, skewed ones signed-log, scaled.

    A missing-value indicator column is added when the training column had missing values.
    """

    role = "numeric"

    def __init__(self, *, from_text: bool = False) -> None:
        self.from_text = from_text

    def _numbers(self, values: pd.Series) -> np.ndarray:
        return to_float(values, from_text=self.from_text)

    def _describe_values(self) -> str:
        source = "text parsed as numbers" if self.from_text else "numbers"
        return f"{source}; {'signed-log, scaled' if self.scaler.log else 'scaled'}"


class BooleanEncoder(ColumnEncoder):
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

    def _fit(self, values: pd.Series) -> tuple[np.ndarray, None]:
        return self._encode(values)[1], None

    def _encode(self, values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
        if self.numeric:
            x = to_float(values, from_text=self.from_text)
            missing = np.isnan(x)
            return ((x == float(self.positive)) & ~missing).astype(np.float32), missing
        missing = values.isna().to_numpy()
        hit = (to_text(values) == str(self.positive)).to_numpy(dtype=bool) & ~missing
        return hit.astype(np.float32), missing

    def _missing_is_a_level(self) -> bool:
        # With one observed value, "missing" is the other level: no separate indicator.
        return self.negative is None

    def _value_width(self) -> int:
        return 1

    def _describe_values(self) -> str:
        if self.negative is None:
            return f"1 = {self.positive!s}, 0 = missing ({self.n_missing} rows)"
        return f"1 = {self.positive!s}, 0 = {self.negative!s}"
