"""The journal: every edit group appended to a JSON-lines file, durable before it is visible.

Line 1 is a header ``{"format": "dcml-journal", "version": 1, "label", "n_rows",
"fingerprint"}``; then one line per command group (see
:mod:`dcml_widgets.journal.codec`), written, flushed and fsynced before the command returns.

Crash safety: a line cut short by a crash or power cut (the last line, without its newline
or not valid JSON) belonged to a command that never returned; it is ignored, reported with a
:class:`TornJournalWarning` and cut off before anything new is appended. The file is held
with an OS lock (``fcntl.flock``) while a state has it open, so a second process gets a
clear :class:`JournalLockedError`, and a process that dies holds nothing.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import warnings
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from dcml_widgets.journal.codec import decode_group, encode_group, encode_line
from dcml_widgets.state.classes import native

FORMAT = "dcml-journal"
VERSION = 1


class JournalLockedError(RuntimeError):
    """The journal is held by another open state (in this or another process)."""


class TornJournalWarning(UserWarning):
    """The journal's last line was cut short by a crash and was ignored."""


def fingerprint(ids: Any, labels: Any) -> str:
    """Hash of row ids and labels in row order: names the data a journal belongs to.

    Parameters
    ----------
    ids : sequence of int or str
        Row ids in row order.
    labels : sequence
        Original labels in row order (missing values allowed).

    Returns
    -------
    str
        32 hex characters. Same ids and labels in the same order (and of the same kinds:
        1 and "1" differ) give the same fingerprint, on any machine.
    """
    h = hashlib.sha256(b"dcml-fingerprint-1\0")
    ids = pd.Index(ids)
    if pd.api.types.is_integer_dtype(ids.dtype):
        h.update(b"int-ids\0")
        h.update(ids.to_numpy(dtype=np.int64).astype("<i8").tobytes())
    else:
        values = ids.to_numpy(dtype=object)
        h.update(b"str-ids\0")
        lengths = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
        h.update(lengths.astype("<i8").tobytes())
        h.update("".join(values).encode("utf-8", "surrogatepass"))
    labels = labels if isinstance(labels, pd.Series) else pd.Series(labels, copy=False)
    codes, uniques = pd.factorize(labels)  # first-appearance order: the same for any dtype
    tagged = [[type(native(u)).__name__, native(u)] for u in uniques]
    h.update(json.dumps(tagged, ensure_ascii=False, default=repr).encode("utf-8"))
    h.update(np.asarray(codes, dtype=np.int64).astype("<i8").tobytes())
    h.update(str(len(ids)).encode())
    return h.hexdigest()[:32]


def make_header(state: Any) -> dict:
    """The header line for ``state``'s journal.

    Parameters
    ----------
    state : DatasetState

    Returns
    -------
    dict
        ``format``, ``version``, ``label``, ``n_rows`` and ``fingerprint``; plus
        ``id_column`` when the ids came from a column, so a replay finds them again.
    """
    header = {
        "format": FORMAT,
        "version": VERSION,
        "label": state.label,
        "n_rows": state.n_rows,
        "fingerprint": state.fingerprint,
    }
    if state.id_column is not None:
        header["id_column"] = state.id_column
    return header


@dataclass
class JournalContents:
    """A journal file as read: the header, the group objects, and what was torn off.

    Attributes
    ----------
    header : dict or None
        None when the file is empty (or only held a torn header).
    records : list of dict
        One JSON object per complete group line.
    good_size : int
        Bytes up to the end of the last good line (where the next line goes).
    torn : int
        Bytes of a torn last line that were ignored (0 when the file is clean).
    """

    header: dict | None
    records: list = field(default_factory=list)
    good_size: int = 0
    torn: int = 0


