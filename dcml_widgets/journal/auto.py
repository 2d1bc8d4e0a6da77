"""``journal="auto"``: one journal per dataset in ``./.dcml``, and a free sibling when another
kernel has it open."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from dcml_widgets.journal.file import Journal, JournalLockedError

#: Folder (relative to the working directory) where ``journal="auto"`` keeps its journals.
AUTO_DIR = ".dcml"
#: Siblings tried at most before giving up (each is a kernel with the same data open).
MAX_SIBLINGS = 50


@dataclass(frozen=True)
class AutoChoice:
    """Which file ``journal="auto"`` opened, and why.

    Attributes
    ----------
    path : Path
        The journal opened.
    busy : tuple of Path
        Files of this data tried first and found open in another kernel.
    siblings : tuple of (Path, int)
        Every other journal of this data in the folder, with its number of edit groups.
    """

    path: Path
    busy: tuple[Path, ...]
    siblings: tuple[tuple[Path, int], ...]

    @property
    def reason(self) -> str:
        """One line for the header: where edits go, and why there ("" for the first file)."""
        if not self.busy:
            return ""
        return (
            "The journal of this data is open in another kernel; edits here go to "
            f"{self.path.name}."
        )


def candidates(folder: Path, fingerprint: str) -> list[Path]:
    """``<fp>.jsonl``, ``<fp>-2.jsonl``, … in the order ``journal="auto"`` tries them."""
    return [folder / f"{fingerprint}.jsonl"] + [
        folder / f"{fingerprint}-{i}.jsonl" for i in range(2, MAX_SIBLINGS + 1)
    ]


def edit_groups(path: Path) -> int:
    """Number of edit groups (complete lines after the header) in a journal file."""
    try:
        data = path.read_bytes()
    except OSError:
        return 0
    return max(data.count(b"\n") - 1, 0)


def open_auto(
    fingerprint: str,
    open_path: Callable[[Path], Journal],
    folder: str | os.PathLike = AUTO_DIR,
) -> tuple[Journal, AutoChoice]:
    """Open the first journal of this data that no other kernel holds.

    In this process a file is taken over (see :mod:`.holders`); a file another process
    holds is skipped for the next sibling.

    Parameters
    ----------
    fingerprint : str
        The data's fingerprint (names the files).
    open_path : callable
        Opens one candidate (``Journal.open`` with everything but the path).
    folder : str or Path
        Where the journals live.

    Returns
    -------
    (Journal, AutoChoice)

    Raises
    ------
    JournalLockedError
        If every one of :data:`MAX_SIBLINGS` files is held by another process.
    """
    folder = Path(folder)
    busy: list[Path] = []
    for path in candidates(folder, fingerprint):
        try:
            journal = open_path(path)
        except JournalLockedError:
            busy.append(path)
            continue
        others = sorted(p for p in folder.glob(f"{fingerprint}*.jsonl") if p.name != path.name)
        siblings = tuple((p, edit_groups(p)) for p in others)
        return journal, AutoChoice(journal.path, tuple(busy), siblings)
    raise JournalLockedError(
        f"All {MAX_SIBLINGS} journals of this data in {folder} are open in other kernels; "
        "close some, or pass journal= a path."
    )
