"""DatasetState: the single source of truth for labels, exclusions, reviews, notes, selection."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import traitlets

from dcml_widgets.journal.auto import AutoChoice
from dcml_widgets.journal.file import Journal
from dcml_widgets.journal.header import fingerprint, make_header
from dcml_widgets.state.commands import EditCommands
from dcml_widgets.state.core import NO_ROWS, build_core, labels_series
from dcml_widgets.state.derived import suggested_values
from dcml_widgets.state.events import Change, Listeners
from dcml_widgets.state.guidelines import GuidelineCommands
from dcml_widgets.state.journaling import journal_status, open_journal
from dcml_widgets.state.log import EditGroup
from dcml_widgets.state.outputs import StateOutputs
from dcml_widgets.state.resume import replay_record
from dcml_widgets.state.rows import Rows
from dcml_widgets.values import is_missing, native


class DatasetState(EditCommands, GuidelineCommands, StateOutputs, traitlets.HasTraits):
    """The only object that changes labels; views observe it and send it commands.

    Parameters
    ----------
    df : pandas.DataFrame
        The raw data. It is never modified; :meth:`to_dataframe` returns a cleaned copy.
    label : str
        Name of the label column.
    id_column : str, optional
        Column holding unique row ids; by default the DataFrame's index is used.
    journal : "auto", str or Path, optional
        JSON-lines file every command is appended to (written, flushed and fsynced before the
        command returns). An existing journal for the same data is resumed (see
        :attr:`resumed_edits`); one for other data is refused. The file is locked while this
        state holds it (:meth:`close` releases it); another process gets
        :class:`~dcml_widgets.journal.file.JournalLockedError`, and a newer state in this
        process takes it over (this one then refuses edits). ``"auto"``:
        ``./.dcml/<fingerprint>.jsonl``, or the first sibling ``<fingerprint>-2.jsonl``, …
        that no other kernel holds.
    journal_damage : {"raise", "truncate"}
        A damaged journal is refused naming the file and line (``"raise"``), or its good
        prefix is kept and the rest moved to ``<name>.damaged-<UTC>`` (``"truncate"``).
    report : AuditReport, optional
        The analysis the views show and :meth:`accept_suggestion` draws on.

    Attributes
    ----------
    resumed_edits : int
        Edit groups (commands, undos and redos) replayed from an existing journal at start.
    journal_torn : int
        Bytes of a torn last journal line (left by a crash) that were ignored; 0 if none.
    rows : Rows
        Read-only positional view (label codes, flags, selection by row position) for views.

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

    version = traitlets.Int(
        0,
        help="Increments on every change (edits, undo/redo, selection, focus, report), so "
        "traitlets/ipywidgets code can observe one trait to re-render; on_change says what.",
    )
    focus = traitlets.Any(None, allow_none=True, help="The row id the views point at, or None.")

    def __init__(
        self,
        df: pd.DataFrame,
        label: str,
        *,
        id_column: str | None = None,
        journal: Any = None,
        report: Any = None,
        journal_damage: str = "raise",
    ) -> None:
        super().__init__()
        self._core = build_core(df, label, id_column)
        self._frame = df
        self._label = label
        self._id_column = id_column
        self._listeners = Listeners()
        self._report: Any = None
        self._journal: Journal | None = None
        self._fingerprint: str | None = None
        self.rows = Rows(self._core)
        self.resumed_edits = 0
        self.journal_torn = 0
        if report is not None:
            self.set_report(report)
        self._auto: AutoChoice | None = None
        if journal is not None:
            self._journal, self._auto = open_journal(
                journal,
                self._header(),
                self._resume,
                damage=journal_damage,
                on_superseded=self._superseded,
            )
            self.resumed_edits = self._journal.resumed
            self.journal_torn = self._journal.torn

    # ------------------------------------------------------------------ what it holds
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
        return self._core.ids

    @property
    def n_rows(self) -> int:
        """Number of rows."""
        return self._core.n_rows

    @property
    def fingerprint(self) -> str:
        """Hash of the row ids and original labels in row order (names ``.dcml/<fp>.jsonl``)."""
        if self._fingerprint is None:
            self._fingerprint = fingerprint(self._core.ids, self._core.original_values)
        return self._fingerprint

    @property
    def classes(self) -> list:
        """Known classes: the original ones (sorted) then those added since, in order."""
        return self._core.table.active

    @property
    def labels(self) -> pd.Series:
        """Current labels (index = row ids), in the label column's dtype where they fit it."""
        return labels_series(self._core, self._label)

    @property
    def original_labels(self) -> pd.Series:
        """Labels as given (index = row ids)."""
        values = self._core.original_values.copy()
        dtype = object if isinstance(values, np.ndarray) and values.dtype == object else None
        return pd.Series(values, index=self.ids, name=self._label, dtype=dtype)

    @property
    def excluded(self) -> pd.Series:
        """True where a row is excluded (flagged, never deleted)."""
        return pd.Series(self.rows.excluded_mask, index=self.ids, name="excluded")

    @property
    def reviewed(self) -> pd.Series:
        """True where a row was marked reviewed."""
        return pd.Series(self.rows.reviewed_mask, index=self.ids, name="reviewed")

    @property
    def edited(self) -> pd.Series:
        """True where the current label differs from the original one."""
        core = self._core
        return pd.Series(core.values.codes != core.original_codes, index=self.ids, name="edited")

    @property
    def notes(self) -> pd.Series:
        """Notes by row id (only rows that have one), in row order."""
        notes = self._core.values.notes
        pos = np.sort(np.fromiter(notes, dtype=np.int64, count=len(notes)))
        texts = [notes[p] for p in pos.tolist()]
        return pd.Series(texts, index=self.ids[pos], name="note", dtype=object)

    @property
    def report(self) -> Any:
        """The :class:`~dcml_widgets.AuditReport` the views show, or None."""
        return self._report

    @property
    def journal_path(self) -> Any:
        """Path of the live journal, or None when edits live in memory only."""
        return None if self._journal is None else self._journal.path

    @property
    def journal_status(self) -> dict:
        """Where edits are saved and what happened to the file (see
        :func:`~dcml_widgets.state.journaling.journal_status`): path, resumed, torn, repaired,
        superseded_by, note, siblings."""
        return journal_status(self._journal, self._auto)

    @property
    def log(self) -> tuple[EditGroup, ...]:
        """The append-only log, one :class:`EditGroup` per command."""
        return self._core.log.groups

    @property
    def can_undo(self) -> bool:
        """True when :meth:`undo` has something to undo."""
        return self._core.log.undo_target is not None

    @property
    def can_redo(self) -> bool:
        """True when :meth:`redo` has something to redo."""
        return self._core.log.redo_target is not None

    @property
    def reviewer(self) -> str | None:
        """Who makes the edits from now on (not an edit itself): each later command records it
        as its ``author`` in :attr:`edits` and the journal. None: nobody named."""
        return self._core.reviewer

    @reviewer.setter
    def reviewer(self, name: str | None) -> None:
        if name is not None and not isinstance(name, str):
            raise TypeError(f"reviewer= is a name (str) or None, got {type(name).__name__}.")
        name = None if name is None else name.strip()
        if name is not None and not 0 < len(name) <= 100:
            raise ValueError("A reviewer's name has 1 to 100 characters (or pass None).")
        self._core.reviewer = name

    # ------------------------------------------------------------------ events, view state
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
        self._listeners.emit(Change(field, self.ids[positions], source, positions))

    @property
    def selection(self) -> pd.Index:
        """Selected row ids (view state: not logged, not undoable)."""
        return self.ids[self._core.selection]

    def select(self, ids: Any = None, *, positions: Any = None) -> None:
        """Make ``ids`` (or the rows at ``positions``) the selection; an empty list clears it.

        Parameters
        ----------
        ids : id or list of ids, optional
        positions : array-like of int, optional
            Row positions instead of ids (for views that work in positions).

        Raises
        ------
        KeyError
            If any id is unknown; the selection is then unchanged.
        ValueError
            If a position is out of range, or both or neither of ids and positions are given.
        """
        if (ids is None) == (positions is None):
            raise ValueError("state.select() takes ids or positions= (one of them).")
        pos = self.rows.positions(ids) if positions is None else np.asarray(positions)
        pos = pos.astype(np.int64, copy=False).ravel()
        if pos.size and (pos.min() < 0 or pos.max() >= self.n_rows):
            raise ValueError(f"Row positions must lie in [0, {self.n_rows}).")
        pos = np.unique(pos)
        with self._core.lock:
            if np.array_equal(pos, self._core.selection):
                return
            self._core.selection = pos
        self._emit("selection", pos, "view")

    @traitlets.validate("focus")
    def _validate_focus(self, proposal: dict) -> Any:
        value = proposal["value"]
        if value is None:
            return None
        if not isinstance(value, (str, int, np.integer)) or isinstance(value, (bool, np.bool_)):
            raise KeyError(f"focus must be one row id (int or str) or None, got {value!r}.")
        return native(self.ids[self.rows.positions(value)[0]])

    @traitlets.observe("focus")
    def _focus_changed(self, change: dict) -> None:
        pos = NO_ROWS if change["new"] is None else self.rows.positions(change["new"])
        self._emit("focus", pos, "view")

    def set_report(self, report: Any) -> None:
        """Show ``report`` in every view (for example when UMAP replaces the first layout).

        Not logged and not undoable: a report is analysis, not an edit.

        Raises
        ------
        ValueError
            If the report was computed on other rows.
        """
        core = self._core
        values = None
        if report is not None:
            if len(report.ids) != self.n_rows or not pd.Index(report.ids).equals(self.ids):
                raise ValueError(
                    "This report was computed on other rows than the state holds; analyse "
                    "this DataFrame (dw.analyze(df, ...)) and pass that report."
                )
            values = suggested_values(report, self.ids)
        with core.lock:
            if report is not None:
                for cls in report.classes:
                    if not is_missing(cls) and not core.table.is_active(cls):
                        core.table.activate(cls)
            suggested = np.full(self.n_rows, -1, dtype=np.int32)
            if values is not None:
                suggested = core.table.codes_of(values)
            self._report = report
            core.suggested = suggested
        self._emit("report", NO_ROWS, "api")

    # ------------------------------------------------------------------ journal
    def _header(self) -> dict:
        return make_header(
            label=self._label,
            n_rows=self.n_rows,
            fingerprint=self.fingerprint,
            id_column=self._id_column,
        )

    def _resume(self, record: dict) -> None:
        replay_record(self._core, record, self.rows.positions)

    def _superseded(self) -> None:
        self._emit("journal", NO_ROWS, "api")  # a newer state took the file: say so

    def close(self) -> None:
        """Release the journal file lock (the state stays usable, in memory only)."""
        with self._core.lock:
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
            f"{len(self._core.log)} edit groups, {where}>"
        )
