"""RelabelGrid: the table where a person reviews rows and fixes their labels."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar, TypeGuard

import numpy as np
import traitlets

from dcml_widgets.state import Change, DatasetState
from dcml_widgets.views._base import StateView
from dcml_widgets.views._shared.thumbnails import ImageSource
from dcml_widgets.views._shared.values import FULL_TEXT_LIMIT, cell_value
from dcml_widgets.views.grid.conflict_groups import ConflictGroupMessages
from dcml_widgets.views.grid.guidelines import guideline_rows
from dcml_widgets.views.grid.pages import PageIndex
from dcml_widgets.views.grid.rows import encode_page
from dcml_widgets.views.grid.shown import ShownPages

#: Largest page the browser may ask for.
MAX_PAGE = 500
#: Dataset columns shown by default (the first ones that are not the label, ids or pixels).
DEFAULT_COLUMNS = 12
ACTIONS = ("relabel", "accept", "exclude", "restore", "reviewed", "note")


def _is_int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


class RelabelGrid(ConflictGroupMessages, StateView):
    """The review table: rows sorted worst label first, fixed with mouse or keyboard.

    Paging, sorting and filtering happen in the kernel: the browser receives only the rows
    it shows (a page at a time, with PNG thumbnails as binary buffers), so the synced state
    does not grow with the number of rows. Every action is one :class:`DatasetState`
    command: logged, journaled and undoable.

    Parameters
    ----------
    state : DatasetState
    columns : sequence of str, optional
        Dataset columns to show (default: the first twelve that are not the label, the ids
        or image pixels).
    image_shape : tuple of int, optional
        Shape of one image stored as flattened pixel columns, e.g. ``(8, 8)``. Columns named
        ``pixel_0, pixel_1, ...``, a column of 2-D arrays, PIL images or image file paths
        are found without it.
    page_size : int
        Rows per page the browser requests.
    follow_selection : bool
        When another view changes the selection, show only the selected rows (or all rows
        when the selection is cleared). Selecting rows in the grid itself never re-scopes it.

    Examples
    --------
    >>> grid = dw.RelabelGrid(state)            # doctest: +SKIP
    >>> grid.set_view(filter={"issue": "label"}, sort="score")  # doctest: +SKIP
    """

    _bundle = "grid"
    _messages: ClassVar[dict[str, str]] = {
        "page": "_msg_page",
        "view": "_msg_view",
        "action": "_msg_action",
        "undo": "_msg_undo",
        "redo": "_msg_redo",
        "focus": "_msg_focus",
        "select": "_msg_select",
        "cell": "_msg_cell",
        "show_group": "_msg_show_group",
        "resolve_group": "_msg_resolve_group",
    }
    """Browser message types this view accepts, and the method that handles each."""

    revision = traitlets.Int(0, help="Bumped whenever the rows shown may have changed.").tag(
        sync=True
    )
    total = traitlets.Int(0, help="Number of rows that pass the filter.").tag(sync=True)
    sort_by = traitlets.Unicode("score", help="Sort key (a column key).").tag(sync=True)
    ascending = traitlets.Bool(True, help="Sort direction (True: lowest first).").tag(sync=True)
    filter = traitlets.Dict(help="Active filter: scope, issue, class, status, disagree.").tag(
        sync=True
    )
    columns: traitlets.List[Any] = traitlets.List(help="Column descriptors: key, title, kind.").tag(
        sync=True
    )
    classes: traitlets.List[Any] = traitlets.List(
        help="Class values (JSON); row labels are indices into it."
    ).tag(sync=True)
    class_names: traitlets.List[Any] = traitlets.List(help="Class values as display text.").tag(
        sync=True
    )
    issue_types: traitlets.List[Any] = traitlets.List(help="Issue types the report has.").tag(
        sync=True
    )
    focus_index = traitlets.Int(-1, help="Grid index of state.focus (-1: not shown).").tag(
        sync=True
    )
    focus_position = traitlets.Int(-1, help="Row position of state.focus (-1: none).").tag(
        sync=True
    )
    focus_seq = traitlets.Int(
        0, help="Sequence number of the last focus move from the browser that was applied."
    ).tag(sync=True)
    n_selected = traitlets.Int(0, help="Number of selected rows (bulk actions act on them).").tag(
        sync=True
    )
    can_undo = traitlets.Bool(False, help="True when there is something to undo.").tag(sync=True)
    can_redo = traitlets.Bool(False, help="True when there is something to redo.").tag(sync=True)
    page_size = traitlets.Int(100, help="Rows per page the browser requests.").tag(sync=True)
    guidelines: traitlets.List[Any] = traitlets.List(
        help="Each class's guideline (class, text, examples as id and text), class order; "
        "shown beside the class picker."
    ).tag(sync=True)
    has_images = traitlets.Bool(False, help="True when rows show a thumbnail.").tag(sync=True)

    def __init__(
        self,
        state: DatasetState,
        *,
        columns: Sequence[str] | None = None,
        image_shape: Sequence[int] | None = None,
        page_size: int = 100,
        follow_selection: bool = True,
        **kwargs: Any,
    ) -> None:
        if not isinstance(state, DatasetState):
            raise TypeError(f"RelabelGrid needs a dw.DatasetState, got {type(state).__name__}.")
        if not _is_int(page_size) or not 1 <= page_size <= MAX_PAGE:
            raise ValueError(f"page_size must be an int in [1, {MAX_PAGE}], got {page_size!r}.")
        frame = state.frame
        skip = [state.label] + ([state.id_column] if state.id_column else [])
        self._images = ImageSource.detect(frame, exclude=skip, image_shape=image_shape)
        hidden = set(skip)
        if self._images is not None and self._images.kind != "path":
            hidden |= set(self._images.columns)
        if columns is None:
            shown = [c for c in frame.columns if c not in hidden][:DEFAULT_COLUMNS]
        else:
            shown = list(columns)
            missing = [c for c in shown if c not in frame.columns]
            if missing:
                raise KeyError(
                    f"columns={missing} are not in the DataFrame; choose from "
                    f"{list(frame.columns)[:20]}."
                )
        self._shown = shown
        self._follow = bool(follow_selection)
        self._selecting = False
        self._index = PageIndex(state, shown)
        self._pages_shown = ShownPages()
        super().__init__(state, page_size=page_size, has_images=self._images is not None, **kwargs)
        with self.hold_sync():
            self._sync_all()

    # ------------------------------------------------------------------ python API
    def set_view(
        self, *, sort: str | None = None, ascending: bool | None = None, filter: dict | None = None
    ) -> None:
        """Sort and filter the grid from Python (the same as clicking in it).

        Parameters
        ----------
        sort : str, optional
            ``score``, ``id``, ``given``, ``label``, ``suggested``, ``issues``, ``status``,
            ``note`` or ``col:<column>``.
        ascending : bool, optional
        filter : dict, optional
            ``{"scope": "all"|"selection", "issue": type|"any", "class": value,
            "status": "edited"|"excluded"|"reviewed"|"unreviewed"|"active",
            "disagree": bool}``; ``{}`` shows every row.

        Raises
        ------
        ValueError, KeyError, TypeError
            On an unknown sort key, class, issue type or status (nothing changes).
        """
        self._index.set_view(sort, ascending, filter)
        with self.hold_sync():
            self._sync_all()
            self.revision += 1

    def visible_ids(self, start: int = 0, count: int = 100) -> list:
        """Row ids at grid indices ``start .. start + count`` (what the browser would show)."""
        return self.state.ids[self._index.rows(start, count)].tolist()

    # ------------------------------------------------------------------ sync
    def _column_specs(self) -> list[dict]:
        specs: list[dict[str, Any]] = [{"key": "id", "title": "id", "kind": "id"}]
        if self._images is not None:
            specs.append({"key": "thumb", "title": "image", "kind": "thumb"})
        specs += [
            {"key": "given", "title": "given", "kind": "given"},
            {"key": "label", "title": "label", "kind": "label"},
            {"key": "suggested", "title": "suggested", "kind": "suggested"},
            {"key": "score", "title": "label score", "kind": "score"},
            {"key": "issues", "title": "issues", "kind": "issues"},
        ]
        if "invalid_value" in self._index.arrays.issue_types:  # which rule a row broke
            specs.append({"key": "rules", "title": "failed rules", "kind": "rules"})
        specs += [
            {"key": "status", "title": "status", "kind": "status"},
            {"key": "note", "title": "note", "kind": "note"},
        ]
        for i, name in enumerate(self._shown):  # dataset columns after the review columns
            kind = "number" if self.state.frame[name].dtype.kind in "iufb" else "text"
            specs.append({"key": f"col:{name}", "title": str(name), "kind": kind, "cell": i})
        return specs

    def _sync_all(self) -> None:
        state, index = self.state, self._index
        self.columns = self._column_specs()
        self.classes = [cell_value(c, FULL_TEXT_LIMIT)[0] for c in state.classes]
        self.class_names = [str(c) for c in state.classes]
        self.issue_types = list(index.arrays.issue_types)
        self.sort_by = index.sort
        self.ascending = index.ascending
        self.filter = index.filter.to_json()
        self.total = index.total
        self.n_selected = len(state.rows.selection)
        self.can_undo, self.can_redo = state.can_undo, state.can_redo
        self.guidelines = guideline_rows(state, self._shown)
        self._sync_focus()

    def _sync_focus(self) -> None:
        focus = self.state.focus
        if focus is None:
            self.focus_position, self.focus_index = -1, -1
            return
        position = int(self.state.rows.positions(focus)[0])
        self.focus_position = position
        self.focus_index = self._index.index_of(position)

    def _state_changed(self, change: Change) -> None:
        if change.field == "focus":
            with self.hold_sync():
                self._sync_focus()
            return
        self._index.apply(change)
        if change.field == "selection" and self._follow and not self._selecting:
            scope = "selection" if len(self.state.rows.selection) else "all"
            if scope != self._index.filter.scope:
                self._index.set_view(flt={**self._index.filter.to_json(), "scope": scope})
        revision = self.revision + 1
        for start, count in self._pages_shown:  # before the bump: see ShownPages
            if start < self._index.total:
                self._send_page(start, count, revision)
        with self.hold_sync():
            self._sync_all()
            self.revision = revision

    # ------------------------------------------------------------------ browser messages
    def _check_revision(self, content: dict) -> None:
        revision = content.get("revision")
        if not _is_int(revision):
            raise TypeError("This message needs an integer 'revision'.")
        if revision != self.revision:
            raise ValueError(
                f"stale request (made against revision {revision}, the grid is at "
                f"{self.revision}); it was ignored and the grid is refreshing."
            )

    def _msg_page(self, content: dict, buffers: list) -> None:
        start, count = content.get("start"), content.get("count")
        if not (_is_int(start) and _is_int(count)) or start < 0 or not 0 < count <= MAX_PAGE:
            raise ValueError(f"A page request needs ints start >= 0 and 0 < count <= {MAX_PAGE}.")
        self._check_revision(content)
        self._pages_shown.asked(start, count)
        self._send_page(start, count, self.revision)

    def _send_page(self, start: int, count: int, revision: int) -> None:
        positions = self._index.rows(start, count)
        index = self._index
        rows, pngs = encode_page(
            self.state, index.arrays, index.given, positions, self._shown, self._images
        )
        self.send(
            {
                "type": "page",
                "revision": revision,
                "start": start,
                "total": self._index.total,
                "rows": rows,
            },
            buffers=pngs,
        )

    def _msg_view(self, content: dict, buffers: list) -> None:
        flt = content.get("filter")
        self.set_view(sort=content.get("sort"), ascending=content.get("ascending"), filter=flt)

    def _ids(self, content: dict) -> tuple[Any, str]:
        """The rows an action names, and the source to log it with."""
        if content.get("target") == "selection":
            selection = self.state.selection
            if len(selection) == 0:
                raise ValueError("No rows are selected: select rows first, then act on them.")
            return list(selection), "bulk"
        ids = content.get("ids")
        if not isinstance(ids, list) or not ids:
            raise TypeError(
                "An action needs 'ids' (a non-empty list of row ids) or target='selection'."
            )
        if not all(isinstance(i, str) or _is_int(i) for i in ids):
            raise TypeError("Row ids from the browser must be ints or strings.")
        self.state.rows.positions(ids)  # KeyError names unknown rows before anything changes
        return ids, "user" if len(ids) == 1 else "bulk"

    def _msg_action(self, content: dict, buffers: list) -> None:
        action = content.get("action")
        if action not in ACTIONS:
            raise ValueError(f"Unknown action {action!r}; use one of {ACTIONS}.")
        ids, source = self._ids(content)
        state = self.state
        if action == "relabel":
            label = content.get("label")
            if isinstance(label, bool) or label not in state.classes:
                raise ValueError(f"Unknown class {label!r}; classes are {state.classes[:20]}.")
            state.relabel(ids, label, source=source)
        elif action == "accept":
            state.accept_suggestion(ids, source="suggestion" if source == "user" else "bulk")
        elif action == "exclude":
            state.exclude(ids, source=source)
        elif action == "restore":
            state.restore(ids, source=source)
        elif action == "reviewed":
            state.mark_reviewed(ids, source=source)
        else:
            text = content.get("text")
            if not isinstance(text, str):
                raise TypeError("A note needs 'text' (a string).")
            if len(ids) != 1:
                raise ValueError("A note goes on one row at a time.")
            state.note(ids[0], text, source="user")

    def _msg_undo(self, content: dict, buffers: list) -> None:
        if not self.state.undo():
            raise ValueError("There is nothing to undo.")

    def _msg_redo(self, content: dict, buffers: list) -> None:
        if not self.state.redo():
            raise ValueError("There is nothing to redo.")

    def _msg_focus(self, content: dict, buffers: list) -> None:
        position, seq = content.get("position"), content.get("seq", self.focus_seq)
        if not _is_int(position) or not 0 <= position < self.state.n_rows:
            raise ValueError(f"focus needs a row position in [0, {self.state.n_rows}).")
        if not _is_int(seq):
            raise TypeError("focus 'seq' must be an int.")
        with self.hold_sync():  # the browser knows its own move arrived when seq comes back
            self.state.focus = self.state.ids[position]
            self.focus_seq = seq

    def _msg_select(self, content: dict, buffers: list) -> None:
        mode = content.get("mode", "replace")
        if mode not in ("replace", "add", "remove"):
            raise ValueError("select mode must be 'replace', 'add' or 'remove'.")
        if len(buffers) > 1 or (not buffers and mode != "replace"):
            raise ValueError("select needs one buffer of uint32 row positions.")
        raw = bytes(buffers[0]) if buffers else b""
        if len(raw) % 4:
            raise ValueError("The selection buffer is not a whole number of uint32 values.")
        positions = np.frombuffer(raw, dtype="<u4").astype(np.int64)
        if positions.size and positions.max() >= self.state.n_rows:
            raise ValueError(f"Row positions must lie in [0, {self.state.n_rows}).")
        current = self.state.rows.selection
        if mode == "add":
            positions = np.union1d(current, positions)
        elif mode == "remove":
            positions = np.setdiff1d(current, positions)
        self._selecting = True
        try:
            self.state.select(positions=positions)
        finally:
            self._selecting = False

    def _msg_cell(self, content: dict, buffers: list) -> None:
        row, column = content.get("id"), content.get("column")
        if not (isinstance(row, str) or _is_int(row)):
            raise TypeError("A cell request needs the row 'id' (int or str).")
        names = {str(c): c for c in self._shown}
        if column not in names:
            raise KeyError(f"Unknown column {column!r}.")
        position = int(self.state.rows.positions(row)[0])
        value = self.state.frame[names[column]].iloc[position]
        text, cut = cell_value(value, FULL_TEXT_LIMIT)
        self.send({"type": "cell", "id": row, "column": column, "text": text, "cut": cut})
