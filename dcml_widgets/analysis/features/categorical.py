"""Encoders of unordered and ordered levels."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from dcml_widgets.analysis.features.base import ColumnEncoder, ScaledEncoder
from dcml_widgets.analysis.features.convert import to_text


class CategoricalEncoder(ColumnEncoder):
    """Unordered levels: one-hot of the frequent levels, rare and unseen ones grouped."""

    role = "categorical"

    def __init__(self, *, max_levels: int = 30, min_count: int = 5) -> None:
        self.max_levels = max_levels
        self.min_count = min_count

    def _fit(self, values: pd.Series) -> tuple[np.ndarray, None]:
        # Keep the frequent levels, most frequent first.
        text = to_text(values)
        counts = text.value_counts(dropna=True)
        kept = counts[counts >= self.min_count].index[: self.max_levels]
        if len(kept) == 0:
            kept = counts.index[: min(self.max_levels, 2)]
        self.levels = list(kept)
        self.n_levels = len(counts)
        self.n_grouped = int(len(counts) - len(self.levels))
        self.other = self.n_grouped > 0
        return text.isna().to_numpy(), None

    def _encode(self, values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
        text = to_text(values)
        missing = text.isna().to_numpy()
        codes = pd.Index(self.levels, dtype=object).get_indexer(text).astype(np.int64)
        out = np.zeros((len(text), self._value_width()), dtype=np.float32)
        known = codes >= 0
        out[np.flatnonzero(known), codes[known]] = 1.0
        if self.other:
            out[(~known) & (~missing), len(self.levels)] = 1.0
        return out, missing

    def _value_width(self) -> int:
        return len(self.levels) + int(self.other)

    def _describe_values(self) -> str:
        detail = f"{self.n_levels} levels: one-hot of {len(self.levels)}"
        if self.other:
            detail += f", {self.n_grouped} rare levels grouped as other"
        return detail


class OrdinalEncoder(ScaledEncoder):
    """Ordered categorical: the level's rank, scaled, with a missing indicator."""

    role = "ordinal"
    _allow_log = False

    def __init__(self, categories: list[Any]) -> None:
        self.categories = list(categories)

    def _numbers(self, values: pd.Series) -> np.ndarray:
        codes = pd.Index(self.categories).get_indexer(values.astype(object)).astype(np.float64)
        codes[codes < 0] = np.nan
        return codes

    def _describe_values(self) -> str:
        return f"{len(self.categories)} ordered levels: rank, scaled"
