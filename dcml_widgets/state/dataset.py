"""DatasetState: the single source of truth for labels, exclusions, reviews, notes, selection."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import traitlets

from dcml_widgets.state.classes import encode_labels, is_missing, labels_in_dtype, native
from dcml_widgets.state.events import Change, Listeners
from dcml_widgets.state.ids import as_id_list, positions_of, row_ids
from dcml_widgets.state.log import EDIT_COLUMNS, FIELDS, SOURCES, EditGroup, EditLog
from dcml_widgets.state.store import RowValues, differ

__all__ = ["EDIT_COLUMNS", "FIELDS", "SOURCES", "Change", "DatasetState", "EditGroup"]

_NO_ROWS = np.empty(0, dtype=np.int64)


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
        JSON-lines file every command is appended to (written, flushed and fsynced before the
        command returns). An existing journal for the same data is resumed (see
        :attr:`resumed_edits`); one for other data is refused. The file is locked while this
        state holds it (:meth:`close` releases it).
    report : AuditReport, optional
        The analysis the views show and :meth:`accept_suggestion` draws on.

    Attributes
    ----------
    resumed_edits : int
        Edit groups (commands, undos and redos) replayed from an existing journal at start.
    journal_torn : int
        Bytes of a torn last journal line (left by a crash) that were ignored; 0 if none.

    Raises
    ------
    TypeError
        If ``df`` is not a DataFrame.
    KeyError
        If ``label`` (or ``id_column``) is not a column.
    ValueError
        If the frame is empty, or the row ids are not unique ints or strings.

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
            raise ValueError(
                "The DataFrame is empty: there is nothing to review. Pass a frame with rows."
            )
        if id_column is not None and id_column == label:
            raise ValueError("id_column= and label= name the same column; ids must be their own.")
        self._lock = threading.RLock()
        self._frame = df
        self._label = label
        self._id_column = id_column
        self._ids = row_ids(df, id_column)
        column = df[label]
        if isinstance(column, pd.DataFrame):
            raise ValueError(f"Label column {label!r} appears more than once; rename one.")
        self._original_values, self._table, self._original_codes = encode_labels(column)
        self._rows = RowValues(self._original_codes.copy())
        self._log = EditLog()
        self._listeners = Listeners()
        self._selection = _NO_ROWS
        self._report = None
        self._suggested = np.full(len(df), -1, dtype=np.int32)
        self._journal = None
        self._fingerprint: str | None = None
        self.resumed_edits = 0
        self.journal_torn = 0
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
    def fingerprint(self) -> str:
        """Hash of the row ids and original labels in row order (names ``.dcml/<fp>.jsonl``)."""
        if self._fingerprint is None:
            from dcml_widgets.journal import fingerprint

            self._fingerprint = fingerprint(self._ids, self._original_values)
        return self._fingerprint

    @property
    def classes(self) -> list:
        """Known classes: the original ones (sorted) then those added since, in order."""
        return self._table.active

    @property
    def class_table(self) -> list:
        """Every class ever known, in code order (the codes stored in :attr:`log`)."""
        return self._table.values

    @property
    def label_codes(self) -> np.ndarray:
        """Current labels as int32 positions into :attr:`classes` (-1 = missing). A copy."""
        return self._table.public_codes(self._rows.codes)

    def codes_at(self, positions: np.ndarray) -> np.ndarray:
        """Current labels of the rows at ``positions`` as int32 positions into :attr:`classes`.

        Like ``label_codes[positions]`` without copying the whole column, so a view can
        update the rows an event names in time proportional to them.

        Parameters
        ----------
        positions : array-like of int
            Row positions (for example ``change.positions``).

        Returns
        -------
        numpy.ndarray
            int32 codes aligned with ``positions`` (-1 = missing).
        """
        return self._table.public_codes(self._rows.codes[_as_positions(positions)])

    @property
    def original_codes(self) -> np.ndarray:
        """Original labels as int32 positions into :attr:`classes` (-1 = missing). A copy."""
        return self._table.public_codes(self._original_codes)

    def original_codes_at(self, positions: np.ndarray) -> np.ndarray:
        """Original labels of the rows at ``positions`` as int32 positions into :attr:`classes`.

        Like ``original_codes[positions]`` without copying the whole column.

        Parameters
        ----------
        positions : array-like of int
            Row positions (for example ``change.positions``).

        Returns
        -------
        numpy.ndarray
            int32 codes aligned with ``positions`` (-1 = missing).
        """
        return self._table.public_codes(self._original_codes[_as_positions(positions)])

    @property
    def labels(self) -> pd.Series:
        """Current labels (index = row ids), in the label column's dtype where they fit it."""
        values = labels_in_dtype(
            self._original_values, self._original_codes, self._rows.codes, self._table
        )
        dtype = object if isinstance(values, np.ndarray) and values.dtype == object else None
        return pd.Series(values, index=self._ids, name=self._label, dtype=dtype, copy=False)

    @property
    def original_labels(self) -> pd.Series:
        """Labels as given (index = row ids)."""
        values = self._original_values.copy()
        dtype = object if isinstance(values, np.ndarray) and values.dtype == object else None
        return pd.Series(values, index=self._ids, name=self._label, dtype=dtype)

    @property
    def excluded(self) -> pd.Series:
        """True where a row is excluded (flagged, never deleted)."""
        return pd.Series(self._rows.excluded.copy(), index=self._ids, name="excluded")

    @property
    def reviewed(self) -> pd.Series:
        """True where a row was marked reviewed."""
        return pd.Series(self._rows.reviewed.copy(), index=self._ids, name="reviewed")

    @property
    def edited(self) -> pd.Series:
        """True where the current label differs from the original one."""
        return pd.Series(self._rows.codes != self._original_codes, index=self._ids, name="edited")

    @property
    def notes(self) -> pd.Series:
        """Notes by row id (only rows that have one), in row order."""
        pos = np.sort(np.fromiter(self._rows.notes, dtype=np.int64, count=len(self._rows.notes)))
        texts = [self._rows.notes[p] for p in pos.tolist()]
        return pd.Series(texts, index=self._ids[pos], name="note", dtype=object)

    @property
    def excluded_mask(self) -> np.ndarray:
        """Excluded flags as a bool array in row order (a copy)."""
        return self._rows.excluded.copy()

    @property
    def reviewed_mask(self) -> np.ndarray:
        """Reviewed flags as a bool array in row order (a copy)."""
        return self._rows.reviewed.copy()

    def excluded_at(self, positions: np.ndarray) -> np.ndarray:
        """Excluded flags of the rows at ``positions`` (like ``excluded_mask[positions]``).

        Parameters
        ----------
        positions : array-like of int
            Row positions (for example ``change.positions``).

        Returns
        -------
        numpy.ndarray
            bool flags aligned with ``positions`` (a new array).
        """
        return self._rows.excluded[_as_positions(positions)]

    def reviewed_at(self, positions: np.ndarray) -> np.ndarray:
        """Reviewed flags of the rows at ``positions`` (like ``reviewed_mask[positions]``).

        Parameters
        ----------
        positions : array-like of int
            Row positions (for example ``change.positions``).

        Returns
        -------
        numpy.ndarray
            bool flags aligned with ``positions`` (a new array).
        """
        return self._rows.reviewed[_as_positions(positions)]

    def note_at(self, position: int) -> str | None:
        """The note of the row at ``position``, or None."""
        return self._rows.notes.get(int(position))

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
        return self._log.groups

    @property
    def can_undo(self) -> bool:
        """True when :meth:`undo` has something to undo."""
        return self._log.undo_target is not None

    @property
    def can_redo(self) -> bool:
        """True when :meth:`redo` has something to redo."""
        return self._log.redo_target is not None

    def positions(self, ids: Any) -> np.ndarray:
        """Row positions (int64) of one id or many.

        Raises
        ------
        KeyError
            If any id is not a row of this dataset.
        TypeError
            If a boolean mask is passed instead of ids.
        """
        return positions_of(self._ids, ids)

    # ------------------------------------------------------------------ events
    def on_change(self, callback: Callable[[Change], None]) -> Callable[[], None]:
        """Call ``callback(change)`` after every command and view-state change.

        Parameters
        ----------
        callback : callable
            Receives a :class:`Change` with ``field`` and ``ids``. An exception it raises is
            turned into a warning: the command has happened and the other listeners still run.

        Returns
        -------
        callable
            Call it to unsubscribe.
        """
        return self._listeners.add(callback)

    def _emit(self, field: str, positions: np.ndarray, source: str) -> None:
        self.version += 1
        self._listeners.emit(Change(field, self._ids[positions], source, positions))

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
        if not isinstance(value, (str, int, np.integer)) or isinstance(value, (bool, np.bool_)):
            raise KeyError(f"focus must be one row id (int or str) or None, got {value!r}.")
        return native(self._ids[self.positions(value)[0]])

    @traitlets.observe("focus")
    def _focus_changed(self, change: dict) -> None:
        pos = _NO_ROWS if change["new"] is None else self.positions(change["new"])
        self._emit("focus", pos, "view")

    def set_report(self, report: Any) -> None:
        """Show ``report`` in every view (for example when UMAP replaces the first layout).

        Not logged and not undoable: a report is analysis, not an edit.

        Raises
        ------
        ValueError
            If the report was computed on other rows.
        """
        suggested = np.full(self.n_rows, -1, dtype=np.int32)
        if report is not None:
            if len(report.ids) != self.n_rows or not pd.Index(report.ids).equals(self._ids):
                raise ValueError(
                    "This report was computed on other rows than the state holds; analyse "
                    "this DataFrame (dw.analyze(df, ...)) and pass that report."
                )
            issues = getattr(report, "issues", None)
            values = None
            if issues is not None and "suggested_label" in issues.columns:
                column = issues["suggested_label"]
                if not column.index.equals(self._ids):
                    column = column.reindex(self._ids)
                values = column.to_numpy(dtype=object)
        with self._lock:
            if report is not None:
                for cls in report.classes:
                    if not is_missing(cls) and not self._table.is_active(cls):
                        self._table.activate(cls)
                if values is not None:
                    suggested = self._table.codes_of(values)
            self._report = report
            self._suggested = suggested
        self._emit("report", _NO_ROWS, "api")

    # ------------------------------------------------------------------ commands
    def _class_of(self, value: Any) -> int:
        code = self._table.code(value)
        if code is None:
            raise ValueError(
                f"{native(value)!r} is not a known class ({self.classes[:20]}); "
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
        *,
        when: float | None = None,
        journal: bool = True,
    ) -> EditGroup:
        """Append one group, journal it, apply it, keep the undo/redo stacks, fire one event."""
        group = self._log.next_group(field, positions, old, new, source, reason, undoes, when)
        if journal and self._journal is not None:
            self._journal.append(group, self)  # durable before the change is visible
        self._apply(group)
        self._log.append(group)
        if journal:
            self._emit(field, positions if field != "class" else _NO_ROWS, source)
        return group

    def _apply(self, group: EditGroup) -> None:
        if group.field != "class":
            self._rows.set(group.field, group.positions, group.new)
        elif group.new[0] is None:  # undoing add_class
            self._table.deactivate(group.old[0])
        else:
            self._table.activate(group.new[0])

    def _command(
        self,
        field: str,
        positions: np.ndarray,
        new: np.ndarray,
        source: str,
        reason: str | None,
    ) -> EditGroup | None:
        """Log the rows whose value actually changes as one undoable group (in row order)."""
        if reason is not None and not isinstance(reason, str):
            raise TypeError(f"reason= is text (str) or None, got {type(reason).__name__}.")
        order = np.argsort(positions, kind="stable")
        positions, new = positions[order], new[order]
        current = self._rows.get(field, positions)
        changed = differ(field, current, new)
        if not changed.any():
            return None
        if not changed.all():
            positions, current, new = positions[changed], current[changed], new[changed]
        return self._commit(field, positions, current, new, source, reason)

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

    def accept_suggestion(
        self, ids: Any, *, reason: str | None = None, source: str = "suggestion"
    ) -> None:
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
                raise ValueError(
                    "There is no analysis report yet, so there are no suggestions; pass "
                    "report= (or call state.set_report(dw.analyze(df, ...)))."
                )
            pos = self.positions(ids)
            codes = self._suggested[pos]
            has = codes >= 0
            if not has.any():
                raise ValueError(
                    "None of these rows has a suggested label (the analysis did not find their "
                    "labels suspect); use state.relabel(ids, label) instead."
                )
            self._command("label", pos[has], codes[has], source, reason)

    def revert(self, ids: Any, *, source: str = "api") -> None:
        """Put the labels of ``ids`` back to the original ones (one undo step).

        Raises
        ------
        KeyError
            Unknown id.
        """
        source = self._check_source(source)
        with self._lock:
            pos = self.positions(ids)
            self._command("label", pos, self._original_codes[pos], source, None)

    def exclude(self, ids: Any, *, reason: str | None = None, source: str = "api") -> None:
        """Flag rows as excluded: left out of training and of :meth:`to_dataframe`.

        Raises
        ------
        KeyError
            Unknown id.
        """
        self._set_flag("excluded", ids, True, source, reason)

    def restore(self, ids: Any, *, source: str = "api") -> None:
        """Un-exclude rows.

        Raises
        ------
        KeyError
            Unknown id.
        """
        self._set_flag("excluded", ids, False, source, None)

    def mark_reviewed(self, ids: Any, *, source: str = "api") -> None:
        """Mark rows as reviewed.

        Raises
        ------
        KeyError
            Unknown id.
        """
        self._set_flag("reviewed", ids, True, source, None)

    def _set_flag(self, field: str, ids: Any, value: bool, source: str, reason: str | None) -> None:
        source = self._check_source(source)
        with self._lock:
            pos = self.positions(ids)
            self._command(field, pos, np.full(len(pos), value, dtype=bool), source, reason)

    def note(self, id: Any, text: str, *, source: str = "api") -> None:
        """Attach a note to one row (an empty text removes it).

        Raises
        ------
        TypeError
            If ``text`` is not a string.
        ValueError
            If more than one id is given.
        KeyError
            Unknown id.
        """
        source = self._check_source(source)
        if not isinstance(text, str):
            raise TypeError(f"A note is text (str), got {type(text).__name__}.")
        if len(as_id_list(id)) != 1:
            raise ValueError("state.note() takes one row id; call it once per row.")
        with self._lock:
            pos = self.positions(id)
            new = np.array([text if text else None], dtype=object)
            self._command("note", pos, new, source, None)

    def add_class(self, name: Any, *, source: str = "api") -> None:
        """Introduce a new class that rows can then be relabelled to (one undo step).

        Raises
        ------
        ValueError
            If the class exists already or ``name`` is missing or empty.
        TypeError
            If ``name`` is not a str, int, float or bool.
        """
        source = self._check_source(source)
        name = native(name)
        if not isinstance(name, (str, int, float)):
            raise TypeError(f"A class name is text or a number, got {type(name).__name__}.")
        if is_missing(name) or name == "":
            raise ValueError("A class needs a name: pass a non-empty str (or a number).")
        with self._lock:
            if self._table.is_active(name):
                raise ValueError(f"Class {name!r} exists already; relabel rows to it directly.")
            self._commit(
                "class",
                _NO_ROWS,
                np.array([None], dtype=object),
                np.array([name], dtype=object),
                source,
                None,
            )

    def undo(self) -> bool:
        """Undo the last command by appending compensating entries (source ``undo``).

        Returns
        -------
        bool
            False when there was nothing to undo.

        Raises
        ------
        ValueError
            When undoing :meth:`add_class` while rows still carry the class.
        """
        with self._lock:
            target = self._log.undo_target
            if target is None:
                return False
            if target.field == "class" and target.new[0] is not None:
                name = target.new[0]
                code = self._table.code(name)
                if code is not None and (self._rows.codes == code).any():
                    raise ValueError(
                        f"Cannot undo adding class {name!r}: rows still carry it. Relabel them "
                        "first."
                    )
            self._commit(
                target.field,
                target.positions,
                target.new,
                target.old,
                "undo",
                None,
                undoes=target.group,
            )
            return True

    def redo(self) -> bool:
        """Re-apply the last undone command (source ``redo``).

        Returns
        -------
        bool
            False when there was nothing to redo.
        """
        with self._lock:
            target = self._log.redo_target
            if target is None:
                return False
            self._commit(
                target.field,
                target.positions,
                target.old,
                target.new,
                "redo",
                None,
                undoes=target.group,
            )
            return True

    def _replay(self, record: dict) -> None:
        """Apply one journal record (decoded by :mod:`dcml_widgets.journal.codec`) silently.

        Raises
        ------
        ValueError
            If the record does not follow from the current state (a corrupt or foreign
            journal): its group number, its old values or its undo/redo target disagree.
        """
        group, field, source = record["group"], record["field"], record["source"]
        if group != len(self._log):
            raise ValueError(f"expected group {len(self._log)} next, found group {group}")
        if field not in FIELDS or source not in SOURCES:
            raise ValueError(f"unknown field {field!r} or source {source!r}")
        undoes = record.get("undoes")
        done, undone = self._log.undo_target, self._log.redo_target
        if source == "undo" and (done is None or done.group != undoes):
            raise ValueError(f"group {group} undoes group {undoes}, which is not the last done")
        if source == "redo" and (undone is None or undone.group != undoes):
            raise ValueError(f"group {group} redoes group {undoes}, which is not the last undone")
        positions = np.asarray(record["positions"], dtype=np.int64)
        old, new = record["old"], record["new"]
        if field == "class":
            name = new[0] if new[0] is not None else old[0]
            if (new[0] is not None) == self._table.is_active(name):
                raise ValueError(f"group {group} adds or removes class {name!r} out of turn")
        else:
            old, new = self._column_of(field, old), self._column_of(field, new)
            current = self._rows.get(field, positions)
            same = (
                all(a == b for a, b in zip(current, old, strict=True))
                if field == "note"
                else np.array_equal(current, old)
            )
            if not same:
                raise ValueError(f"group {group}'s old values differ from the rows' values")
        self._commit(
            field,
            positions,
            old,
            new,
            source,
            record.get("reason"),
            undoes,
            when=record["time"],
            journal=False,
        )

    def _column_of(self, field: str, column: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
        """Per-row values (as the log stores them) from distinct JSON values + an index."""
        values, index = column
        if field == "label":
            codes = self._table.codes_of(values)
            unknown = (codes < 0) & ~pd.isna(values)
            for value in values[unknown]:  # a class that a report brought in
                self._table.activate(value)
            if unknown.any():
                codes = self._table.codes_of(values)
            return codes[index]
        if field in ("excluded", "reviewed"):
            return values.astype(bool)[index]
        return values[index]

    # ------------------------------------------------------------------ outputs
    @property
    def edits(self) -> pd.DataFrame:
        """The log as a DataFrame, one row per row changed (a copy).

        Columns: ``seq, group, time, row, field, old, new, source, reason``; ``row`` is the
        row id (None for ``class`` entries), ``old``/``new`` the label, flag, note or class
        name before and after.
        """
        with self._lock:
            return self._log.edits(self._ids, self._table.object_array())

    def to_dataframe(self) -> pd.DataFrame:
        """A cleaned copy: current labels applied, excluded rows dropped, dtypes kept.

        Returns
        -------
        pandas.DataFrame
            Same columns and index as the raw frame; the label column holds the current
            labels (in its original dtype where the labels fit it).
        """
        out = self._frame.copy()
        labels = self.labels
        out[self._label] = pd.Series(labels.array, index=out.index, dtype=labels.dtype, copy=False)
        if self._rows.excluded.any():
            out = out.iloc[np.flatnonzero(~self._rows.excluded)]
        return out

    def save(self, path: Any) -> Any:
        """Write a complete journal of every edit so far to ``path`` (live journaling unchanged).

        Returns
        -------
        Path
        """
        from dcml_widgets.journal import write_journal_copy

        with self._lock:
            return write_journal_copy(self, path)

    def close(self) -> None:
        """Release the journal file lock (the state stays usable, in memory only)."""
        with self._lock:
            if self._journal is not None:
                self._journal.close()
                self._journal = None

    def __enter__(self) -> DatasetState:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        where = f"journal={self.journal_path}" if self._journal is not None else "in memory only"
        return (
            f"<DatasetState {self.n_rows} rows, {len(self.classes)} classes, "
            f"{len(self._log)} edit groups, {where}>"
        )


def _as_positions(positions: np.ndarray) -> np.ndarray:
    """Row positions as int64 for fancy indexing (which copies only the rows asked for)."""
    return np.asarray(positions, dtype=np.int64)
