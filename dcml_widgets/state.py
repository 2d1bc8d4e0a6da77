"""DatasetState: the single source of truth for labels, exclusions, reviews, notes, selection."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import traitlets

from dcml_widgets.ids import as_id_list, positions_of, row_ids

FIELDS = ("label", "excluded", "reviewed", "note", "class")
SOURCES = ("user", "suggestion", "bulk", "undo", "redo", "api")


class Change(NamedTuple):
    """One event fired by :class:`DatasetState` per command or view-state change.

    Attributes
    ----------
    field : str
        ``label``, ``excluded``, ``reviewed``, ``note``, ``class`` (logged edits) or
        ``selection``, ``focus``, ``report`` (view state).
    ids : pandas.Index
        The row ids affected (empty for ``class`` and ``report``).
    source : str
        Who caused it: ``user``, ``suggestion``, ``bulk``, ``undo``, ``redo``, ``api``,
        or ``view`` for view state.
    positions : numpy.ndarray
        Row positions (int64) of ``ids``, so views can update incrementally.
    """

    field: str
    ids: pd.Index
    source: str
    positions: np.ndarray


@dataclass(frozen=True)
class EditGroup:
    """One command in the append-only log: the same field changed on one or more rows.

    Attributes
    ----------
    group : int
        Group number (0, 1, ...), one per command and one undo step.
    seq : int
        Sequence number of the group's first row entry.
    time : float
        Unix time of the command.
    field : str
        One of :data:`FIELDS`.
    positions : numpy.ndarray
        Row positions changed (int64); empty for ``class``.
    old, new : numpy.ndarray
        Values before and after, aligned with ``positions`` (for ``class``: one entry).
    source : str
        One of :data:`SOURCES`.
    reason : str or None
        Why, as the user said.
    undoes : int or None
        For ``undo``/``redo`` entries, the group they compensate or re-apply.
    """

    group: int
    seq: int
    time: float
    field: str
    positions: np.ndarray
    old: np.ndarray
    new: np.ndarray
    source: str
    reason: str | None = None
    undoes: int | None = None

    @property
    def n_entries(self) -> int:
        """Number of row entries this group adds to :attr:`DatasetState.edits`."""
        return max(len(self.positions), 1) if self.field == "class" else len(self.positions)


def _native(value: Any) -> Any:
    """Python scalar for a numpy scalar, so labels compare and serialise predictably."""
    return value.item() if isinstance(value, np.generic) else value


def _is_missing(value: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


class DatasetState(traitlets.HasTraits):
    """The only object that changes labels; views observe it and send it commands.

    Parameters
    ----------
    df : pandas.DataFrame
        The raw data. It is never modified; :meth:`to_dataframe` returns a cleaned copy.
    label : str
        Name of the label column.
    id_column : str, optional
        Column holding unique row ids; by default the DataFrame's index is used.
    journal : str or Path, optional
        JSON-lines file every command is appended to (flushed and fsynced before the command
        returns). An existing journal for the same data is resumed.
    report : AuditReport, optional
        The analysis the views show and :meth:`accept_suggestion` draws on.

    Notes
    -----
    Every command takes one id or many, is one ``group`` in the log and one undo step, and
    fires one :class:`Change` event. A refused command raises and changes nothing.
    """

    version = traitlets.Int(0, help="Increments on every change; observe it to re-render.")
    focus = traitlets.Any(None, allow_none=True, help="The row id the views point at, or None.")

    def __init__(
        self,
        df: pd.DataFrame,
        label: str,
        *,
        id_column: str | None = None,
        journal: Any = None,
        report: Any = None,
    ) -> None:
        super().__init__()
        if not isinstance(df, pd.DataFrame):
            raise TypeError(f"DatasetState needs a pandas DataFrame, got {type(df).__name__}.")
        if label not in df.columns:
            raise KeyError(
                f"Label column {label!r} is not in the DataFrame; columns are "
                f"{list(df.columns)[:10]}. Pass label= naming the column that holds the labels."
            )
        if len(df) == 0:
            raise ValueError("The DataFrame is empty: there is nothing to review.")
        self._lock = threading.RLock()
        self._frame = df
        self._label = label
        self._id_column = id_column
        self._ids = row_ids(df, id_column)
        original = df[label]
        self._label_dtype = original.dtype
        present = original.dropna()
        classes = pd.unique(present.to_numpy())
        try:
            classes = np.sort(classes)
        except TypeError:
            classes = np.array(sorted(classes, key=str), dtype=object)
        self._classes: list = [_native(c) for c in classes]
        self._class_code = {c: i for i, c in enumerate(self._classes)}
        codes = pd.Categorical(original.to_numpy(), categories=pd.Index(classes)).codes
        self._original_codes = np.asarray(codes, dtype=np.int32)
        self._codes = self._original_codes.copy()
        n = len(df)
        self._excluded = np.zeros(n, dtype=bool)
        self._reviewed = np.zeros(n, dtype=bool)
        self._notes: dict[int, str] = {}
        self._log: list[EditGroup] = []
        self._n_entries = 0
        self._undo_stack: list[int] = []
        self._redo_stack: list[int] = []
        self._listeners: list[Callable[[Change], None]] = []
        self._selection = np.empty(0, dtype=np.int64)
        self._report = None
        self._journal = None
        self.resumed_edits = 0
        if report is not None:
            self.set_report(report)
        if journal is not None:
            from dcml_widgets.journal import Journal

            self._journal = Journal.open(journal, self)

    # ------------------------------------------------------------------ read-only views
    @property
    def frame(self) -> pd.DataFrame:
        """The raw DataFrame as given (do not modify it)."""
        return self._frame

    @property
    def label(self) -> str:
        """Name of the label column."""
        return self._label

    @property
    def id_column(self) -> str | None:
        """Column holding the row ids, or None when the index is used."""
        return self._id_column

    @property
    def ids(self) -> pd.Index:
        """Row ids in row order."""
        return self._ids

    @property
    def n_rows(self) -> int:
        """Number of rows."""
        return len(self._ids)

    @property
    def classes(self) -> list:
        """Known classes: the original ones (sorted) then those added with :meth:`add_class`."""
        return list(self._classes)

    @property
    def label_codes(self) -> np.ndarray:
        """Current labels as int32 positions into :attr:`classes` (-1 = missing). A copy."""
        return self._codes.copy()

    @property
    def original_codes(self) -> np.ndarray:
        """Original labels as int32 positions into :attr:`classes` (-1 = missing). A copy."""
        return self._original_codes.copy()

    def _labels_from_codes(self, codes: np.ndarray) -> pd.Series:
        values = np.empty(len(codes), dtype=object)
        known = codes >= 0
        values[known] = np.asarray(self._classes, dtype=object)[codes[known]]
        values[~known] = np.nan
        series = pd.Series(values, index=self._ids, name=self._label)
        dtype = self._label_dtype
        if isinstance(dtype, pd.CategoricalDtype):
            cats = list(dtype.categories) + [c for c in self._classes if c not in dtype.categories]
            return series.astype(pd.CategoricalDtype(cats, ordered=dtype.ordered))
        if dtype != object and known.all():
            try:
                return series.astype(dtype)
            except (TypeError, ValueError):
                return series.infer_objects()
        return series.infer_objects() if known.all() else series

    @property
    def labels(self) -> pd.Series:
        """Current labels (index = row ids)."""
        return self._labels_from_codes(self._codes)

    @property
    def original_labels(self) -> pd.Series:
        """Labels as given (index = row ids)."""
        return self._labels_from_codes(self._original_codes)

    @property
    def excluded(self) -> pd.Series:
        """True where a row is excluded (flagged, never deleted)."""
        return pd.Series(self._excluded.copy(), index=self._ids, name="excluded")

    @property
    def reviewed(self) -> pd.Series:
        """True where a row was marked reviewed."""
        return pd.Series(self._reviewed.copy(), index=self._ids, name="reviewed")

    @property
    def edited(self) -> pd.Series:
        """True where the current label differs from the original one."""
        return pd.Series(self._codes != self._original_codes, index=self._ids, name="edited")

    @property
    def notes(self) -> pd.Series:
        """Notes by row id (only rows that have one)."""
        pos = np.fromiter(self._notes, dtype=np.int64, count=len(self._notes))
        return pd.Series(list(self._notes.values()), index=self._ids[pos], name="note", dtype=object)

    @property
    def excluded_mask(self) -> np.ndarray:
        """Excluded flags as a bool array in row order (a copy)."""
        return self._excluded.copy()

    @property
    def reviewed_mask(self) -> np.ndarray:
        """Reviewed flags as a bool array in row order (a copy)."""
        return self._reviewed.copy()

    def note_at(self, position: int) -> str | None:
        """The note of the row at ``position``, or None."""
        return self._notes.get(int(position))

    @property
    def report(self) -> Any:
        """The :class:`~dcml_widgets.AuditReport` the views show, or None."""
        return self._report

    @property
    def journal_path(self) -> Any:
        """Path of the live journal, or None when edits live in memory only."""
        return None if self._journal is None else self._journal.path

    @property
    def log(self) -> tuple[EditGroup, ...]:
        """The append-only log, one :class:`EditGroup` per command."""
        return tuple(self._log)

    @property
    def can_undo(self) -> bool:
        """True when :meth:`undo` has something to undo."""
        return bool(self._undo_stack)

    @property
    def can_redo(self) -> bool:
        """True when :meth:`redo` has something to redo."""
        return bool(self._redo_stack)

    def positions(self, ids: Any) -> np.ndarray:
        """Row positions (int64) of one id or many.

        Raises
        ------
        KeyError
            If any id is not a row of this dataset.
        """
        return positions_of(self._ids, ids)

    # ------------------------------------------------------------------ events
    def on_change(self, callback: Callable[[Change], None]) -> Callable[[], None]:
        """Call ``callback(change)`` after every command and view-state change.

        Parameters
        ----------
        callback : callable
            Receives a :class:`Change` with ``field`` and ``ids``.

        Returns
        -------
        callable
            Call it to unsubscribe.
        """
        self._listeners.append(callback)

        def unsubscribe() -> None:
            if callback in self._listeners:
                self._listeners.remove(callback)

        return unsubscribe

    def _emit(self, field: str, positions: np.ndarray, source: str) -> None:
        change = Change(field, self._ids[positions], source, positions)
        self.version += 1
        for callback in list(self._listeners):
            callback(change)

    # ------------------------------------------------------------------ view state
    @property
    def selection(self) -> pd.Index:
        """Selected row ids (view state: not logged, not undoable)."""
        return self._ids[self._selection]

    @property
    def selection_positions(self) -> np.ndarray:
        """Selected rows as int64 positions (a copy)."""
        return self._selection.copy()

    def select(self, ids: Any) -> None:
        """Make ``ids`` the selection (an empty list clears it).

        Raises
        ------
        KeyError
            If any id is unknown; the selection is then unchanged.
        """
        self.select_positions(self.positions(ids))

    def select_positions(self, positions: np.ndarray) -> None:
        """Make the rows at ``positions`` the selection (for views that work in positions).

        Raises
        ------
        ValueError
            If a position is out of range; the selection is then unchanged.
        """
        pos = np.asarray(positions, dtype=np.int64).ravel()
        if pos.size and (pos.min() < 0 or pos.max() >= self.n_rows):
            raise ValueError(f"Row positions must lie in [0, {self.n_rows}).")
        pos = np.unique(pos)
        with self._lock:
            if np.array_equal(pos, self._selection):
                return
            self._selection = pos
        self._emit("selection", pos, "view")

    @traitlets.validate("focus")
    def _validate_focus(self, proposal: dict) -> Any:
        value = proposal["value"]
        if value is None:
            return None
        return self._ids[self.positions(value)[0]]

    @traitlets.observe("focus")
    def _focus_changed(self, change: dict) -> None:
        pos = np.empty(0, dtype=np.int64) if change["new"] is None else self.positions(change["new"])
        self._emit("focus", pos, "view")

    def set_report(self, report: Any) -> None:
        """Show ``report`` in every view (for example when UMAP replaces the first layout).

        Raises
        ------
        ValueError
            If the report was computed on other rows.
        """
        if report is not None:
            if len(report.ids) != self.n_rows or not report.ids.equals(self._ids):
                raise ValueError(
                    "This report was computed on other rows than the state holds; analyse "
                    "this DataFrame (dw.analyze(df, ...)) and pass that report."
                )
            for cls in report.classes:
                cls = _native(cls)
                if cls not in self._class_code:
                    self._class_code[cls] = len(self._classes)
                    self._classes.append(cls)
        with self._lock:
            self._report = report
        self._emit("report", np.empty(0, dtype=np.int64), "api")

    # ------------------------------------------------------------------ commands
    def _class_of(self, value: Any) -> int:
        value = _native(value)
        code = self._class_code.get(value)
        if code is None:
            raise ValueError(
                f"{value!r} is not a known class ({self._classes[:20]}); "
                "call state.add_class(name) first to introduce a new class."
            )
        return code

    def _check_source(self, source: str) -> str:
        if source not in SOURCES:
            raise ValueError(f"source must be one of {SOURCES}, got {source!r}.")
        return source

    def _commit(
        self,
        field: str,
        positions: np.ndarray,
        old: np.ndarray,
        new: np.ndarray,
        source: str,
        reason: str | None,
        undoes: int | None = None,
    ) -> EditGroup:
        """Append one group, journal it, apply it, and fire one event."""
        group = EditGroup(
            group=len(self._log),
            seq=self._n_entries,
            time=time.time(),
            field=field,
            positions=positions,
            old=old,
            new=new,
            source=source,
            reason=reason,
            undoes=undoes,
        )
        if self._journal is not None:
            self._journal.append(group, self)  # durable before the change is visible
        self._apply(group)
        self._log.append(group)
        self._n_entries += group.n_entries
        self._emit(field, positions if field != "class" else np.empty(0, np.int64), source)
        return group

    def _apply(self, group: EditGroup) -> None:
        pos, values = group.positions, group.new
        if group.field == "label":
            self._codes[pos] = values
        elif group.field == "excluded":
            self._excluded[pos] = values
        elif group.field == "reviewed":
            self._reviewed[pos] = values
        elif group.field == "note":
            for p, text in zip(pos.tolist(), values, strict=True):
                if text is None:
                    self._notes.pop(p, None)
                else:
                    self._notes[p] = text
        elif group.field == "class":
            if values[0] is None:  # undoing add_class
                self._classes.remove(group.old[0])
                del self._class_code[group.old[0]]
            else:
                self._class_code[values[0]] = len(self._classes)
                self._classes.append(values[0])

    def _command(
        self,
        field: str,
        positions: np.ndarray,
        new: np.ndarray,
        source: str,
        reason: str | None,
    ) -> EditGroup | None:
        """Log the rows whose value actually changes as one undoable group."""
        current = self._current(field, positions)
        changed = current != new if field != "note" else np.array(
            [a != b for a, b in zip(current, new, strict=True)], dtype=bool
        )
        if not changed.any():
            return None
        group = self._commit(
            field, positions[changed], current[changed], new[changed], source, reason
        )
        self._undo_stack.append(group.group)
        self._redo_stack.clear()
        return group

    def _current(self, field: str, positions: np.ndarray) -> np.ndarray:
        if field == "label":
            return self._codes[positions].copy()
        if field == "excluded":
            return self._excluded[positions].copy()
        if field == "reviewed":
            return self._reviewed[positions].copy()
        if field == "note":
            return np.array([self._notes.get(p) for p in positions.tolist()], dtype=object)
        raise ValueError(f"unknown field {field!r}")

    def relabel(
        self, ids: Any, new_label: Any, *, reason: str | None = None, source: str = "api"
    ) -> None:
        """Give one row or many the label ``new_label`` (one undo step).

        Rows that already have it are left out of the log; if none changes, nothing is logged.

        Parameters
        ----------
        ids : id or list of ids
        new_label : object
            A known class (see :attr:`classes` and :meth:`add_class`).
        reason : str, optional
            Why, kept in the log.
        source : str
            Who issued it (``api`` from Python, ``user``/``bulk`` from a view).

        Raises
        ------
        KeyError
            Unknown id.
        ValueError
            Unknown class.
        """
        source = self._check_source(source)
        with self._lock:
            code = self._class_of(new_label)
            pos = self.positions(ids)
            self._command("label", pos, np.full(len(pos), code, np.int32), source, reason)

    def accept_suggestion(self, ids: Any, *, reason: str | None = None, source: str = "suggestion"):
        """Relabel rows to the report's ``suggested_label`` (rows without one are left alone).

        Raises
        ------
        ValueError
            If there is no report, or none of the rows has a suggestion.
        KeyError
            Unknown id.
        """
        source = self._check_source(source)
        with self._lock:
            if self._report is None:
                raise ValueError("There is no analysis report yet, so there are no suggestions.")
            pos = self.positions(ids)
            suggested = self._report.issues["suggested_label"].to_numpy()[pos]
            has = np.array([not _is_missing(s) for s in suggested], dtype=bool)
            if not has.any():
                raise ValueError(
                    "None of these rows has a suggested label (the analysis did not find their "
                    "labels suspect); use state.relabel(ids, label) instead."
                )
            codes = np.array([self._class_of(s) for s in suggested[has]], dtype=np.int32)
            self._command("label", pos[has], codes, source, reason)

    def revert(self, ids: Any, *, source: str = "api") -> None:
        """Put the labels of ``ids`` back to the original ones (one undo step)."""
        source = self._check_source(source)
        with self._lock:
            pos = self.positions(ids)
            self._command("label", pos, self._original_codes[pos], source, None)

    def exclude(self, ids: Any, *, reason: str | None = None, source: str = "api") -> None:
        """Flag rows as excluded: left out of training and of :meth:`to_dataframe`."""
        source = self._check_source(source)
        with self._lock:
            pos = self.positions(ids)
            self._command("excluded", pos, np.ones(len(pos), bool), source, reason)

    def restore(self, ids: Any, *, source: str = "api") -> None:
        """Un-exclude rows."""
        source = self._check_source(source)
        with self._lock:
            pos = self.positions(ids)
            self._command("excluded", pos, np.zeros(len(pos), bool), source, None)

    def mark_reviewed(self, ids: Any, *, source: str = "api") -> None:
        """Mark rows as reviewed."""
        source = self._check_source(source)
        with self._lock:
            pos = self.positions(ids)
            self._command("reviewed", pos, np.ones(len(pos), bool), source, None)

    def note(self, id: Any, text: str, *, source: str = "api") -> None:
        """Attach a note to one row (an empty text removes it).

        Raises
        ------
        TypeError
            If ``text`` is not a string.
        """
        source = self._check_source(source)
        if not isinstance(text, str):
            raise TypeError(f"A note is text (str), got {type(text).__name__}.")
        with self._lock:
            if len(as_id_list(id)) != 1:
                raise ValueError("state.note() takes one row id.")
            pos = self.positions(id)
            new = np.array([text if text else None], dtype=object)
            self._command("note", pos, new, source, None)

    def add_class(self, name: Any, *, source: str = "api") -> None:
        """Introduce a new class that rows can then be relabelled to.

        Raises
        ------
        ValueError
            If the class exists already or ``name`` is missing.
        """
        source = self._check_source(source)
        name = _native(name)
        if _is_missing(name) or name == "":
            raise ValueError("A class needs a name.")
        with self._lock:
            if name in self._class_code:
                raise ValueError(f"Class {name!r} exists already.")
            group = self._commit(
                "class",
                np.empty(0, np.int64),
                np.array([None], dtype=object),
                np.array([name], dtype=object),
                source,
                None,
            )
            self._undo_stack.append(group.group)
            self._redo_stack.clear()

    def undo(self) -> bool:
        """Undo the last command by appending compensating entries (source ``undo``).

        Returns
        -------
        bool
            False when there was nothing to undo.
        """
        with self._lock:
            if not self._undo_stack:
                return False
            target = self._log[self._undo_stack[-1]]
            if target.field == "class":
                name = target.new[0]
                if (self._codes == self._class_code[name]).any():
                    raise ValueError(
                        f"Cannot undo adding class {name!r}: rows still carry it. Relabel them "
                        "first."
                    )
            self._undo_stack.pop()
            self._commit(
                target.field, target.positions, target.new, target.old, "undo", None,
                undoes=target.group,
            )
            self._redo_stack.append(target.group)
            return True

    def redo(self) -> bool:
        """Re-apply the last undone command (source ``redo``).

        Returns
        -------
        bool
            False when there was nothing to redo.
        """
        with self._lock:
            if not self._redo_stack:
                return False
            target = self._log[self._redo_stack.pop()]
            group = self._commit(
                target.field, target.positions, target.old, target.new, "redo", None,
                undoes=target.group,
            )
            self._undo_stack.append(group.group)
            return True

    # ------------------------------------------------------------------ outputs
    @property
    def edits(self) -> pd.DataFrame:
        """The log as a DataFrame, one row per row changed.

        Columns: ``seq, group, time, row, field, old, new, source, reason``.
        """
        columns = ["seq", "group", "time", "row", "field", "old", "new", "source", "reason"]
        parts = []
        classes = np.asarray(self._classes + [np.nan], dtype=object)
        for g in self._log:
            n = g.n_entries
            if g.field == "class":
                rows = np.array([None], dtype=object)
                old, new = g.old, g.new
            else:
                rows = self._ids[g.positions].to_numpy(dtype=object)
                old, new = g.old, g.new
                if g.field == "label":
                    old, new = classes[old], classes[new]
            parts.append(
                pd.DataFrame(
                    {
                        "seq": np.arange(g.seq, g.seq + n),
                        "group": g.group,
                        "time": pd.to_datetime(g.time, unit="s"),
                        "row": rows,
                        "field": g.field,
                        "old": np.asarray(old, dtype=object),
                        "new": np.asarray(new, dtype=object),
                        "source": g.source,
                        "reason": g.reason,
                    }
                )
            )
        if not parts:
            return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
        return pd.concat(parts, ignore_index=True)[columns]

    def to_dataframe(self) -> pd.DataFrame:
        """A cleaned copy: current labels applied, excluded rows dropped, dtypes kept."""
        out = self._frame.copy()
        out[self._label] = pd.Series(self.labels.to_numpy(), index=out.index).astype(
            self.labels.dtype
        )
        return out.loc[~self._excluded] if self._excluded.any() else out

    def save(self, path: Any) -> Any:
        """Write a complete journal of every edit so far to ``path`` (live journaling unchanged).

        Returns
        -------
        Path
        """
        from dcml_widgets.journal import write_journal_copy

        return write_journal_copy(self, path)

    def close(self) -> None:
        """Release the journal file lock (the state stays usable in memory)."""
        if self._journal is not None:
            self._journal.close()
            self._journal = None

    def __repr__(self) -> str:
        where = f"journal={self.journal_path}" if self._journal is not None else "in memory only"
        return (
            f"<DatasetState {self.n_rows} rows, {len(self._classes)} classes, "
            f"{len(self._log)} edit groups, {where}>"
        )
