"""The journal file: opened and locked, checked, resumed, appended to, durable per line.

Line 1 is a header (:mod:`.header`); then one line per command group (:mod:`.codec`),
written, flushed and fsynced before the command returns.

Crash safety: a line cut short by a crash or power cut (the last line, without its newline
or not valid JSON) belonged to a command that never returned; it is ignored, reported with a
:class:`~dcml_widgets.journal.records.TornJournalWarning` and cut off before anything new is
appended. The file is held with an OS lock (``fcntl.flock``) while it is open, so a second
process gets a clear :class:`JournalLockedError`, and a process that dies holds nothing.
"""

from __future__ import annotations

import errno
import fcntl
import os
import weakref
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from dcml_widgets.journal.codec import encode_line
from dcml_widgets.journal.header import check_header
from dcml_widgets.journal.records import parse_journal, replay, warn_torn


class JournalLockedError(RuntimeError):
    """The journal is held by another open state (in this or another process)."""


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
        Records replayed from the file when it was opened.
    torn : int
        Bytes of a torn last line found (and cut off) when it was opened.
    """

    def __init__(self, path: Path, fd: int) -> None:
        self.path = path
        self._fd: int | None = fd
        self._size = 0
        self.resumed = 0
        self.torn = 0
        self._finalizer = weakref.finalize(self, _release, fd)

    @classmethod
    def open(
        cls,
        path: str | os.PathLike,
        header: dict,
        apply: Callable[[dict], None],
    ) -> Journal:
        """Open (creating if needed) and lock ``path``, and resume its records.

        Parameters
        ----------
        path : str or Path
            The journal file.
        header : dict
            The header of the data at hand (:func:`~dcml_widgets.journal.header.make_header`):
            written to a new file, compared with an existing one's.
        apply : callable
            Called with each existing record in order (see
            :func:`~dcml_widgets.journal.records.replay`).

        Returns
        -------
        Journal

        Raises
        ------
        JournalLockedError
            If another open journal holds the file.
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
        journal = cls(path, fd)
        try:
            journal._load(header, apply, created)
        except BaseException:
            journal.close()
            raise
        return journal

    def _load(self, header: dict, apply: Callable[[dict], None], created: bool) -> None:
        assert self._fd is not None
        size = os.fstat(self._fd).st_size
        data = os.pread(self._fd, size, 0) if size else b""
        contents = parse_journal(data, self.path)
        self.torn = contents.torn
        if contents.header is None:  # new, empty, or only a torn header
            warn_torn(self.path, contents.torn)
            os.ftruncate(self._fd, 0)
            line = encode_line(header)
            _write_all(self._fd, line, 0)
            os.fsync(self._fd)
            if created:
                _fsync_dir(self.path.parent)
            self._size = len(line)
            return
        check_header(contents.header, header, self.path)
        self.resumed = replay(contents.records, apply, self.path)
        if contents.torn:
            warn_torn(self.path, contents.torn)
            os.ftruncate(self._fd, contents.good_size)  # the next line must start clean
            os.fsync(self._fd)
        self._size = contents.good_size

    def append(self, record: dict) -> None:
        """Write one record's line, flush and fsync it; only then may the command apply.

        Raises
        ------
        ValueError
            If the journal is closed, or the record cannot be encoded (nothing is written).
        OSError
            If the disk refuses; a partly written line is cut off again.
        """
        if self._fd is None:
            raise ValueError(f"Journal {self.path} is closed.")
        line = encode_line(record)
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


def write_journal_copy(
    path: str | os.PathLike, header: dict, records: Iterable[dict], *, live: Any = None
) -> Path:
    """Write a complete journal (``header`` and every record) to ``path``.

    The file is written to a temporary name, fsynced, then moved into place, so ``path``
    is either the old file or the complete new one.

    Parameters
    ----------
    path : str or Path
    header : dict
    records : iterable of dict
    live : str or Path, optional
        The live journal of the same data, which ``path`` must not be.

    Returns
    -------
    Path

    Raises
    ------
    ValueError
        If ``path`` is the live journal (it is complete already).
    """
    path = Path(path).expanduser().absolute()
    if live is not None and path.exists() and os.path.samefile(path, live):
        raise ValueError(
            f"{path} is this state's live journal, which is always complete; save to another path."
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    data = b"".join([encode_line(header), *(encode_line(r) for r in records)])
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        _write_all(fd, data, 0)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
    _fsync_dir(path.parent)
    return path
