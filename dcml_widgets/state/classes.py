"""Label values: the class table behind label codes, and labels rebuilt in the column's dtype."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from dcml_widgets.values import native


def sorted_classes(values: Any) -> list:
    """Sorted unique non-missing values (``np.unique`` order; by text when types are mixed)."""
    present = pd.unique(pd.Series(values).dropna().to_numpy())
    try:
        present = np.sort(present)
    except TypeError:
        present = np.array(sorted(present, key=str), dtype=object)
    return [native(c) for c in present]


class ClassTable:
    """Append-only table of every class ever known; a label code is a position in it.

    A class removed (undoing :meth:`DatasetState.add_class`) is only marked inactive, so codes
    already stored in the log stay valid, and a class added again gets its old code back.
    The active classes are listed in the order they became active (the originals first).

    Parameters
    ----------
    classes : list
        The initial classes, in order.
    """

    def __init__(self, classes: list) -> None:
        self._values: list = []
        self._code: dict[Any, int] = {}
        self._active: list[bool] = []
        self._order: list[int] = []
        self._public: np.ndarray | None = None
        self._index: pd.Index | None = None
        for value in classes:
            self.activate(value)

    def __len__(self) -> int:
        return len(self._values)

    @property
    def values(self) -> list:
        """Every class in table order, active or not."""
        return list(self._values)

    @property
    def active(self) -> list:
        """Active classes in the order they became active (:attr:`DatasetState.classes`)."""
        return [self._values[c] for c in self._order]

    def code(self, value: Any) -> int | None:
        """Table code of an active class, or None."""
        code = self._code.get(native(value))
        return code if code is not None and self._active[code] else None

    def is_active(self, value: Any) -> bool:
        """True when ``value`` is a known, active class."""
        return self.code(value) is not None

    def activate(self, value: Any) -> int:
        """Make ``value`` an active class (appending it if new); return its code."""
        value = native(value)
        code = self._code.get(value)
        if code is None:
            code = len(self._values)
            self._values.append(value)
            self._code[value] = code
            self._active.append(True)
            self._index = None
        elif not self._active[code]:
            self._active[code] = True
        else:
            return code
        self._order.append(code)
        self._public = None
        return code

    def deactivate(self, value: Any) -> None:
        """Mark ``value`` inactive (it keeps its code)."""
        code = self._code[native(value)]
        if self._active[code]:
            self._active[code] = False
            self._order.remove(code)
            self._public = None

    def codes_of(self, values: np.ndarray) -> np.ndarray:
        """Table codes (int32) of ``values``; -1 for missing values and unknown ones."""
        if self._index is None:
            self._index = pd.Index(self._values, tupleize_cols=False)
        values = np.asarray(values)
        if values.dtype.kind not in "iufb" or self._index.dtype.kind not in "iufb":
            values = values.astype(object)
        return self._index.get_indexer(values).astype(np.int32)

    def object_array(self) -> np.ndarray:
        """The table as an object array with NaN appended, so ``arr[code]`` maps -1 to NaN."""
        out = np.empty(len(self._values) + 1, dtype=object)
        out[:-1] = self._values
        out[-1] = np.nan
        return out

    def public_codes(self, codes: np.ndarray) -> np.ndarray:
        """Table codes turned into positions in :attr:`active` (int32, -1 stays -1)."""
        if self._order == list(range(len(self._values))):
            return np.array(codes, dtype=np.int32, copy=True)
        if self._public is None:
            public = np.full(len(self._values) + 1, -1, dtype=np.int32)
            public[self._order] = np.arange(len(self._order), dtype=np.int32)
            self._public = public
        return self._public[codes]


def labels_in_dtype(
    original: pd.api.extensions.ExtensionArray | np.ndarray,
    original_codes: np.ndarray,
    codes: np.ndarray,
    table: ClassTable,
) -> Any:
    """Current labels as an array in the original column's dtype where the values allow it.

    Rows whose code equals the original code keep their original value untouched (so a
    missing value stays exactly as it was); only changed rows are written. A categorical
    column gains the added classes as categories. When a new class does not fit the dtype
    (a text class in an int column), the result falls back to ``object``.

    Parameters
    ----------
    original : array-like
        The label column's values as given (not modified).
    original_codes, codes : numpy.ndarray
        Table codes (int32) of the original and the current labels.
    table : ClassTable

    Returns
    -------
    numpy.ndarray or ExtensionArray
    """
    changed = np.flatnonzero(codes != original_codes)
    dtype = original.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        cats = list(dtype.categories)
        known = set(cats)
        cats += [c for c in table.active if c not in known]
        lookup = pd.Index(cats).get_indexer(np.asarray(table.values, dtype=object))
        lookup = np.append(lookup, -1).astype(np.int32)
        cat_codes = np.asarray(pd.Categorical(original).codes, dtype=np.int32).copy()
        cat_codes[changed] = lookup[codes[changed]]
        return pd.Categorical.from_codes(cat_codes, dtype=pd.CategoricalDtype(cats, dtype.ordered))
    new_codes = codes[changed]
    values = table.object_array()
    if isinstance(original, np.ndarray) and dtype.kind != "O":
        used = np.flatnonzero(np.bincount(new_codes, minlength=len(table)))
        lookup = np.zeros(len(table), dtype=dtype)
        try:
            cast = np.asarray([values[c] for c in used], dtype=dtype)
            fits = all(native(a) == b for a, b in zip(cast, (values[c] for c in used), strict=True))
        except (TypeError, ValueError, OverflowError):
            fits = False
        if fits:
            lookup[used] = cast
            out = original.copy()
            out[changed] = lookup[new_codes]
            return out
    elif not isinstance(original, np.ndarray):
        out = original.copy()
        try:
            out[changed] = values[new_codes]
            return out
        except (TypeError, ValueError):
            pass
    out = np.asarray(original, dtype=object).copy()
    out[changed] = values[new_codes]
    return out


def encode_labels(column: pd.Series) -> tuple[Any, ClassTable, np.ndarray]:
    """Encode a label column once: a private copy of its values, the class table, the codes.

    Parameters
    ----------
    column : pandas.Series
        The label column as given (not modified, and later changes to it are not followed).

    Returns
    -------
    values : numpy.ndarray or ExtensionArray
        A copy of the column's values, in its dtype.
    table : ClassTable
        The sorted non-missing classes (plus a categorical's unused categories).
    codes : numpy.ndarray
        int32 codes into ``table`` (-1 = missing), one per row.
    """
    if isinstance(column.dtype, np.dtype):
        values = column.to_numpy(copy=True)
    else:
        values = column.array.copy()
    # factorize once (fast on Arrow strings and categoricals), then map the few uniques
    first_codes, uniques = pd.factorize(column)
    classes = sorted_classes(pd.Series(np.asarray(uniques, dtype=object), dtype=object))
    if isinstance(column.dtype, pd.CategoricalDtype):
        unused = [native(c) for c in column.dtype.categories if native(c) not in classes]
        classes = sorted_classes(pd.Series(classes + unused, dtype=object))
    table = ClassTable(classes)
    lookup = np.append(table.codes_of(np.asarray(uniques, dtype=object)), -1)
    return values, table, lookup[first_codes].astype(np.int32)
