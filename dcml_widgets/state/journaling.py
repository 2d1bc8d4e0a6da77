"""Which journal a state writes to (a path, or ``"auto"``), and what it says about it."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from dcml_widgets.journal.auto import AutoChoice, open_auto
from dcml_widgets.journal.file import Journal


def open_journal(
    spec: Any,
    header: dict,
    apply: Callable[[dict], None],
    *,
    damage: str,
    on_superseded: Callable[[], None],
) -> tuple[Journal, AutoChoice | None]:
    """Open the journal ``spec`` names for a state, resuming its records with ``apply``.

    Parameters
    ----------
    spec : "auto", str or Path
        ``"auto"``: ``./.dcml/<fingerprint>.jsonl``, or the first sibling no other kernel
        holds. A path names the file.
    header : dict
        The state's journal header.
    apply : callable
        Replays one record into the state.
    damage : {"raise", "truncate"}
        What to do with a damaged file (see :meth:`Journal.open`).
    on_superseded : callable
        Called when a later state in this process takes the file over.

    Returns
    -------
    (Journal, AutoChoice or None)

    Raises
    ------
    TypeError
        If ``spec`` is neither "auto" nor a path.
    """
    owner = f"a newer DatasetState made at {time.strftime('%H:%M:%S')} in this kernel"

    def open_path(path: Path) -> Journal:
        return Journal.open(
            path, header, apply, damage=damage, owner=owner, on_superseded=on_superseded
        )

    if isinstance(spec, str) and spec == "auto":
        return open_auto(header["fingerprint"], open_path)
    if isinstance(spec, (str, os.PathLike)):
        return open_path(Path(spec)), None
    raise TypeError(f'journal= must be "auto", a path or None, got {type(spec).__name__}.')


def journal_status(journal: Journal | None, auto: AutoChoice | None) -> dict:
    """What the state's journal is doing, as plain values (the dashboard's header shows it).

    Parameters
    ----------
    journal : Journal or None
    auto : AutoChoice or None

    Returns
    -------
    dict
        ``path`` (str or None: in memory only), ``resumed`` and ``torn`` (from opening),
        ``repaired`` (dict or None), ``superseded_by`` (str or None), ``note`` (why this
        file, for ``"auto"``; ``""`` otherwise), ``siblings`` (``[name, edit groups]`` pairs).
    """
    if journal is None:
        return {
            "path": None,
            "resumed": 0,
            "torn": 0,
            "repaired": None,
            "superseded_by": None,
            "note": "",
            "siblings": [],
        }
    return {
        "path": str(journal.path),
        "resumed": journal.resumed,
        "torn": journal.torn,
        "repaired": journal.repaired,
        "superseded_by": journal.superseded_by,
        "note": "" if auto is None else auto.reason,
        "siblings": [] if auto is None else [[p.name, n] for p, n in auto.siblings],
    }