def parse_journal(data: bytes, path: Any = "journal") -> JournalContents:
    """Split a journal's bytes into header and records, setting a torn last line aside.

    Raises
    ------
    ValueError
        If the file is not a dcml journal, is of a newer version, or a line other than the
        last is damaged (that is not what a crash does; the file was edited or corrupted).
    """
    lines = data.split(b"\n")
    tail = lines.pop()  # bytes after the last newline: b"" for a clean file
    parsed: list = []
    for i, line in enumerate(lines):
        try:
            parsed.append(json.loads(line.decode("utf-8")))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            if i == len(lines) - 1 and not tail:
                tail = line + b"\n"  # a damaged last line: treat as torn
                break
            raise ValueError(
                f"Journal {path} is damaged at line {i + 1} ({exc}); it is not a crash "
                "leftover. Restore it from a copy (state.save) or start a new journal."
            ) from None
    good = len(data) - len(tail)
    if not parsed:
        return JournalContents(None, [], 0, len(data))
    header = parsed[0]
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise ValueError(
            f"{path} is not a dcml journal (its first line is not a dcml-journal header); "
            "pass journal= a new path or an existing .jsonl journal."
        )
    if header.get("version") != VERSION:
        raise ValueError(
            f"Journal {path} has version {header.get('version')}, this dcml-widgets reads "
            f"version {VERSION}; upgrade dcml-widgets."
        )
    return JournalContents(header, parsed[1:], good, len(tail))


def read_journal(path: str | os.PathLike) -> JournalContents:
    """Read a journal without locking or changing it (a torn last line is reported, kept).

    Raises
    ------
    FileNotFoundError
        If there is no such file.
    ValueError
        If it is not a readable dcml journal.
    """
    contents = parse_journal(Path(path).read_bytes(), path)
    if contents.header is None:
        raise ValueError(f"Journal {path} is empty: it holds no header and no edits.")
    _warn_torn(path, contents.torn)
    return contents


def _warn_torn(path: Any, torn: int) -> None:
    if torn:
        warnings.warn(
            f"Journal {path}: ignored a torn last line ({torn} bytes), left by a crash while "
            "a command was being written; that command had not returned, so no acknowledged "
            "edit is lost.",
            TornJournalWarning,
            stacklevel=4,
        )


def check_header(header: dict, state: Any, path: Any) -> None:
    """Refuse a journal written for other data.

    Raises
    ------
    ValueError
        If the fingerprint, row count or label column differ.
    """
    if header.get("fingerprint") != state.fingerprint or header.get("n_rows") != state.n_rows:
        raise ValueError(
            f"Journal {path} was written for other data (fingerprint "
            f"{header.get('fingerprint')}, {header.get('n_rows')} rows; this data has "
            f"{state.fingerprint}, {state.n_rows} rows): pass journal= a new path, or load the "
            "data it was written for (with the same id_column= if ids came from a column)."
        )
    if header.get("label") != state.label:
        raise ValueError(
            f"Journal {path} edits label column {header.get('label')!r}, not "
            f"{state.label!r}; pass label={header.get('label')!r} or a new journal path."
        )


def replay_into(state: Any, records: list, path: Any) -> int:
    """Apply journal records to ``state`` (no events, no journaling); return how many.

    Raises
    ------
    ValueError
        Naming the line of the first record that does not follow from the state.
    """
    for i, record in enumerate(records):
        try:
            state._replay(decode_group(record, state.ids))
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(
                f"Journal {path} line {i + 2} cannot be replayed onto this data ({exc}); the "
                "journal is damaged or belongs to other data. Pass journal= a new path."
            ) from None
    return len(records)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_all(fd: int, data: bytes, offset: int) -> None:
    view = memoryview(data)
    while view:
        n = os.pwrite(fd, view, offset)
        view, offset = view[n:], offset + n


