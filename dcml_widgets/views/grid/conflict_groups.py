"""The grid's conflict-group messages: show a row's group, resolve a whole group at once.

A conflict group (``report.issues["conflict_group"]``) is rows alike in the model matrix
whose given labels differ. ``show_group`` selects the group of a row (every view shows it);
``resolve_group`` gives all its rows not excluded one label in one command (an aligned
``state.relabel(ids, labels)``: one undo step, source ``bulk``).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from dcml_widgets.state import DatasetState


def group_members(state: DatasetState, row_id: Any) -> pd.Index:
    """The ids of the conflict group ``row_id`` belongs to.

    Parameters
    ----------
    state : DatasetState
    row_id : int or str

    Returns
    -------
    pandas.Index

    Raises
    ------
    KeyError
        Unknown row id.
    ValueError
        The report has no conflict groups, or the row is in none.
    """
    report = state.report
    if not isinstance(row_id, (int, str)) or isinstance(row_id, bool):
        raise TypeError("A conflict-group message needs 'id': a row id (int or str).")
    position = int(state.rows.positions([row_id])[0])  # KeyError names an unknown row
    if report is None or "conflict_group" not in report.issues.columns:
        raise ValueError("This report has no conflict groups (conflicting_label not assessed).")
    groups = report.issues["conflict_group"].to_numpy()
    group = int(groups[position])
    if group < 0:
        raise ValueError(f"Row {row_id!r} is in no conflict group.")
    return report.ids[groups == group]


class ConflictGroupMessages:
    """Message handlers the grid mixes in (its ``_messages`` table names them)."""

    state: DatasetState

    def _msg_show_group(self, content: dict, buffers: list) -> None:
        self.state.select(group_members(self.state, content.get("id")))

    def _msg_resolve_group(self, content: dict, buffers: list) -> None:
        state = self.state
        members = group_members(state, content.get("id"))
        label = content.get("label")
        if isinstance(label, bool) or label not in state.classes:
            raise ValueError(f"Unknown class {label!r}; classes are {state.classes[:20]}.")
        keep = ~state.excluded.loc[members].to_numpy(dtype=bool)
        ids = list(members[keep])
        if not ids:
            raise ValueError("Every row of this group is excluded: restore one first.")
        state.relabel(ids, [label] * len(ids), source="bulk")
