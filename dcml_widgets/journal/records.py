"""Reading a journal: its header and records, a torn last line set aside, replay by line."""

from __future__ import annotations

import json
import os
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dcml_widgets.journal.header import FORMAT, VERSION


class TornJournalWarning(UserWarning):
    """The journal's last line was cut short by a crash and was ignored."""


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


def replay(records: list, apply: Callable[[dict], None], path: Any) -> int:
    """Call ``apply(record)`` for each record in order; return how many.

    Parameters
    ----------
    records : list of dict
        The journal's group records (line 2 onwards).
    apply : callable
        Applies one record; raises ValueError, KeyError or TypeError when the record does
        not follow from what was applied before.
    path : str or Path
        The journal (named in the error).

    Raises
    ------
    ValueError
        Naming the line of the first record that does not follow.
    """
    for i, record in enumerate(records):
        try:
            apply(record)
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(
                f"Journal {path} line {i + 2} cannot be replayed onto this data ({exc}); the "
                "journal is damaged or belongs to other data. Pass journal= a new path."
            ) from None
    return len(records)
