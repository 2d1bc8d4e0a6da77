"""The journal file: opened and locked, checked, resumed, appended to, durable per line.

Line 1 is a header (:mod:`.header`); then one line per command group (:mod:`.codec`),
written, flushed and fsynced before the command returns.

Who holds the file: an OS lock (``fcntl.flock``) while it is open, so another process gets a
clear :class:`JournalLockedError` and a process that dies holds nothing; within this process
the newest opener takes the file over and the earlier holder is superseded (:mod:`.holders`).
A torn last line is cut off; damage is refused, or with ``damage="truncate"`` the good
prefix is kept and the rest moved to ``<name>.damaged-<UTC>`` beside it (:mod:`.records`).
A failed write (a full disk, the file deleted under the kernel) raises before the command
applies, so nothing is visible that is not saved.
"""

from __future__ import annotations

import errno
import fcntl
import os
import threading
import time
import warnings
import weakref
from collections.abc import Callable
from pathlib import Path

from dcml_widgets.journal import holders
from dcml_widgets.journal.codec import encode_line
from dcml_widgets.journal.header import check_header, record_version
from dcml_widgets.journal.records import (
    JournalContents,
    JournalDamagedError,
    parse_journal,
    replay,
    warn_torn,
)

DAMAGE_MODES = ("raise", "truncate")


class JournalLockedError(RuntimeError):
    """The journal is held by another process (another kernel)."""


class JournalSupersededError(RuntimeError):
    """A newer opener in this process took the journal over; this holder saves nothing now."""


class JournalRepairedWarning(UserWarning):
    """A damaged journal was truncated to its good prefix; the rest was moved aside."""


