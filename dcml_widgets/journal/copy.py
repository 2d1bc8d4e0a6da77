"""A complete copy of a journal, written so the target is always whole."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from dcml_widgets.journal.codec import encode_line
from dcml_widgets.journal.file import fsync_dir, write_all
from dcml_widgets.journal.header import record_version


def write_journal_copy(
    path: str | os.PathLike, header: dict, records: Iterable[dict], *, live: Any = None
) -> Path:
    """Write a complete journal (``header`` and every record) to ``path``.

    The file is written to a temporary name, fsynced, then moved into place, so ``path``
    is either the old file or the complete new one. The header gets the format version the
    records need.

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
    records = list(records)
    version = max([int(header["version"]), *(record_version(r) for r in records)])
    lines = [encode_line({**header, "version": version}), *(encode_line(r) for r in records)]
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        write_all(fd, b"".join(lines), 0)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
    fsync_dir(path.parent)
    return path
