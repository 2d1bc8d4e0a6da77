"""Planning and applying one edit group: which rows a command really changes, and the change."""

from __future__ import annotations

import numpy as np

from dcml_widgets.state.core import StateCore
from dcml_widgets.state.log import EditGroup
from dcml_widgets.state.store import differ


def changed_rows(
    core: StateCore, field: str, positions: np.ndarray, new: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """The rows whose ``field`` would really change to ``new``, in row order.

    Parameters
    ----------
    core : StateCore
    field : str
        ``label``, ``excluded``, ``reviewed`` or ``note``.
    positions : numpy.ndarray
        Row positions the command names (int64).
    new : numpy.ndarray
        New values aligned with ``positions`` (label codes, flags or note texts).

    Returns
    -------
    (positions, old, new) or None
        Only the rows that change, ascending; None when no row changes.
    """
    order = np.argsort(positions, kind="stable")
    positions, new = positions[order], new[order]
    current = core.values.get(field, positions)
    changed = differ(field, current, new)
    if not changed.any():
        return None
    if not changed.all():
        positions, current, new = positions[changed], current[changed], new[changed]
    return positions, current, new


def apply_group(core: StateCore, group: EditGroup) -> None:
    """Make ``group``'s new values the current ones (rows, the class table, a guideline)."""
    if group.field == "guideline":
        old, new = group.old[0], group.new[0]
        if new is None:
            core.guidelines.pop(old["class"], None)
        else:
            core.guidelines[new["class"]] = new
    elif group.field != "class":
        core.values.set(group.field, group.positions, group.new)
    elif group.new[0] is None:  # undoing add_class
        core.table.deactivate(group.old[0])
    else:
        core.table.activate(group.new[0])


def check_undoable(core: StateCore, target: EditGroup) -> None:
    """Refuse to undo adding a class while rows still carry it.

    Raises
    ------
    ValueError
        If ``target`` added a class that some row has now.
    """
    if target.field == "class" and target.new[0] is not None:
        name = target.new[0]
        code = core.table.code(name)
        if code is not None and (core.values.codes == code).any():
            raise ValueError(
                f"Cannot undo adding class {name!r}: rows still carry it. Relabel them first."
            )