class Journal:
    """An open, locked journal file that command groups are appended to.

    Use :meth:`open`; :class:`~dcml_widgets.DatasetState` does this for ``journal=``.

    Attributes
    ----------
    path : Path
        The file.
    resumed : int
        Groups replayed from the file when it was opened.
    torn : int
        Bytes of a torn last line found (and cut off) when it was opened.
    """

    def __init__(self, path: Path, fd: int, size: int) -> None:
        self.path = path
        self._fd: int | None = fd
        self._size = size
        self.resumed = 0
        self.torn = 0
        self._finalizer = weakref.finalize(self, _release, fd)

    @classmethod
    def open(cls, path: str | os.PathLike, state: Any) -> Journal:
        """Open (creating if needed) and lock ``path``, and resume its edits into ``state``.

        Sets ``state.resumed_edits`` (groups replayed) and ``state.journal_torn`` (bytes of
        a torn last line that were ignored and cut off).

        Raises
        ------
        JournalLockedError
            If another open state holds the journal.
        ValueError
            If it belongs to other data, or is damaged beyond a torn last line.
        """
        path = Path(path).expanduser().absolute()
        if path.is_dir():
            raise ValueError(f"journal={str(path)!r} is a directory; pass a file path.")
        path.parent.mkdir(parents=True, exist_ok=True)
        created = not path.exists()
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise JournalLockedError(
                    f"Journal {path} is in use by another open DatasetState (in this or another "
                    "process). Close that one first (state.close(), or shut its kernel down), "
                    "or pass journal= a different path."
                ) from None
            raise
        journal = cls(path, fd, 0)
        try:
            journal._load(state, created)
        except BaseException:
            journal.close()
            raise
        return journal

    def _load(self, state: Any, created: bool) -> None:
        size = os.fstat(self._fd).st_size
        data = os.pread(self._fd, size, 0) if size else b""
        contents = parse_journal(data, self.path)
        self.torn = contents.torn
        if contents.header is None:  # new, empty, or only a torn header
            if contents.torn:
                _warn_torn(self.path, contents.torn)
            os.ftruncate(self._fd, 0)
            line = encode_line(make_header(state))
            _write_all(self._fd, line, 0)
            os.fsync(self._fd)
            if created:
                _fsync_dir(self.path.parent)
            self._size = len(line)
            state.journal_torn = contents.torn
            return
        check_header(contents.header, state, self.path)
        self.resumed = replay_into(state, contents.records, self.path)
        if contents.torn:
            _warn_torn(self.path, contents.torn)
            os.ftruncate(self._fd, contents.good_size)  # the next line must start clean
            os.fsync(self._fd)
        self._size = contents.good_size
        state.resumed_edits = self.resumed
        state.journal_torn = contents.torn

    def append(self, group: Any, state: Any) -> None:
        """Write one group's line, flush and fsync it; only then may the command apply.

        Raises
        ------
        ValueError
            If the group cannot be encoded (nothing is written then).
        OSError
            If the disk refuses; a partly written line is cut off again.
        """
        if self._fd is None:
            raise ValueError(f"Journal {self.path} is closed.")
        line = encode_line(encode_group(group, state.ids, state.class_table))
        try:
            _write_all(self._fd, line, self._size)
            os.fsync(self._fd)
        except BaseException:
            try:
                os.ftruncate(self._fd, self._size)
            except OSError:
                pass
            raise
        self._size += len(line)

    def close(self) -> None:
        """Release the lock and close the file (idempotent)."""
        if self._fd is not None:
            self._finalizer.detach()
            _release(self._fd)
            self._fd = None

    @property
    def closed(self) -> bool:
        """True once :meth:`close` was called."""
        return self._fd is None


def _release(fd: int) -> None:
    try:
        fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def write_journal_copy(state: Any, path: str | os.PathLike) -> Path:
    """Write a complete journal of ``state`` (header and every group) to ``path``.

    The file is written to a temporary name, fsynced, then moved into place, so ``path``
    is either the old file or the complete new one.

    Returns
    -------
    Path

    Raises
    ------
    ValueError
        If ``path`` is the state's live journal (it is complete already).
    """
    path = Path(path).expanduser().absolute()
    live = state.journal_path
    if live is not None and path.exists() and os.path.samefile(path, live):
        raise ValueError(
            f"{path} is this state's live journal, which is always complete; save to another path."
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    lines = [encode_line(make_header(state))]
    lines += [encode_line(encode_group(g, state.ids, state.class_table)) for g in state.log]
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        _write_all(fd, b"".join(lines), 0)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
    _fsync_dir(path.parent)
    return path
