"""Sorted, filtered row order of the grid, kept current as the state changes.

The order of all rows by each sort key is cached (:class:`SortedOrder`) and updated in place
when a command changes a few rows; the filter mask is re-evaluated only at the changed rows.
A page is then a slice of the filtered order: no sort or scan of the whole table per page.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from dcml_widgets.state import Change, DatasetState
from dcml_widgets.views.grid.data import ReportArrays, note_keys
from dcml_widgets.views.grid.filters import GridFilter, filter_mask, parse_filter
from dcml_widgets.views.grid.order import SortedOrder

#: Sort keys besides dataset columns (those are ``"col:<name>"``).
BUILTIN_KEYS = ("score", "id", "given", "label", "suggested", "issues", "status", "note")
#: Orders to drop when a report or the class list changes (scores and class codes move).
_RECODED = ("score", "suggested", "issues", "label", "given")
_AFFECTED = {
    "label": ("label", "status"),
    "excluded": ("status",),
    "reviewed": ("status",),
    "note": ("note",),
}
_MAX_CACHED = 6


class PageIndex:
    """The rows the grid shows, in order: sort key, direction and filter over a state.

    Parameters
    ----------
    state : DatasetState
    columns : list of str
        Dataset columns that may be sorted on (as ``"col:<name>"``).

    Attributes
    ----------
    arrays : ReportArrays
        Scores, suggestions and issue flags of the state's report.
    given : numpy.ndarray
        Original label codes (int32), kept so a page need not copy the whole column.
    """

    def __init__(self, state: DatasetState, columns: list[str]) -> None:
        self._state = state
        self._columns = list(columns)
        self.arrays = ReportArrays.of(state)
        self.given = state.rows.original_codes
        self.sort = "score" if state.report is not None else "id"
        self.ascending = True
        self.filter = GridFilter()
        self._orders: dict[str, SortedOrder] = {}
        self._mask: np.ndarray | None = None
        self._filtered = self._order(self.sort).order

    # ------------------------------------------------------------------ keys and orders
    def check_sort(self, key: Any) -> str:
        """Validate a sort key.

        Raises
        ------
        ValueError
            If ``key`` names neither a grid column nor a shown dataset column.
        """
        if not isinstance(key, str):
            raise TypeError(f"A sort key is a string, got {type(key).__name__}.")
        if key in BUILTIN_KEYS or (key.startswith("col:") and key[4:] in self._columns):
            return key
        raise ValueError(
            f"Cannot sort by {key!r}: use one of {list(BUILTIN_KEYS)} or 'col:<column>' for "
            f"{self._columns[:10]}."
        )

    def _keys(self, key: str) -> np.ndarray:
        state, arrays = self._state, self.arrays
        if key == "score":
            return arrays.score
        if key == "id":
            return state.ids.to_numpy()
        if key == "given":
            return self.given
        if key == "label":
            return state.rows.label_codes
        if key == "suggested":
            return arrays.suggested
        if key == "issues":
            return arrays.issue_count
        if key == "status":
            return state.rows.status_bits()
        if key == "note":
            return note_keys(state)
        return state.frame[key[4:]].to_numpy()

    def _order(self, key: str) -> SortedOrder:
        order = self._orders.pop(key, None)
        if order is None:
            order = SortedOrder(self._keys(key))
        self._orders[key] = order  # most recently used last
        while len(self._orders) > _MAX_CACHED:
            self._orders.pop(next(iter(self._orders)))
        return order

    # ------------------------------------------------------------------ view
    def set_view(self, sort: Any = None, ascending: Any = None, flt: Any = None) -> None:
        """Change sort key, direction and/or filter (``None`` keeps the current one).

        Raises
        ------
        ValueError, TypeError, KeyError
            On an invalid key or filter; nothing changes then.
        """
        sort = self.sort if sort is None else self.check_sort(sort)
        if ascending is not None and not isinstance(ascending, bool):
            raise TypeError("ascending must be true or false.")
        new_filter = self.filter if flt is None else parse_filter(flt, self._state, self.arrays)
        if new_filter != self.filter:
            self._mask = None
        self.sort, self.filter = sort, new_filter
        if ascending is not None:
            self.ascending = ascending
        self._refilter()

    def _refilter(self) -> None:
        order = self._order(self.sort).order
        if self.filter.trivial:
            self._mask = None
            self._filtered = order
            return
        if self._mask is None:
            self._mask = filter_mask(self.filter, self._state, self.arrays)
        self._filtered = order[self._mask[order]]

    def apply(self, change: Change) -> bool:
        """Bring the order up to date after a state event.

        Returns
        -------
        bool
            True when the rows shown may have changed (the grid then bumps its revision).
        """
        field, pos = change.field, np.asarray(change.positions, dtype=np.int64)
        if field == "focus":
            return False
        if field in ("report", "class"):
            self.arrays = ReportArrays.of(self._state)
            self.given = self._state.rows.original_codes
            for key in _RECODED:
                self._orders.pop(key, None)
            try:
                self.filter = parse_filter(self.filter, self._state, self.arrays)
            except (ValueError, KeyError):  # an issue type the new report lacks, a class undone
                self.filter = GridFilter(scope=self.filter.scope)
            self._mask = None
            self._refilter()
            return True
        affected = _AFFECTED.get(field, ())
        for key in affected:
            order = self._orders.get(key)
            if order is None:
                continue
            if key == "label":
                order.update(pos, self._state.rows.codes_at(pos))
            elif key == "status":
                order.update(pos, self._state.rows.status_bits(pos))
            else:
                del self._orders[key]
        stale = self.sort in affected
        if not self.filter.trivial and self.filter.depends_on(field) and self._mask is not None:
            if field == "selection":
                self._mask = None
                stale = True
            else:
                now = filter_mask(self.filter, self._state, self.arrays, pos)
                if (now != self._mask[pos]).any():
                    self._mask[pos] = now
                    stale = True
        if stale:
            self._refilter()
        return True  # rows show labels, status, notes and selection: all may have changed

    # ------------------------------------------------------------------ pages
    @property
    def total(self) -> int:
        """Number of rows that pass the filter."""
        return len(self._filtered)

    def rows(self, start: int, count: int) -> np.ndarray:
        """Row positions (int64) shown at indices ``start .. start + count`` of the grid."""
        ordered = self._filtered if self.ascending else self._filtered[::-1]
        return np.asarray(ordered[start : start + count], dtype=np.int64)

    def index_of(self, position: int) -> int:
        """Index in the grid of the row at ``position``, or -1 when it is filtered out."""
        hits = np.flatnonzero(self._filtered == position)
        if hits.size == 0:
            return -1
        i = int(hits[0])
        return i if self.ascending else self.total - 1 - i