def fsync_dir(path: Path) -> None:
    """fsync a folder, so a file created or renamed in it survives a power cut."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_all(fd: int, data: bytes, offset: int) -> None:
    """``pwrite`` all of ``data`` at ``offset`` (a short write continues)."""
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
    repaired : dict or None
        With ``damage="truncate"``: ``line`` (the first bad line), ``moved_to`` (the file the
        rest went to) and ``n_bytes``; None when the file was sound.
    superseded_by : str or None
        Who took the file over in this process (appends are refused from then on).
    version : int
        The format version of the file's header (1, or 2 once a record needs it).
    """

    def __init__(self, path: Path, fd: int, name: str) -> None:
        self.path = path
        self._fd: int | None = fd
        self._name = name
        self._size = 0
        self._header: dict = {}
        self._header_size = 0
        self._lock = threading.Lock()
        self._on_superseded: Callable[[], None] | None = None
        self.resumed = 0
        self.torn = 0
        self.repaired: dict | None = None
        self.superseded_by: str | None = None
        self.version = 1
        self._finalizer = weakref.finalize(self, _release, fd)

    @classmethod
    def open(
        cls,
        path: str | os.PathLike,
        header: dict,
        apply: Callable[[dict], None],
        *,
        damage: str = "raise",
        owner: str = "a newer holder",
        on_superseded: Callable[[], None] | None = None,
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
        damage : {"raise", "truncate"}
            What to do with a damaged file: refuse it, or keep its good prefix and move the
            rest to ``<name>.damaged-<UTC>``. A newer format version is always refused.
        owner : str
            Who opens it, as an earlier holder in this process is told when it is taken over.
        on_superseded : callable, optional
            Called (with no argument) if a later opener in this process takes the file over.

        Returns
        -------
        Journal

        Raises
        ------
        JournalLockedError
            If another process holds the file.
        JournalDamagedError
            If it is damaged (and ``damage="raise"``).
        JournalVersionError
            If a newer dcml-widgets wrote it.
        ValueError
            If it belongs to other data.
        """
        if damage not in DAMAGE_MODES:
            raise ValueError(f"journal_damage= must be one of {DAMAGE_MODES}, got {damage!r}.")
        path = Path(path).expanduser().absolute()
        if path.is_dir():
            raise ValueError(f"journal={str(path)!r} is a directory; pass a file path.")
        path.parent.mkdir(parents=True, exist_ok=True)
        name = holders.key(path)
        previous = holders.holder(name)
        if previous is not None:
            # Refuse before taking over, so a bad file never costs the holder its journal.
            _check_takeover(path, header, damage)
            previous.supersede(owner)
        created = not path.exists()
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise JournalLockedError(
                    f"Journal {path} is in use by another process (another kernel has it "
                    "open). Shut that kernel down or close its state (state.close()), pass "
                    "journal= a different path, or use journal='auto', which picks a free "
                    "sibling file."
                ) from None
            raise
        journal = cls(path, fd, name)
        try:
            journal._load(header, apply, created, damage)
        except BaseException:
            journal.close()
            raise
        journal._on_superseded = on_superseded
        holders.hold(name, journal)
        return journal

    def _load(self, header: dict, apply: Callable[[dict], None], created: bool, damage: str):
        fd = self._fd
        assert fd is not None
        size = os.fstat(fd).st_size
        data = os.pread(fd, size, 0) if size else b""
        try:
            contents = parse_journal(data, self.path)
        except JournalDamagedError as exc:
            if damage != "truncate":
                raise
            data = self._set_aside(data, exc)
            contents = parse_journal(data, self.path)
        self.torn = contents.torn
        if contents.header is None:  # new, empty, or only a torn (or bad) header
            warn_torn(self.path, contents.torn)
            os.ftruncate(fd, 0)
            line = encode_line(header)
            write_all(fd, line, 0)
            os.fsync(fd)
            if created:
                fsync_dir(self.path.parent)
            self._header, self._header_size, self._size = header, len(line), len(line)
            self.version = int(header["version"])
            return
        check_header(contents.header, header, self.path)
        self._header = contents.header
        self._header_size = data.index(b"\n") + 1
        self.version = int(contents.header["version"])
        try:
            self.resumed = replay(contents, apply, self.path)
        except JournalDamagedError as exc:
            if damage != "truncate":
                raise
            self.resumed = exc.line - 2  # the records before the bad one were applied
            contents = JournalContents(contents.header, good_size=exc.good_size)
            self._set_aside(data, exc)
        if contents.torn:
            warn_torn(self.path, contents.torn)
            os.ftruncate(fd, contents.good_size)  # the next line must start clean
            os.fsync(fd)
        self._size = contents.good_size

    def _set_aside(self, data: bytes, exc: JournalDamagedError) -> bytes:
        """Move everything from the first bad line on to a ``.damaged`` file; keep the rest."""
        fd = self._fd
        assert fd is not None
        stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
        aside = self.path.with_name(f"{self.path.name}.damaged-{stamp}")
        n = 2
        while aside.exists():
            aside = self.path.with_name(f"{self.path.name}.damaged-{stamp}-{n}")
            n += 1
        out = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        try:
            write_all(out, data[exc.good_size :], 0)
            os.fsync(out)
        finally:
            os.close(out)
        fsync_dir(self.path.parent)
        os.ftruncate(fd, exc.good_size)  # only once the rest is safely beside it
        os.fsync(fd)
        self.repaired = {
            "line": exc.line,
            "moved_to": str(aside),
            "n_bytes": len(data) - exc.good_size,
        }
        warnings.warn(
            f"Journal {self.path} was damaged at line {exc.line}: lines 1-{exc.line - 1} were "
            f"kept and the rest ({len(data) - exc.good_size} bytes) moved to {aside}.",
            JournalRepairedWarning,
            stacklevel=5,
        )
        return data[: exc.good_size]

    def append(self, record: dict) -> None:
        """Write one record's line, flush and fsync it; only then may the command apply.

        Raises
        ------
        JournalSupersededError
            If a newer opener in this process took the file over.
        ValueError
            If the journal is closed, or the record cannot be encoded (nothing is written).
        OSError
            If the disk refuses (a partly written line is cut off again), or the file was
            deleted while open (``FileNotFoundError``).
        """
        with self._lock:
            if self.superseded_by is not None:
                raise JournalSupersededError(
                    f"The journal {self.path} was taken over by {self.superseded_by}: an edit "
                    "here would no longer be saved, so it was refused. Edit there (re-running "
                    "a cell makes the newer one), or call state.close() to keep editing this "
                    "state in memory only."
                )
            fd = self._fd
            if fd is None:
                raise ValueError(f"Journal {self.path} is closed.")
            line = encode_line(record)
            needed = record_version(record)
            try:
                if needed > self.version:
                    self._upgrade(fd, needed)
                write_all(fd, line, self._size)
                os.fsync(fd)
            except OSError as exc:
                try:
                    os.ftruncate(fd, self._size)
                except OSError:
                    pass
                raise OSError(
                    exc.errno,
                    f"Could not write to the journal {self.path} ({exc.strerror}); the edit "
                    "was not made. Free some space, or save what you have with "
                    "state.save(<path elsewhere>).",
                ) from exc
            if os.fstat(fd).st_nlink == 0:
                raise FileNotFoundError(
                    errno.ENOENT,
                    f"The journal {self.path} was deleted while this kernel had it open, so "
                    "the edit was not made (it could not be saved). Save every edit so far "
                    "with state.save(<path>), then continue in a new state on that journal.",
                )
            self._size += len(line)

    def _upgrade(self, fd: int, version: int) -> None:
        """Rewrite the header with a newer format version (older readers then refuse it)."""
        header = {**self._header, "version": version}
        line = encode_line(header)
        if len(line) == self._header_size:
            write_all(fd, line, 0)  # one line of the same length: the digit changes
        else:
            rest = os.pread(fd, self._size - self._header_size, self._header_size)
            write_all(fd, line + rest, 0)
            self._size += len(line) - self._header_size
            os.ftruncate(fd, self._size)
        os.fsync(fd)
        self._header, self._header_size, self.version = header, len(line), version

    def supersede(self, by: str) -> None:
        """Let go of the file because ``by`` (in this process) takes it over.

        Later appends raise :class:`JournalSupersededError` naming ``by``.
        """
        with self._lock:
            if self._fd is None:
                return
            self.superseded_by = by
            self._close_fd()
        if self._on_superseded is not None:
            self._on_superseded()

    def close(self) -> None:
        """Release the lock and close the file (idempotent)."""
        with self._lock:
            self._close_fd()

    def _close_fd(self) -> None:
        if self._fd is not None:
            self._finalizer.detach()
            _release(self._fd)
            self._fd = None
            holders.release(self._name, self)

    @property
    def closed(self) -> bool:
        """True once the file was let go (closed or taken over)."""
        return self._fd is None


def _check_takeover(path: Path, header: dict, damage: str) -> None:
    """Read ``path`` without its lock and refuse what :meth:`Journal.open` would refuse."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return
    try:
        contents = parse_journal(data, path)
    except JournalDamagedError:
        if damage != "truncate":
            raise
        return
    if contents.header is not None:
        check_header(contents.header, header, path)


def _release(fd: int) -> None:
    try:
        fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
