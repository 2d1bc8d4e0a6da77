"""Confusion counts: a K x K matrix of given label x predicted label, updated row by row.

Pure numpy (no state, no widgets), so the incremental update can be tested against an
independent ``pd.crosstab``.
"""

from __future__ import annotations

import numpy as np


class ConfusionCounts:
    """Counts of rows per (given class, predicted class) cell, plus edited rows per cell.

    A row is counted when it is not excluded, has a given label and has a prediction.
    Cell ``(i, j)`` holds the rows whose current label is class ``i`` and whose out-of-sample
    prediction is class ``j``; "edited" rows are those whose current label differs from the
    original one.

    Parameters
    ----------
    given : numpy.ndarray
        Current label codes per row (int, ``-1`` = missing).
    predicted : numpy.ndarray
        Predicted class codes per row (int, ``-1`` = no prediction).
    excluded : numpy.ndarray
        Bool per row: excluded rows are left out of the counts.
    original : numpy.ndarray
        Original label codes per row (int, ``-1`` = missing).
    n_classes : int
        K, the number of classes codes index.
    """

    def __init__(
        self,
        given: np.ndarray,
        predicted: np.ndarray,
        excluded: np.ndarray,
        original: np.ndarray,
        n_classes: int,
    ) -> None:
        self._given = np.asarray(given, dtype=np.int64).copy()
        self._predicted = np.asarray(predicted, dtype=np.int64).copy()
        self._excluded = np.asarray(excluded, dtype=bool).copy()
        self._original = np.asarray(original, dtype=np.int64).copy()
        n = len(self._given)
        if not (len(self._predicted) == len(self._excluded) == len(self._original) == n):
            raise ValueError("given, predicted, excluded and original must have one entry per row.")
        self._k = int(n_classes)
        for name, codes in (("given", self._given), ("predicted", self._predicted)):
            if codes.size and codes.max() >= self._k:
                raise ValueError(f"{name} codes must be below n_classes={self._k}.")
        cells = self._cells(np.arange(n))
        size = self._k * self._k
        active = cells >= 0
        self._counts = np.bincount(cells[active], minlength=size).astype(np.int64)
        edited = active & (self._given != self._original)
        self._edited = np.bincount(cells[edited], minlength=size).astype(np.int64)
        self._n_excluded, self._n_unlabelled = self._left_out(cells, self._excluded)

    # ------------------------------------------------------------------ reading
    @property
    def n_classes(self) -> int:
        """K, the side of the matrix."""
        return self._k

    @property
    def counts(self) -> np.ndarray:
        """``(K, K)`` int64 counts (rows = given class, columns = predicted class). A copy."""
        return self._counts.reshape(self._k, self._k).copy()

    @property
    def edited(self) -> np.ndarray:
        """``(K, K)`` int64 number of edited rows per cell. A copy."""
        return self._edited.reshape(self._k, self._k).copy()

    @property
    def n_excluded(self) -> int:
        """Rows left out because they are excluded."""
        return self._n_excluded

    @property
    def n_unlabelled(self) -> int:
        """Rows left out (and not excluded) because they have no label or no prediction."""
        return self._n_unlabelled

    @staticmethod
    def _left_out(cells: np.ndarray, excluded: np.ndarray) -> tuple[int, int]:
        """(excluded rows, other uncounted rows) among rows with these cells and flags."""
        n_excluded = int(excluded.sum())
        return n_excluded, int((cells < 0).sum()) - n_excluded

    def _cells(self, positions: np.ndarray) -> np.ndarray:
        """Flat cell index ``i * K + j`` of each row, or ``-1`` when it is not counted."""
        g = self._given[positions]
        p = self._predicted[positions]
        counted = (g >= 0) & (p >= 0) & ~self._excluded[positions]
        return np.where(counted, g * self._k + p, -1)

    def cell_positions(self, row: int | None, col: int | None) -> np.ndarray:
        """Positions (int64, ascending) of the counted rows in cell ``(row, col)``.

        ``row=None`` means every given class (a whole column), ``col=None`` every predicted
        class (a whole row).
        """
        g, p = self._given, self._predicted
        mask = (g >= 0) & (p >= 0) & ~self._excluded
        if row is not None:
            mask &= g == row
        if col is not None:
            mask &= p == col
        return np.flatnonzero(mask).astype(np.int64)

    # ------------------------------------------------------------------ updating
    def update_rows(
        self, positions: np.ndarray, given: np.ndarray, excluded: np.ndarray | None = None
    ) -> np.ndarray:
        """Move the rows at ``positions`` to their new given label / excluded flag.

        Subtracts each row from its old cell and adds it to its new one: O(len(positions)).

        Parameters
        ----------
        positions : numpy.ndarray
            Row positions that may have changed (duplicates are ignored).
        given : numpy.ndarray
            The rows' new label codes, aligned with ``positions``.
        excluded : numpy.ndarray, optional
            The rows' new excluded flags, aligned with ``positions``; None keeps them.

        Returns
        -------
        numpy.ndarray
            Flat indices of the cells whose count or edited count changed.
        """
        pos, first = np.unique(np.asarray(positions, dtype=np.int64), return_index=True)
        if pos.size == 0:
            return np.empty(0, dtype=np.int64)
        new_given = np.asarray(given, dtype=np.int64)[first]
        if new_given.size and new_given.max() >= self._k:
            raise ValueError(f"given codes must be below n_classes={self._k}; grow() first.")
        old_cells = self._cells(pos)
        old_edited = self._given[pos] != self._original[pos]
        self._add(old_cells, old_edited, -1)
        old_left = self._left_out(old_cells, self._excluded[pos])
        self._given[pos] = new_given
        if excluded is not None:
            self._excluded[pos] = np.asarray(excluded, dtype=bool)[first]
        new_cells = self._cells(pos)
        self._add(new_cells, self._given[pos] != self._original[pos], +1)
        new_left = self._left_out(new_cells, self._excluded[pos])
        self._n_excluded += new_left[0] - old_left[0]
        self._n_unlabelled += new_left[1] - old_left[1]
        touched = np.concatenate([old_cells, new_cells])
        return np.unique(touched[touched >= 0])

    def _add(self, cells: np.ndarray, edited: np.ndarray, sign: int) -> None:
        counted = cells >= 0
        np.add.at(self._counts, cells[counted], sign)
        np.add.at(self._edited, cells[counted & edited], sign)

    def grow(self, n_classes: int) -> None:
        """Make room for classes appended at the end (the existing cells keep their counts).

        Raises
        ------
        ValueError
            If ``n_classes`` is smaller than the current K.
        """
        k = int(n_classes)
        if k < self._k:
            raise ValueError(f"Cannot shrink from {self._k} to {k} classes; rebuild instead.")
        if k == self._k:
            return
        for name in ("_counts", "_edited"):
            old = getattr(self, name).reshape(self._k, self._k)
            new = np.zeros((k, k), dtype=np.int64)
            new[: self._k, : self._k] = old
            setattr(self, name, new.ravel())
        self._k = k
