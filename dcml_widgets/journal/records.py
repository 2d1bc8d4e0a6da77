"""Reading a journal: its header and records, a torn last line set aside, replay by line.

Three things can be wrong with a journal, and each is told apart:

- a torn last line (a crash while a command was being written): ignored with a
  :class:`TornJournalWarning`, since that command never returned;
- damage (a garbled line before the last, a bad header, a record that does not follow from
  the ones before): :class:`JournalDamagedError`, naming the file and the line, with the size
  of the good prefix so a caller may keep it;
- a version this package cannot read: :class:`JournalVersionError`, never treated as damage.
"""

from __future__ import annotations

import json
import os
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dcml_widgets.journal.header import FORMAT, READABLE_VERSIONS


class TornJournalWarning(UserWarning):
    """The journal's last line was cut short by a crash and was ignored."""


class JournalDamagedError(ValueError):
    """A journal line other than a torn last one cannot be read or replayed.

    Attributes
    ----------
    path : str
        The journal.
    line : int
        The first bad line (1 = the header).
    good_size : int
        Bytes of the good prefix (every line before ``line``).
    """

    def __init__(self, message: str, *, path: Any, line: int, good_size: int) -> None:
        super().__init__(message)
        self.path = str(path)
        self.line = line
        self.good_size = good_size


class JournalVersionError(ValueError):
    """The journal was written by a newer dcml-widgets (a format version this one cannot read)."""


def damaged(path: Any, line: int, good_size: int, what: str) -> JournalDamagedError:
    """The error for damage at ``line``, saying how to keep the good prefix."""
    keep = (
        "move the whole file to a .damaged file beside it and start a new journal"
        if line == 1
        else f"keep lines 1-{line - 1} and move the rest to a .damaged file beside it"
    )
    return JournalDamagedError(
        f"Journal {path} is damaged at line {line}: {what}. That is not what a crash leaves "
        f"(only a torn last line is). Pass journal_damage='truncate' to {keep}, restore the "
        "file from a copy (state.save), or pass journal= a new path.",
        path=path,
        line=line,
        good_size=good_size,
    )


@dataclass
class JournalContents:
    """A journal file as read: the header, the group objects, and what was torn off.

    Attributes
    ----------
    header : dict or None
        None when the file is empty (or only held a torn header).
    records : list of dict
        One JSON object per complete group line.
    offsets : list of int
        Byte offset of each record's line (``records[i]`` starts at ``offsets[i]``).
    good_size : int
        Bytes up to the end of the last good line (where the next line goes).
    torn : int
        Bytes of a torn last line that were ignored (0 when the file is clean).
    """

    header: dict | None
    records: list = field(default_factory=list)
    offsets: list = field(default_factory=list)
    good_size: int = 0
    torn: int = 0


def parse_journal(data: bytes, path: Any = "journal") -> JournalContents:
    """Split a journal's bytes into header and records, setting a torn last line aside.

    Raises
    ------
    JournalDamagedError
        If the header is not a dcml journal header, or a line other than the last cannot be
        read (that is not what a crash does; the file was edited or corrupted).
    JournalVersionError
        If the header names a format version this package cannot read.
    """
    lines = data.split(b"\n")
    tail = lines.pop()  # bytes after the last newline: b"" for a clean file
    parsed: list = []
    offsets: list[int] = []
    offset = 0
    for i, line in enumerate(lines):
        try:
            parsed.append(json.loads(line.decode("utf-8")))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            if i == len(lines) - 1 and not tail:
                tail = line + b"\n"  # a damaged last line: treat as torn
                break
            raise damaged(path, i + 1, offset, f"not a JSON line ({exc})") from None
        offsets.append(offset)
        offset += len(line) + 1
    good = len(data) - len(tail)
    if not parsed:
        return JournalContents(None, [], [], 0, len(data))
    header = parsed[0]
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise damaged(path, 1, 0, "it is not a dcml journal (line 1 is no dcml-journal header)")
    if header.get("version") not in READABLE_VERSIONS:
        raise JournalVersionError(
            f"Journal {path} has format version {header.get('version')!r}; this dcml-widgets "
            f"reads versions {list(READABLE_VERSIONS)}. Upgrade dcml-widgets to open it (the "
            "file is left as it is)."
        )
    return JournalContents(header, parsed[1:], offsets[1:], good, len(tail))


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
    warn_torn(path, contents.torn)
    return contents


def warn_torn(path: Any, torn: int) -> None:
    """Warn (:class:`TornJournalWarning`) that ``torn`` bytes of a last line were ignored."""
    if torn:
        warnings.warn(
            f"Journal {path}: ignored a torn last line ({torn} bytes), left by a crash while "
            "a command was being written; that command had not returned, so no acknowledged "
            "edit is lost.",
            TornJournalWarning,
            stacklevel=4,
        )


def replay(contents: JournalContents, apply: Callable[[dict], None], path: Any) -> int:
    """Call ``apply(record)`` for each record in order; return how many.

    Parameters
    ----------
    contents : JournalContents
        The journal as read.
    apply : callable
        Applies one record; raises ValueError, KeyError or TypeError when the record does
        not follow from what was applied before.
    path : str or Path
        The journal (named in the error).

    Raises
    ------
    JournalDamagedError
        Naming the line of the first record that does not follow (every record before it
        has been applied).
    """
    for i, record in enumerate(contents.records):
        try:
            apply(record)
        except (ValueError, KeyError, TypeError) as exc:
            raise damaged(
                path, i + 2, contents.offsets[i], f"it cannot be replayed onto this data ({exc})"
            ) from None
    return len(contents.records)
