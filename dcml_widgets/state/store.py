"""Row values: the current label code, flags and note of every row, as edits leave them."""

from __future__ import annotations

import numpy as np


class RowValues:
    """Mutable per-row values of the editable fields, read and written by row position.

    Parameters
    ----------
    codes : numpy.ndarray
        Initial label codes (int32 into the class table, -1 = missing); taken, not copied.

    Attributes
    ----------
    codes : numpy.ndarray
        Current label codes (int32).
    excluded, reviewed : numpy.ndarray
        Flags (bool), one per row.
    notes : dict
        Note text by row position (only rows that have one).
    """

    def __init__(self, codes: np.ndarray) -> None:
        n = len(codes)
        self.codes = codes
        self.excluded = np.zeros(n, dtype=bool)
        self.reviewed = np.zeros(n, dtype=bool)
        self.notes: dict[int, str] = {}

    def get(self, field: str, positions: np.ndarray) -> np.ndarray:
        """Values of ``field`` at ``positions`` (notes: object array, None = no note).

        Raises
        ------
        ValueError
            If ``field`` is not ``label``, ``excluded``, ``reviewed`` or ``note``.
        """
        if field == "label":
            return self.codes[positions]
        if field == "excluded":
            return self.excluded[positions]
        if field == "reviewed":
            return self.reviewed[positions]
        if field == "note":
            return np.array([self.notes.get(p) for p in positions.tolist()], dtype=object)
        raise ValueError(f"unknown field {field!r}")

    def set(self, field: str, positions: np.ndarray, values: np.ndarray) -> None:
        """Write ``values`` of ``field`` at ``positions`` (a None note removes the note)."""
        if field == "label":
            self.codes[positions] = values
        elif field == "excluded":
            self.excluded[positions] = values
        elif field == "reviewed":
            self.reviewed[positions] = values
        elif field == "note":
            for p, text in zip(positions.tolist(), values, strict=True):
                if text is None:
                    self.notes.pop(p, None)
                else:
                    self.notes[p] = text
        else:
            raise ValueError(f"unknown field {field!r}")


def differ(field: str, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Bool mask: where the values ``a`` and ``b`` of ``field`` (aligned) differ."""
    if field == "note":  # None and text compare elementwise only in Python
        return np.array([x != y for x, y in zip(a, b, strict=True)], dtype=bool)
    return a != b
