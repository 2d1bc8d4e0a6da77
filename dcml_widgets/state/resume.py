"""A journal record turned back into the edit group it was written from, checked against the
state it must follow from."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from dcml_widgets.journal.codec import decode_group
from dcml_widgets.state.core import StateCore
from dcml_widgets.state.edits import apply_group
from dcml_widgets.state.log import FIELDS, SOURCES, EditGroup


def replay_record(core: StateCore, record: Any, locate: Any) -> EditGroup:
    """Apply one journal record to ``core`` silently (no event, not journaled again).

    Parameters
    ----------
    core : StateCore
    record : object
        One parsed journal line.
    locate : callable
        Row positions of a list of ids (``Rows.positions``).

    Returns
    -------
    EditGroup
        The group appended to the log.

    Raises
    ------
    ValueError
        If the record is malformed or does not follow from the state.
    """
    args = group_values(decode_group(record, core.n_rows, locate), core)
    when = args.pop("when")
    group = core.log.next_group(**args, when=when)
    apply_group(core, group)
    core.log.append(group)
    return group


def group_values(record: dict, core: StateCore) -> dict:
    """The arguments of the edit group that ``record`` (decoded by
    :func:`~dcml_widgets.journal.codec.decode_group`) describes, checked against ``core``.

    Classes the record names that a report brought in (but no command added) are activated.

    Parameters
    ----------
    record : dict
        A decoded journal record.
    core : StateCore
        The state so far (every earlier record applied).

    Returns
    -------
    dict
        ``field, positions, old, new, source, reason, undoes, when, author``.

    Raises
    ------
    ValueError
        If the record does not follow from the state (a corrupt or foreign journal): its
        group number, its old values or its undo/redo target disagree.
    """
    log = core.log
    group, field, source = record["group"], record["field"], record["source"]
    if group != len(log):
        raise ValueError(f"expected group {len(log)} next, found group {group}")
    if field not in FIELDS or source not in SOURCES:
        raise ValueError(f"unknown field {field!r} or source {source!r}")
    undoes = record.get("undoes")
    done, undone = log.undo_target, log.redo_target
    if source == "undo" and (done is None or done.group != undoes):
        raise ValueError(f"group {group} undoes group {undoes}, which is not the last done")
    if source == "redo" and (undone is None or undone.group != undoes):
        raise ValueError(f"group {group} redoes group {undoes}, which is not the last undone")
    positions = np.asarray(record["positions"], dtype=np.int64)
    old, new = record["old"], record["new"]
    if field == "class":
        name = new[0] if new[0] is not None else old[0]
        if (new[0] is not None) == core.table.is_active(name):
            raise ValueError(f"group {group} adds or removes class {name!r} out of turn")
    elif field == "guideline":
        name = (new[0] if new[0] is not None else old[0])["class"]
        if not core.table.is_active(name):  # a class that a report brought in
            core.table.activate(name)
        if core.guidelines.get(name) != old[0]:
            raise ValueError(f"group {group}'s old guideline of {name!r} differs from the state's")
    else:
        old, new = _column_of(core, field, old), _column_of(core, field, new)
        current = core.values.get(field, positions)
        same = (
            all(a == b for a, b in zip(current, old, strict=True))
            if field == "note"
            else np.array_equal(current, old)
        )
        if not same:
            raise ValueError(f"group {group}'s old values differ from the rows' values")
    return {
        "field": field,
        "positions": positions,
        "old": old,
        "new": new,
        "source": source,
        "reason": record.get("reason"),
        "undoes": undoes,
        "when": record["time"],
        "author": record.get("author"),
    }


def _column_of(core: StateCore, field: str, column: tuple[np.ndarray, np.ndarray]) -> Any:
    """Per-row values (as the log stores them) from distinct JSON values + an index."""
    values, index = column
    if field == "label":
        table = core.table
        codes = table.codes_of(values)
        unknown = (codes < 0) & ~pd.isna(values)
        for value in values[unknown]:  # a class that a report brought in
            table.activate(value)
        if unknown.any():
            codes = table.codes_of(values)
        return codes[index]
    if field in ("excluded", "reviewed"):
        return values.astype(bool)[index]
    return values[index]
