"""The interface every column encoder shares, and the value-block-plus-indicator they all emit.

Every encoder (:mod:`.numeric`, :mod:`.categorical`, :mod:`.dates`, :mod:`.text`,
:mod:`.image`) turns one raw :class:`pandas.Series` into a float32 block ``(n, width)`` with
only finite values: the encoded values, then (when the training column had missing values) a
0/1 missing indicator. ``fit`` learns from the training frame; ``transform`` applies exactly
the same mapping to any other frame with that column (e.g. a trusted test set), so unseen
levels, missing values and unparseable entries never crash and never shift columns.
"""

from __future__ import annotations

import abc
from typing import ClassVar, TypeVar

import numpy as np
import pandas as pd

from dcml_widgets.analysis.features.convert import Scaler

_Encoder = TypeVar("_Encoder", bound="ColumnEncoder")


class ColumnEncoder(abc.ABC):
    """One raw column -> a finite float32 block: encoded values plus a missing indicator.

    Subclasses implement the private hooks (:meth:`_fit`, :meth:`_encode`,
    :meth:`_value_width`, :meth:`_describe_values`); the public methods are defined here once.

    Attributes
    ----------
    role : str
        The column role this encoder serves (``"numeric"``, ``"categorical"``, ...).
    n_missing : int
        Missing (or unparseable) entries in the training column; set by :meth:`fit`.
    indicator : bool
        Whether the block ends with a missing-indicator column; set by :meth:`fit`.
    """

    role: ClassVar[str]
    # How the plan names what missing entries get (see :meth:`describe`).
    _missing_fill: ClassVar[str] = "indicator"
    n_missing: int
    indicator: bool

    def fit(self: _Encoder, values: pd.Series) -> _Encoder:
        """Learn the encoding from a training column.

        Parameters
        ----------
        values : pandas.Series
            Training column.

        Returns
        -------
        ColumnEncoder
            ``self``, fitted.
        """
        self._fit_block(values)
        return self

    def fit_transform(self, values: pd.Series) -> np.ndarray:
        """Fit, and encode the same column (without repeating work fitting already did).

        Parameters
        ----------
        values : pandas.Series
            Training column.

        Returns
        -------
        numpy.ndarray
            ``(n, width)`` float32, finite.
        """
        block = self._fit_block(values)
        return self.transform(values) if block is None else block

    def transform(self, values: pd.Series) -> np.ndarray:
        """Encode a column the way the training column was.

        Parameters
        ----------
        values : pandas.Series
            A column with the training column's meaning (e.g. from a test frame).

        Returns
        -------
        numpy.ndarray
            ``(n, width)`` float32, finite.
        """
        return self._stack(*self._encode(values))

    @property
    def width(self) -> int:
        """Number of output columns (value columns, plus one when :attr:`indicator`)."""
        return self._value_width() + int(self.indicator)

    def describe(self) -> str:
        """Say how the column was encoded (the plan's ``detail``, before its width).

        Returns
        -------
        str
        """
        detail = self._describe_values()
        if self.indicator:
            detail += f"; {self._describe_missing()}"
        return detail

    def _fit_block(self, values: pd.Series) -> np.ndarray | None:
        missing, block = self._fit(values)
        self.n_missing = int(missing.sum())
        self.indicator = self.n_missing > 0 and not self._missing_is_a_level()
        return None if block is None else self._stack(block, missing)

    def _stack(self, block: np.ndarray, missing: np.ndarray) -> np.ndarray:
        cols = [block, missing.astype(np.float32)] if self.indicator else [block]
        return np.column_stack(cols).astype(np.float32)

    def _missing_is_a_level(self) -> bool:
        """Whether missing entries are already one of the encoded values (no indicator)."""
        return False

    def _describe_missing(self) -> str:
        return f"{self.n_missing} missing: {self._missing_fill}"

    @abc.abstractmethod
    def _fit(self, values: pd.Series) -> tuple[np.ndarray, np.ndarray | None]:
        """Learn from the training column.

        Returns its boolean missing mask, and its value block when fitting computed it anyway
        (``None`` otherwise: :meth:`fit_transform` then calls :meth:`transform`).
        """

    @abc.abstractmethod
    def _encode(self, values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
        """The value block (``(n,)`` or ``(n, k)``, finite) and the boolean missing mask."""

    @abc.abstractmethod
    def _value_width(self) -> int:
        """Number of value columns (the missing indicator not counted)."""

    @abc.abstractmethod
    def _describe_values(self) -> str:
        """How the values are encoded (:meth:`describe` adds the missing part)."""


class ScaledEncoder(ColumnEncoder):
    """One number per row (subclasses say which), median-imputed and scaled by a :class:`Scaler`.

    NaN from :meth:`_numbers` marks a missing entry.
    """

    _missing_fill = "median-imputed + indicator"
    # Whether the scaler may signed-log a skewed column.
    _allow_log: ClassVar[bool] = True

    def _fit(self, values: pd.Series) -> tuple[np.ndarray, None]:
        x = self._numbers(values)
        self.scaler = Scaler().fit(x, allow_log=self._allow_log)
        return np.isnan(x), None

    def _encode(self, values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
        x = self._numbers(values)
        return self.scaler.transform(x), np.isnan(x)

    def _value_width(self) -> int:
        return 1

    @abc.abstractmethod
    def _numbers(self, values: pd.Series) -> np.ndarray:
        """The column as ``(n,)`` float64, NaN where missing."""
