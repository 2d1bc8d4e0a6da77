"""The analyses behind a dashboard: the UMAP layout arriving later, re-runs, their history.

Background threads only ever replace the state's report. "Is the report still the one this
work started from?" and the replacement are one step under one lock, so a layout that
finishes late never overwrites a re-run. A failure in a thread is reported through ``on_status``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from dcml_widgets.analysis.exclusions import excluded_ids
from dcml_widgets.state import DatasetState


def labels_for_rerun(state: DatasetState) -> tuple[pd.Series, list]:
    """Current labels and the excluded row ids, for ``analyze(..., exclude=ids)``.

    The excluded rows keep their labels: ``exclude=`` leaves them out of training and of
    the label checks, and, unlike a missing label, never makes them pool rows.

    Parameters
    ----------
    state : DatasetState

    Returns
    -------
    (pandas.Series, list)
        Labels (index = row ids; int labels become ``Int64`` when some are missing) and
        the excluded ids in row order.
    """
    # One consistent snapshot: an edit made meanwhile (from the browser) lands before or after.
    labels, mask = state.rows.snapshot()
    labels = labels.rename(state.label)
    if labels.isna().any() and pd.api.types.infer_dtype(labels, skipna=True) == "integer":
        labels = labels.astype("Int64")  # keeps int classes while allowing a missing value
    return labels, state.ids[np.asarray(mask, dtype=bool)].tolist()


class AnalysisRuns:
    """Follows pending UMAP layouts and runs re-analyses for one dashboard.

    Parameters
    ----------
    state : DatasetState
        Whose report is replaced.
    frame : pandas.DataFrame
        The frame the analysis sees, indexed by the row ids.
    options : dict
        Options passed to the analysis (as given to ``audit``).
    on_busy : callable
        Told what runs now (``""`` when nothing does).
    on_status : callable
        Told how a background run ended.
    on_layout_pending : callable
        Told whether a UMAP layout is still being computed.

    Attributes
    ----------
    history : list of AuditReport
        Reports replaced by a re-run, oldest first.
    """

    def __init__(
        self,
        state: DatasetState,
        *,
        frame: pd.DataFrame,
        options: dict,
        on_busy: Callable[[str], None],
        on_status: Callable[[str], None],
        on_layout_pending: Callable[[bool], None],
    ) -> None:
        self._state = state
        self._busy, self._status, self._layout_pending = on_busy, on_status, on_layout_pending
        self._frame = frame
        self._options = dict(options)
        self.history: list[Any] = []
        self._report_lock = threading.Lock()
        self._rerun_lock = threading.Lock()
        self._threads_lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        self._layouts_running = 0
        self._closed = False

    def _replace(self, expected: Any, report: Any) -> bool:
        """Show ``report`` if the state still shows ``expected``; True if it did."""
        with self._report_lock:
            if self._closed or report is expected or self._state.report is not expected:
                return False
            self._state.set_report(report)
            return True

    def _start(self, target: Callable[[], None], name: str) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)
        with self._threads_lock:
            self._threads = [t for t in self._threads if t.is_alive()]
            self._threads.append(thread)
        thread.start()

    def _count_layout(self, step: int) -> None:
        with self._threads_lock:
            self._layouts_running += step
            self._layout_pending(self._layouts_running > 0)

    def follow(self, pending: Any, *, first_look: Any = None) -> None:
        """Show ``pending``'s final report when its UMAP layout is ready, without blocking.

        Parameters
        ----------
        pending : PendingAnalysis
            ``pending.finish()`` runs in a background thread.
        first_look : AuditReport, optional
            The report the final one replaces (default ``pending.first_look``); if the state
            shows another by then (a re-run won), the final report is dropped.
        """
        first_look = pending.first_look if first_look is None else first_look
        if pending.done:
            self._replace(first_look, pending.finish())
            return
        self._count_layout(+1)

        def run() -> None:
            try:
                self._replace(first_look, pending.finish())
            except Exception as exc:  # the first look stays usable; say why nothing moved
                self._status(f"The UMAP layout failed ({exc}); the first layout stays.")
            finally:
                self._count_layout(-1)

        self._start(run, "dcml-layout")

    def rerun(self, *, wait: bool = True, progress: bool | None = None) -> Any:
        """Analyse the current labels again and show the result (see :meth:`Dashboard.rerun`)."""
        from dcml_widgets.analysis.pipeline import start_analysis

        if not self._rerun_lock.acquire(blocking=False):
            raise ValueError("A re-run is already in progress; wait for it to finish.")
        try:
            self._busy("Re-running the analysis…")
            frame = self._frame.copy()
            labels, excluded = labels_for_rerun(self._state)
            frame[self._state.label] = labels.set_axis(frame.index)
            options = dict(self._options)
            # Rows the audit itself was told to exclude stay excluded, with the state's.
            asked = excluded_ids(frame.index, options.get("exclude")) or []
            options["exclude"] = frame.index[frame.index.isin(asked + excluded)].tolist() or None
            if progress is not None:
                options["progress"] = progress
            pending = start_analysis(frame, self._state.label, **options)
            if wait and not pending.done:
                self._busy("Re-running the analysis: layout…")
            report = pending.finish() if wait or pending.done else pending.first_look
            with self._report_lock:
                previous = self._state.report
                self._state.set_report(report)
                self.history.append(previous)
            if not pending.done:
                self.follow(pending)
        finally:
            self._busy("")
            self._rerun_lock.release()
        return self._state.report

    def rerun_in_background(self) -> None:
        """Start :meth:`rerun` in a thread (the header's button); ``on_status`` says the end."""
        self._status("Re-running the analysis…")

        def run() -> None:
            try:
                # No progress bar from a thread (it would land in whatever cell runs): the
                # header's busy line says what happens instead.
                self.rerun(wait=False, progress=False)
            except Exception as exc:  # shown where the user clicked
                self._status(f"Re-run failed: {exc}")
            else:
                self._status("Re-ran the analysis on the current labels.")

        self._start(run, "dcml-rerun")

    def wait(self, timeout: float | None = None) -> None:
        """Block until every background layout and re-run is done.

        Parameters
        ----------
        timeout : float, optional
            Seconds to wait at most.

        Raises
        ------
        TimeoutError
            If the work did not finish in time.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:  # a re-run thread may start a layout thread: wait for those too
            with self._threads_lock:
                alive = [
                    t for t in self._threads if t.is_alive() and t is not threading.current_thread()
                ]
            if not alive:
                return
            left = None if deadline is None else max(deadline - time.monotonic(), 0.0)
            alive[0].join(left)
            if alive[0].is_alive():
                raise TimeoutError("The dashboard's background analysis is still running.")

    def close(self) -> None:
        """Stop replacing the state's report (work still running is dropped when it ends)."""
        with self._report_lock:
            self._closed = True
