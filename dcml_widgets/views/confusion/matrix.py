"""ConfusionMatrix: given label x out-of-sample predicted label, live under every edit."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import pandas as pd
import traitlets

from dcml_widgets.state import Change, DatasetState
from dcml_widgets.values import native
from dcml_widgets.views._base import StateView
from dcml_widgets.views.confusion.counts import ConfusionCounts


def _index(content: dict, key: str, k: int) -> int:
    """A class index from a browser message, validated against K."""
    value = content.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{key} must be an integer class index, got {value!r}.")
    if not 0 <= value < k:
        raise ValueError(f"{key}={value} is out of range: there are {k} classes.")
    return value


class ConfusionMatrix(StateView):
    """Given label (rows) x out-of-sample predicted label (columns) of a :class:`DatasetState`.

    "Given" is the state's *current* label, so relabels, exclusions and undo move rows between
    cells at once; "predicted" is ``state.report.predicted`` (it changes only when the report
    is replaced). Excluded rows, and rows without a label, are left out of the counts: they
    are not in the training data either. Clicking a cell makes its rows the selection.

    Parameters
    ----------
    state : DatasetState
        The state to show; it needs a report (``state.set_report``) before counts appear.
    normalize : bool
        Start in the row-normalised view (each row shows the share of its given class).
    sort_by_mass : bool
        Start with classes ordered by confusion mass (most confused first).

    Examples
    --------
    >>> cm = dw.ConfusionMatrix(state)   # doctest: +SKIP
    >>> cm.select_cell("cat", "dog")     # doctest: +SKIP
    """

    _bundle = "confusion"
    _messages: ClassVar[dict[str, str]] = {
        "select_cell": "_msg_select_cell",
        "select_class": "_msg_select_class",
    }
    """Browser message types this view accepts, and the method that handles each."""
    _browser_traits = frozenset({"normalize", "sort_by_mass"})
    """Traits the browser may change (the user's choice in the view's toolbar)."""

    classes: traitlets.List[Any] = traitlets.List(
        traitlets.Unicode(), help="Class names as text, in state.classes order (rows and columns)."
    ).tag(sync=True)
    counts = traitlets.Bytes(
        b"", help="K x K uint32 little-endian counts, row-major (row = given, col = predicted)."
    ).tag(sync=True)
    edited_counts = traitlets.Bytes(
        b"", help="K x K uint32: rows per cell whose label differs from the original one."
    ).tag(sync=True)
    revision = traitlets.Int(
        0, help="Bumped whenever the counts or classes change; stale browser messages are refused."
    ).tag(sync=True)
    has_report = traitlets.Bool(False, help="False until the state has a report.").tag(sync=True)
    n_excluded = traitlets.Int(0, help="Excluded rows, left out of the counts.").tag(sync=True)
    n_unlabelled = traitlets.Int(
        0, help="Rows left out because they have no label or no prediction."
    ).tag(sync=True)
    selected_cells: traitlets.List[Any] = traitlets.List(
        help="Cells the current selection was made from, as [row, col] class indices "
        "(-1 = a whole column or row); cleared when the selection changes elsewhere."
    ).tag(sync=True)
    normalize = traitlets.Bool(False, help="Show row-normalised shares instead of counts.").tag(
        sync=True
    )
    sort_by_mass = traitlets.Bool(
        False, help="Order classes by confusion mass (off-diagonal rows), most confused first."
    ).tag(sync=True)

    def __init__(self, state: DatasetState, **kwargs: Any) -> None:
        self._counter: ConfusionCounts | None = None
        self._own_selection: np.ndarray | None = None
        super().__init__(state, **kwargs)
        self._rebuild()

    # ------------------------------------------------------------------ Python API
    @property
    def matrix(self) -> pd.DataFrame:
        """Current counts as a DataFrame (index = given class, columns = predicted class)."""
        k = len(self.state.classes)
        values = self._counter.counts if self._counter is not None else np.zeros((k, k), int)
        names = pd.Index(self.state.classes)
        return pd.DataFrame(
            values,
            index=names.rename("given"),
            columns=names.rename("predicted"),
        )

    @property
    def edited_matrix(self) -> pd.DataFrame:
        """Edited rows per cell as a DataFrame shaped like :attr:`matrix`."""
        k = len(self.state.classes)
        values = self._counter.edited if self._counter is not None else np.zeros((k, k), int)
        names = pd.Index(self.state.classes)
        return pd.DataFrame(values, index=names.rename("given"), columns=names.rename("predicted"))

    def cell_ids(self, given: Any, predicted: Any) -> pd.Index:
        """Row ids in cell (``given``, ``predicted``); None for either means a whole row/column.

        Raises
        ------
        ValueError
            If a class is unknown or there is no report yet.
        """
        row = None if given is None else self._code(given)
        col = None if predicted is None else self._code(predicted)
        return self.state.ids[self._positions(row, col)]

    def select_cell(self, given: Any, predicted: Any, *, add: bool = False) -> None:
        """Make the rows of cell (``given``, ``predicted``) the selection (``add`` unions).

        ``given=None`` selects a whole predicted column, ``predicted=None`` a whole given row.
        """
        row = None if given is None else self._code(given)
        col = None if predicted is None else self._code(predicted)
        self._select(row, col, add)

    def _code(self, value: Any) -> int:
        classes = self.state.classes
        value = native(value)
        if value not in classes:
            raise ValueError(f"{value!r} is not a class; classes are {classes[:20]}.")
        return classes.index(value)

    # ------------------------------------------------------------------ browser messages
    def _check_revision(self, content: dict) -> None:
        revision = content.get("revision")
        if isinstance(revision, bool) or not isinstance(revision, int):
            raise TypeError(f"revision must be an integer, got {revision!r}.")
        if revision != self.revision:
            raise ValueError(
                f"the matrix changed since that click (revision {revision}, now "
                f"{self.revision}); click again on the updated matrix."
            )

    def _check_add(self, content: dict) -> bool:
        add = content.get("add", False)
        if not isinstance(add, bool):
            raise TypeError(f"add must be true or false, got {add!r}.")
        return add

    def _msg_select_cell(self, content: dict, buffers: list) -> None:
        k = len(self.state.classes)
        row, col = _index(content, "row", k), _index(content, "col", k)
        add = self._check_add(content)
        self._check_revision(content)
        self._select(row, col, add)

    def _msg_select_class(self, content: dict, buffers: list) -> None:
        axis = content.get("axis")
        if axis not in ("given", "predicted"):
            raise ValueError(f"axis must be 'given' or 'predicted', got {axis!r}.")
        index = _index(content, "index", len(self.state.classes))
        add = self._check_add(content)
        self._check_revision(content)
        if axis == "given":
            self._select(index, None, add)
        else:
            self._select(None, index, add)

    def _positions(self, row: int | None, col: int | None) -> np.ndarray:
        if self._counter is None:
            raise ValueError(
                "There is no analysis report yet, so there are no predictions to select by."
            )
        return self._counter.cell_positions(row, col)

    def _select(self, row: int | None, col: int | None, add: bool) -> None:
        positions = self._positions(row, col)
        cell = [-1 if row is None else row, -1 if col is None else col]
        if add:
            positions = np.union1d(self.state.rows.selection, positions)
            cells = [c for c in self.selected_cells if c != cell] + [cell]
        else:
            cells = [cell]
        self._own_selection = np.unique(positions)
        self.state.select(positions=positions)
        self.selected_cells = cells

    # ------------------------------------------------------------------ state events
    def _state_changed(self, change: Change) -> None:
        field = change.field
        if field == "selection":
            mine = self._own_selection
            if mine is None or not np.array_equal(mine, self.state.rows.selection):
                self._own_selection = None
                self.selected_cells = []
        elif field in ("label", "excluded"):
            if self._counter is None:
                self._publish_totals()
                return
            pos = change.positions
            # Read only the rows the event names (codes_at, not a copy of every label); a
            # label event leaves the excluded flags as they were.
            excluded = None if field == "label" else self.state.rows.excluded_at(pos)
            self._counter.update_rows(pos, self.state.rows.codes_at(pos), excluded)
            self._publish()
        elif field == "class":
            self._on_classes()
        elif field == "report":
            self._rebuild()

    def _on_classes(self) -> None:
        classes = self.state.classes
        names = [str(c) for c in classes]
        counter = self._counter
        if (
            counter is not None
            and len(names) > counter.n_classes
            and names[: counter.n_classes] == list(self.classes)
        ):
            counter.grow(len(names))  # an appended class: nobody moves, the matrix grows
            self._publish()
        else:
            self._rebuild()

    def _rebuild(self) -> None:
        """Recount everything (new view, replaced report, or classes removed)."""
        state = self.state
        report = state.report
        if report is None:
            self._counter = None
        else:
            predicted = report.predicted.reindex(state.ids).to_numpy(dtype=object)
            pred_codes = pd.Index(state.classes, dtype=object).get_indexer(predicted)
            self._counter = ConfusionCounts(
                state.rows.label_codes,
                pred_codes,
                state.rows.excluded_mask,
                state.rows.original_codes,
                len(state.classes),
            )
        self._own_selection = None  # cells hold other rows now: the highlight would mislead
        self.selected_cells = []
        self._publish(new_rows=True)

    def _publish_totals(self) -> None:
        self.n_excluded = int(self.state.rows.excluded_mask.sum())
        self.n_unlabelled = int(
            (self.state.rows.label_codes < 0)[~self.state.rows.excluded_mask].sum()
        )

    def _publish(self, *, new_rows: bool = False) -> None:
        """Send the whole K x K buffers (K <= a few hundred: at most a few hundred KB).

        ``new_rows`` marks a recount where cells may hold other rows even if no count moved
        (a replaced report), so clicks made before it are stale.
        """
        names = [str(c) for c in self.state.classes]
        counter = self._counter
        k = len(names)
        if counter is None:
            counts = edited = np.zeros(k * k, dtype="<u4").tobytes()
        else:
            counts = counter.counts.astype("<u4").tobytes()
            edited = counter.edited.astype("<u4").tobytes()
        # A click is stale only if what it was aimed at moved: classes, counts or the report.
        moved = new_rows or (names, counts, counter is not None) != (
            self.classes,
            self.counts,
            self.has_report,
        )
        with self.hold_sync():
            self.classes = names
            self.has_report = counter is not None
            self.counts = counts
            self.edited_counts = edited
            if counter is None:
                self._publish_totals()
            else:
                self.n_excluded = counter.n_excluded
                self.n_unlabelled = counter.n_unlabelled
            if moved:
                self.revision += 1
