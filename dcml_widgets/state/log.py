"""The append-only edit log: one group per command, the undo/redo stacks, the edits table."""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import pandas as pd

FIELDS = ("label", "excluded", "reviewed", "note", "class", "guideline")
ROWLESS = ("class", "guideline")
"""Fields whose commands change no row (one entry each in the edits table, row None)."""
SOURCES = ("user", "suggestion", "bulk", "undo", "redo", "api")
EDIT_COLUMNS = ["seq", "group", "time", "row", "field", "old", "new", "source", "reason", "author"]


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
        Row positions changed (int64, ascending); empty for ``class`` and ``guideline``.
    old, new : numpy.ndarray
        Values before and after, aligned with ``positions`` (for ``class``: one entry, the
        class name or None; for ``guideline``: one entry, ``{"class", "text", "examples"}``
        or None). For ``label`` they are int32 codes into
        ``state.rows.class_table`` (-1 = missing); bools for ``excluded``/``reviewed``;
        text or None for ``note``.
    source : str
        One of :data:`SOURCES`.
    reason : str or None
        Why, as the user said.
    undoes : int or None
        For ``undo``/``redo`` entries, the group they compensate or re-apply.
    author : str or None
        The reviewer who made it (``state.reviewer`` at the time), None when not set.
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
    author: str | None = None

    @property
    def n_entries(self) -> int:
        """Number of row entries this group adds to :attr:`DatasetState.edits`."""
        return 1 if self.field in ROWLESS else len(self.positions)


class EditLog:
    """Edit groups in the order they happened, plus which of them undo and redo would target.

    Nothing in the log is ever rewritten: undo and redo append groups of their own
    (source ``undo``/``redo``) and only move group numbers between the two stacks.
    """

    def __init__(self) -> None:
        self._groups: list[EditGroup] = []
        self._n_entries = 0
        self._undo_stack: list[int] = []
        self._redo_stack: list[int] = []
        self._edits_cache: tuple[int, pd.DataFrame] | None = None

    def __len__(self) -> int:
        return len(self._groups)

    @property
    def groups(self) -> tuple[EditGroup, ...]:
        """Every group, oldest first."""
        return tuple(self._groups)

    @property
    def undo_stack(self) -> tuple[int, ...]:
        """Group numbers :meth:`DatasetState.undo` would undo, the next one last."""
        return tuple(self._undo_stack)

    @property
    def redo_stack(self) -> tuple[int, ...]:
        """Group numbers :meth:`DatasetState.redo` would re-apply, the next one last."""
        return tuple(self._redo_stack)

    @property
    def undo_target(self) -> EditGroup | None:
        """The group the next undo compensates, or None."""
        return self._groups[self._undo_stack[-1]] if self._undo_stack else None

    @property
    def redo_target(self) -> EditGroup | None:
        """The group the next redo re-applies, or None."""
        return self._groups[self._redo_stack[-1]] if self._redo_stack else None

    def next_group(
        self,
        field: str,
        positions: np.ndarray,
        old: np.ndarray,
        new: np.ndarray,
        source: str,
        reason: str | None,
        undoes: int | None = None,
        when: float | None = None,
        author: str | None = None,
    ) -> EditGroup:
        """The group that :meth:`append` would add next (numbered, timed now unless ``when``).

        Returns
        -------
        EditGroup
            Not yet in the log.
        """
        return EditGroup(
            group=len(self._groups),
            seq=self._n_entries,
            time=time.time() if when is None else when,
            field=field,
            positions=positions,
            old=old,
            new=new,
            source=source,
            reason=reason,
            undoes=undoes,
            author=author,
        )

    def append(self, group: EditGroup) -> None:
        """Add ``group`` (made by :meth:`next_group`) and move the undo/redo stacks.

        An ``undo`` group moves its target to the redo stack, a ``redo`` group moves its
        target back; any other group is a new command and clears the redo stack.
        """
        self._groups.append(group)
        self._n_entries += group.n_entries
        if group.source == "undo":
            self._undo_stack.pop()
            assert group.undoes is not None  # an undo always names the group it undoes
            self._redo_stack.append(group.undoes)
        elif group.source == "redo":
            self._redo_stack.pop()
            self._undo_stack.append(group.group)
        else:
            self._undo_stack.append(group.group)
            self._redo_stack.clear()

    def edits(self, ids: pd.Index, class_names: np.ndarray) -> pd.DataFrame:
        """The log as a DataFrame, one row per row changed (a copy; see :func:`edits_frame`).

        Built incrementally: only groups appended since the last call are converted.
        ``class_names`` must be the append-only class table as an object array.
        """
        done, cached = self._edits_cache or (0, None)
        if done < len(self._groups):
            part = edits_frame(self._groups[done:], ids, class_names)
            cached = part if cached is None else pd.concat([cached, part], ignore_index=True)
            self._edits_cache = (len(self._groups), cached)
        if cached is None:
            return pd.DataFrame({c: pd.Series(dtype=object) for c in EDIT_COLUMNS})
        return cached.copy()


def edits_frame(groups: list[EditGroup], ids: pd.Index, class_names: np.ndarray) -> pd.DataFrame:
    """Rows of the edits table for ``groups`` (consecutive, non-empty).

    Parameters
    ----------
    groups : list of EditGroup
    ids : pandas.Index
        Row ids in row order (``row`` is the id; None for ``class`` and ``guideline``).
    class_names : numpy.ndarray
        Object array mapping a label code to its class, with NaN last so -1 maps to NaN.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`EDIT_COLUMNS`; ``old``/``new`` hold the label, flag, note, class name
        or guideline.
    """
    counts = np.array([g.n_entries for g in groups], dtype=np.int64)
    rows, olds, news = [], [], []
    for g in groups:
        if g.field in ROWLESS:
            rows.append(np.array([None], dtype=object))
            olds.append(g.old.astype(object))
            news.append(g.new.astype(object))
            continue
        rows.append(ids[g.positions].to_numpy(dtype=object))
        if g.field == "label":
            olds.append(class_names[g.old])
            news.append(class_names[g.new])
        else:
            olds.append(np.asarray(g.old).astype(object))
            news.append(np.asarray(g.new).astype(object))
    start = groups[0].seq
    meta: dict[str, list] = {
        "group": [g.group for g in groups],
        "time": [g.time for g in groups],
        "field": [g.field for g in groups],
        "source": [g.source for g in groups],
        "reason": [g.reason for g in groups],
        "author": [g.author for g in groups],
    }
    frame: dict[str, np.ndarray] = {
        "seq": np.arange(start, start + int(counts.sum()), dtype=np.int64)
    }
    for key, values in meta.items():
        arr = np.empty(len(values), dtype=object)
        arr[:] = values
        frame[key] = np.repeat(arr, counts)
    frame["group"] = frame["group"].astype(np.int64)
    frame["time"] = pd.to_datetime(frame["time"].astype(float), unit="s")
    frame["row"] = np.concatenate(rows)
    frame["old"] = np.concatenate(olds)
    frame["new"] = np.concatenate(news)
    # object columns stay object (no string inference), so None stays None
    return pd.DataFrame(
        {
            c: pd.Series(frame[c], dtype=None if c in ("seq", "group", "time") else object)
            for c in EDIT_COLUMNS
        }
    )
