"""Which journal files this process holds, so a newer holder of the same file takes it over.

An OS lock (``flock``) keeps other processes out, but it cannot tell "another kernel" from
"an earlier cell of this kernel": both see the file as locked. Re-running a cell is the most
ordinary thing a notebook user does, so within one process the newest opener wins and the
earlier holder is superseded (it refuses further edits rather than lose them).
"""

from __future__ import annotations

import os
import threading
import weakref
from pathlib import Path
from typing import Any

_held: dict[str, weakref.ref] = {}
_lock = threading.Lock()


def key(path: Path) -> str:
    """The registry key of ``path``: its real path (links and ``..`` resolved)."""
    return os.path.realpath(path)


def holder(name: str) -> Any:
    """The open journal of this process on file ``name`` (a :func:`key`), or None."""
    with _lock:
        ref = _held.get(name)
        journal = None if ref is None else ref()
        if journal is None or journal.closed:
            _held.pop(name, None)
            return None
        return journal


def hold(name: str, journal: Any) -> None:
    """Record that ``journal`` holds file ``name`` now."""
    with _lock:
        _held[name] = weakref.ref(journal)


def release(name: str, journal: Any) -> None:
    """Forget ``journal`` as the holder of ``name`` (if it still is)."""
    with _lock:
        ref = _held.get(name)
        if ref is not None and ref() in (None, journal):
            del _held[name]
