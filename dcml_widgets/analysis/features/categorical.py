"""Encoders of unordered and ordered levels."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from dcml_widgets.analysis.features.convert import Scaler, to_text


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
        self.scaler = Scaler().fit(ranks, allow_log=False)
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
