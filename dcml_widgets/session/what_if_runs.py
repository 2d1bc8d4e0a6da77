"""The dashboard's what-if: the projection in a background thread, and applying one row."""

from __future__ import annotations

import threading
from typing import Any

import pandas as pd

from dcml_widgets.loop.interventions import DESCRIPTIONS, Intervention
from dcml_widgets.loop.projecting import project
from dcml_widgets.state import DatasetState
from dcml_widgets.views.dashboard.whatif_panel import WhatIfView, projection_rows


class WhatIfRuns:
    """Runs ``dw.what_if`` for one dashboard without blocking the kernel; applies a row.

    The thread only writes the view's traits (progress, rows, status); applying a row is
    one state command (source ``user``, reason ``what-if: <name>``), so one undo step.

    Parameters
    ----------
    state : DatasetState
    view : WhatIfView
    test : pandas.DataFrame, optional
        Trusted test rows the projection scores on.
    """

    def __init__(
        self, state: DatasetState, view: WhatIfView, *, test: pd.DataFrame | None = None
    ) -> None:
        self._state, self._view, self._test = state, view, test
        self._plans: dict[str, Intervention] = {}
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self.table: pd.DataFrame | None = None
        view.connect(self.start, self.apply)

    def start(self) -> None:
        """Start a projection in a background thread (refused while one runs).

        Raises
        ------
        ValueError
            If a projection is already running.
        """
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                raise ValueError("A what-if projection is already running.")
            self._view.busy = True
            self._view.status = ""
            self._thread = threading.Thread(target=self._run, name="dcml-what-if", daemon=True)
            self._thread.start()

    def _progress(self, done: int, total: int, name: str) -> None:
        self._view.progress = {"done": done, "total": total, "name": name}

    def _run(self) -> None:
        view = self._view
        try:
            log_length = len(self._state.log)
            table, plans = project(self._state, test=self._test, on_progress=self._progress)
            self._plans, self.table = plans, table
            titles = {name: plan.detail or DESCRIPTIONS[name] for name, plan in plans.items()}
            view.show(projection_rows(table, titles), log_length=log_length)
            where = "on the test set" if self._test is not None else "out-of-sample, optimistic"
            view.status = f"Projected {len(table)} interventions ({where})."
        except Exception as exc:  # shown where the user clicked; the state is untouched
            view.status = f"What-if failed: {exc}"
        finally:
            view.progress = {}
            view.busy = False

    def wait(self, timeout: float | None = None) -> pd.DataFrame | None:
        """Block until the running projection ends; return its table (None if none ran).

        Raises
        ------
        TimeoutError
            If it is still running after ``timeout`` seconds.
        """
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
            if thread.is_alive():
                raise TimeoutError("The what-if projection is still running.")
        return self.table

    def apply(self, name: str) -> Any:
        """Apply the projected row ``name`` to the state as one command.

        Raises
        ------
        KeyError
            If no projection holds ``name``.
        ValueError
            If that row touches no row.
        """
        plan = self._plans.get(name)
        if plan is None:
            raise KeyError(f"No projected intervention named {name!r}; project first.")
        plan.apply(self._state, source="user")
        self._view.status = f"Applied {name} ({plan.n_rows} rows): undo reverts it."
