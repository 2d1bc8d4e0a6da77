"""The commands of a DatasetState: every edit, one undoable group each, journaled first."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from dcml_widgets.journal.codec import encode_group
from dcml_widgets.journal.file import Journal
from dcml_widgets.state import edits
from dcml_widgets.state.core import NO_ROWS, StateCore
from dcml_widgets.state.ids import as_id_list
from dcml_widgets.state.log import ROWLESS, SOURCES, EditGroup
from dcml_widgets.state.rows import Rows
from dcml_widgets.values import is_missing, native


class EditCommands:
    """The edit commands of :class:`~dcml_widgets.DatasetState` (its base class).

    Each command validates everything before it changes anything, writes its group to the
    journal (flushed and fsynced), applies it and fires one event; a refused command raises
    and changes nothing.
    """

    _core: StateCore
    _journal: Journal | None
    _report: Any
    rows: Rows

    _emit: Callable[[str, np.ndarray, str], None]

    def _class_of(self, value: Any) -> int:
        code = self._core.table.code(value)
        if code is None:
            raise ValueError(
                f"{native(value)!r} is not a known class ({self._core.table.active[:20]}); "
                "call state.add_class(name) first to introduce a new class."
            )
        return code

    @staticmethod
    def _check_source(source: str) -> str:
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
        """Append one group, journal it, apply it, keep the undo/redo stacks, fire one event."""
        core = self._core
        group = core.log.next_group(
            field, positions, old, new, source, reason, undoes, author=core.reviewer
        )
        if self._journal is not None:  # durable before the change is visible
            self._journal.append(encode_group(group, core.ids, core.table.values))
        edits.apply_group(core, group)
        core.log.append(group)
        self._emit(field, NO_ROWS if field in ROWLESS else positions, source)
        return group

    def _command(
        self, field: str, positions: np.ndarray, new: np.ndarray, source: str, reason: Any
    ) -> EditGroup | None:
        """Log the rows whose value actually changes as one undoable group (in row order)."""
        if reason is not None and not isinstance(reason, str):
            raise TypeError(f"reason= is text (str) or None, got {type(reason).__name__}.")
        planned = edits.changed_rows(self._core, field, positions, new)
        if planned is None:
            return None
        return self._commit(field, *planned, source, reason)

    def relabel(
        self, ids: Any, new_label: Any, *, reason: str | None = None, source: str = "api"
    ) -> None:
        """Give rows a label: one for all, or one each (one undo step either way).

        Rows that already have their label are left out of the log; if none changes,
        nothing is logged.

        Parameters
        ----------
        ids : id or list of ids
        new_label : object or sequence
            A known class (see :attr:`classes` and :meth:`add_class`) for every row, or a
            list (array, Series: by position) of them aligned with ``ids`` — e.g. resolving
            a whole group of conflicting rows in one command.
        reason : str, optional
            Why, kept in the log.
        source : str
            Who issued it (``api`` from Python, ``user``/``bulk`` from a view).

        Raises
        ------
        KeyError
            Unknown id.
        ValueError
            Unknown class; with a sequence, a length that differs from the ids' or an id given
            twice.
        """
        source = self._check_source(source)
        with self._core.lock:
            if isinstance(new_label, (str, bytes)) or not pd.api.types.is_list_like(new_label):
                code = self._class_of(new_label)
                pos = self.rows.positions(ids)
                codes = np.full(len(pos), code, np.int32)
            else:
                listed, labels = as_id_list(ids), list(new_label)
                if len(labels) != len(listed):
                    raise ValueError(
                        f"relabel(ids, labels) got {len(listed)} ids and {len(labels)} labels; "
                        "pass one label per id, or a single label for all of them."
                    )
                codes = np.array([self._class_of(label) for label in labels], np.int32)
                pos = self.rows.positions(listed)
                if len(pos) != len(listed):
                    raise ValueError("relabel(ids, labels) names an id twice; name each once.")
            self._command("label", pos, codes, source, reason)

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
        with self._core.lock:
            if self._report is None:
                raise ValueError(
                    "There is no analysis report yet, so there are no suggestions; pass "
                    "report= (or call state.set_report(dw.analyze(df, ...)))."
                )
            pos = self.rows.positions(ids)
            codes = self._core.suggested[pos]
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
        with self._core.lock:
            pos = self.rows.positions(ids)
            self._command("label", pos, self._core.original_codes[pos], source, None)

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

    def _set_flag(self, field: str, ids: Any, value: bool, source: str, reason: Any) -> None:
        source = self._check_source(source)
        with self._core.lock:
            pos = self.rows.positions(ids)
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
        with self._core.lock:
            pos = self.rows.positions(id)
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
        with self._core.lock:
            if self._core.table.is_active(name):
                raise ValueError(f"Class {name!r} exists already; relabel rows to it directly.")
            old, new = np.array([None], dtype=object), np.array([name], dtype=object)
            self._commit("class", NO_ROWS, old, new, source, None)

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
        with self._core.lock:
            target = self._core.log.undo_target
            if target is None:
                return False
            edits.check_undoable(self._core, target)
            self._commit(
                target.field, target.positions, target.new, target.old, "undo", None, target.group
            )
            return True

    def redo(self) -> bool:
        """Re-apply the last undone command (source ``redo``).

        Returns
        -------
        bool
            False when there was nothing to redo.
        """
        with self._core.lock:
            target = self._core.log.redo_target
            if target is None:
                return False
            self._commit(
                target.field, target.positions, target.old, target.new, "redo", None, target.group
            )
            return True
