"""What-if panel: each candidate intervention's projected effect as a bar chart, with a
button per row that applies it as one ordinary command."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

import pandas as pd
import traitlets

from dcml_widgets.state import Change, DatasetState
from dcml_widgets.values import json_number
from dcml_widgets.views._base import StateView


def projection_rows(table: pd.DataFrame, titles: dict[str, str]) -> list[dict]:
    """A ``dw.what_if`` table as JSON-safe dicts, in its order (best first).

    Parameters
    ----------
    table : pandas.DataFrame
        As returned by :func:`dcml_widgets.what_if`.
    titles : dict
        Plain-text description per intervention name.

    Returns
    -------
    list of dict
        ``intervention, title, n_rows, accuracy_after, accuracy_delta, macro_f1_after,
        macro_f1_delta, on_test, optimistic``.
    """
    rows = []
    for name, row in table.iterrows():
        rows.append(
            {
                "intervention": str(name),
                "title": str(titles.get(str(name), name)),
                "n_rows": int(row["n_rows"]),
                "accuracy_after": json_number(row["accuracy_after"]),
                "accuracy_delta": json_number(row["accuracy_delta"]),
                "macro_f1_after": json_number(row["macro_f1_after"]),
                "macro_f1_delta": json_number(row["macro_f1_delta"]),
                "on_test": bool(row["on_test"]),
                "optimistic": bool(row["optimistic"]),
            }
        )
    return rows


class WhatIfView(StateView):
    """The what-if chart: a compute button, progress, one bar per intervention, apply buttons.

    It only shows what it is given and forwards intents: ``compute`` and ``apply`` go to
    the callbacks set with :meth:`connect` (the dashboard runs the projection in a
    background thread and applies a row as an ordinary command).

    Parameters
    ----------
    state : DatasetState
    """

    _bundle = "whatif"
    _messages: ClassVar[dict[str, str]] = {
        "compute": "_msg_compute",
        "apply": "_msg_apply",
    }
    """Browser message types this view accepts, and the method that handles each."""

    rows: traitlets.List[Any] = traitlets.List(
        help="One dict per intervention, best projected accuracy change first (see "
        ":func:`projection_rows`)."
    ).tag(sync=True)
    busy = traitlets.Bool(False, help="True while the projection runs.").tag(sync=True)
    progress = traitlets.Dict(
        help="While busy: done and total interventions and the name of the one measured now."
    ).tag(sync=True)
    status = traitlets.Unicode("", help="How the last projection or apply ended.").tag(sync=True)
    edits_since = traitlets.Int(
        0, help="Edit groups made since the rows were projected (rows are stale when > 0)."
    ).tag(sync=True)

    def __init__(self, state: DatasetState, **kwargs: Any) -> None:
        self._on_compute: Callable[[], Any] | None = None
        self._on_apply: Callable[[str], Any] | None = None
        self._projected_at: int | None = None
        super().__init__(state, **kwargs)

    def connect(self, on_compute: Callable[[], Any], on_apply: Callable[[str], Any]) -> None:
        """Set what the compute and apply buttons do.

        Parameters
        ----------
        on_compute : callable
            Starts a projection (no arguments).
        on_apply : callable
            Applies the row named by its one argument (an intervention name).
        """
        self._on_compute, self._on_apply = on_compute, on_apply

    def show(self, rows: list[dict], *, log_length: int) -> None:
        """Show projected rows made when the log had ``log_length`` groups.

        Parameters
        ----------
        rows : list of dict
        log_length : int
            ``len(state.log)`` the projection started from.
        """
        self._projected_at = int(log_length)
        self.rows = rows
        self._update_edits_since()

    def _state_changed(self, change: Change) -> None:
        if change.field in ("label", "excluded", "reviewed", "note", "class", "guideline"):
            self._update_edits_since()

    def _update_edits_since(self) -> None:
        if self._projected_at is not None:
            self.edits_since = max(len(self.state.log) - self._projected_at, 0)

    def _msg_compute(self, content: dict, buffers: list) -> None:
        if self.busy:
            raise ValueError("A what-if projection is already running.")
        if self._on_compute is None:
            raise ValueError("This view is not connected to a dashboard.")
        self._on_compute()

    def _msg_apply(self, content: dict, buffers: list) -> None:
        name = content.get("intervention")
        if not isinstance(name, str):
            raise TypeError("apply needs the intervention's name (str).")
        if name not in {row["intervention"] for row in self.rows}:
            raise ValueError(f"There is no projected intervention {name[:60]!r}.")
        if self.busy:
            raise ValueError("Wait for the projection to finish before applying a row.")
        if self.edits_since:
            raise ValueError(
                "The labels changed since this projection; project again before applying."
            )
        if self._on_apply is None:
            raise ValueError("This view is not connected to a dashboard.")
        self._on_apply(name)
