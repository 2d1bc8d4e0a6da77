"""Dashboard: one audit's views with the loop around them — measure, re-run, export."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from dcml_widgets.session import exports
from dcml_widgets.session.dashboard_exports import DashboardExports
from dcml_widgets.session.measuring import measure
from dcml_widgets.session.runs import AnalysisRuns
from dcml_widgets.session.what_if_runs import WhatIfRuns
from dcml_widgets.state import DatasetState
from dcml_widgets.views.dashboard.layout import DashboardView

MEMORY_ONLY_WARNING = (
    "journal=None: edits live in memory only and are lost when the kernel stops. Export them "
    "(dash.export_csv(...), dash.state.save(path)) or audit with journal='auto'."
)
SUPERSEDED_WARNING = (
    "A newer audit of the same data in this kernel took over the journal, so this dashboard "
    "refuses edits (they would not be saved). Use the newer dashboard."
)


class Dashboard(DashboardExports, DashboardView):
    """One audit: every view of a :class:`~dcml_widgets.DatasetState`, and the loop around it.

    The views (see :class:`~dcml_widgets.views.dashboard.layout.DashboardView`) show and
    edit the state; this adds what the front door orchestrates: :meth:`measure`,
    :meth:`rerun` and the UMAP layout arriving later, exports, the journal. Usually made by
    :func:`dcml_widgets.audit`.

    Parameters
    ----------
    state : DatasetState
        Must hold a report (``state.report``).
    test : pandas.DataFrame, optional
        Trusted test rows (same columns, label included) that :meth:`measure` scores on.
    analyze_options : dict, optional
        Options :meth:`rerun` passes to the analysis (as given to ``audit``).
    analysis_frame : pandas.DataFrame, optional
        The frame the analysis sees (indexed by the row ids); defaults to ``state.frame``.
    journal_warning : str, optional
        Shown in the header instead of the journal path (e.g. edits live in memory only).

    Raises
    ------
    TypeError
        If ``state`` is not a DatasetState.
    ValueError
        If the state has no report yet.
    """

    def __init__(
        self,
        state: DatasetState,
        *,
        test: pd.DataFrame | None = None,
        analyze_options: dict | None = None,
        analysis_frame: pd.DataFrame | None = None,
        journal_warning: str | None = None,
    ) -> None:
        if test is not None and not isinstance(test, pd.DataFrame):
            raise TypeError(f"test= must be a pandas DataFrame, got {type(test).__name__}.")
        super().__init__(state, on_action=self._action, on_measure=self._measure_clicked)
        self._test = test
        #: The what-if panel's projection (background thread) and its apply buttons.
        self.what_if_runs = WhatIfRuns(state, self.whatif_panel, test=test)
        self._review: Any = None
        self._shown_in: int | None = None
        if journal_warning is None and state.journal_path is None:
            journal_warning = MEMORY_ONLY_WARNING
        header = self.header
        self._journal_warning = journal_warning or ""
        self._show_journal()
        self._unfollow_journal = state.on_change(self._journal_changed)
        self._runs = AnalysisRuns(
            state,
            frame=state.frame if analysis_frame is None else analysis_frame,
            options=analyze_options or {},
            on_busy=lambda text: setattr(header, "busy", text),
            on_status=lambda text: setattr(header, "status", text),
            on_layout_pending=lambda pending: setattr(header, "layout_pending", pending),
        )

    def review(self, n: int = 50) -> Any:
        """Review the first ``n`` rows of :func:`~dcml_widgets.review_order` one by one.

        The grid's focus walks the snapshot: each action on the focused row moves it to the
        next row not yet done; the header shows "12 of 50 reviewed". Against the same
        journal, a new audit resumes the same snapshot and counter.

        Parameters
        ----------
        n : int
            Budget (1 to 10,000 rows).

        Returns
        -------
        ReviewSession
            ``.progress``, ``.queue.ids``, ``.stop()``.
        """
        from dcml_widgets.session.reviewing import ReviewSession

        if self._review is not None:
            self._review.stop()
        header = self.header
        self._review = ReviewSession(self.state, n, lambda text: setattr(header, "status", text))
        return self._review

    # ------------------------------------------------------------------ what it holds
    @property
    def report(self) -> Any:
        """The current :class:`~dcml_widgets.AuditReport` (``state.report``)."""
        return self._state.report

    @property
    def history(self) -> list:
        """Earlier reports, oldest first, replaced by :meth:`rerun`."""
        return list(self._runs.history)

    @property
    def measurements(self) -> list:
        """Every :class:`~dcml_widgets.Comparison` made here, oldest first."""
        return list(self.measure_panel.comparisons)

    @property
    def journal_path(self) -> Path | None:
        """The file every edit is saved to, or None when edits live in memory only."""
        path = self._state.journal_path
        return None if path is None else Path(path)

    @property
    def layout_pending(self) -> bool:
        """True while a UMAP layout is still being computed in the background."""
        return bool(self.header.layout_pending)

    # ------------------------------------------------------------------ background work
    def follow(self, pending: Any, *, first_look: Any = None) -> None:
        """Show ``pending``'s final report when its UMAP layout is ready, without blocking.

        Parameters
        ----------
        pending : PendingAnalysis
            Its ``finish()`` runs in a background thread.
        first_look : AuditReport, optional
            The report the final one replaces (default ``pending.first_look``); a re-run in
            between wins. A failure is shown in the header and the first look stays.
        """
        self._runs.follow(pending, first_look=first_look)

    def wait(self, timeout: float | None = None) -> Any:
        """Block until background work (UMAP layout, re-run) is done; return the report.

        Parameters
        ----------
        timeout : float, optional
            Seconds to wait at most.

        Returns
        -------
        AuditReport

        Raises
        ------
        TimeoutError
            If the work did not finish in time.
        """
        self._runs.wait(timeout)
        return self.report

    # ------------------------------------------------------------------ the loop
    def measure(self, test: pd.DataFrame | None = None) -> Any:
        """Retrain on the current labels (same folds) and compare per class with before.

        The result is listed in the measure panel with how many edits it included.

        Parameters
        ----------
        test : pandas.DataFrame, optional
            Trusted test rows to score on; defaults to the ``test=`` given to ``audit``.

        Returns
        -------
        Comparison
        """
        comparison = measure(self._state, test=self._test if test is None else test)
        self.measure_panel.add(comparison)
        return comparison

    def _measure_clicked(self) -> None:
        view = self.measure_panel.view
        view.busy = True
        try:
            self.measure()
        finally:
            view.busy = False

    def rerun(self, *, wait: bool = True, progress: bool | None = None) -> Any:
        """Analyse again on the current labels, with the same state, journal and options.

        Excluded rows are passed as ``exclude=`` (with any the audit was given): left out
        of training and of the label checks, they keep their labels and never count as
        pool rows, and the new report still covers every row (views keep working). Pool
        rows labelled since are trained on. The new report replaces ``state.report``; the
        one it replaces is appended to :attr:`history`.

        Parameters
        ----------
        wait : bool
            True: return once the final report (UMAP included) is shown. False: show the
            first look and let the UMAP layout arrive in the background.
        progress : bool, optional
            Show the analysis progress bar (default: as the audit did).

        Returns
        -------
        AuditReport
            The report now shown.

        Raises
        ------
        ValueError
            If a re-run is already in progress, or the current labels cannot be analysed.
        """
        return self._runs.rerun(wait=wait, progress=progress)

    def cleaned(self) -> pd.DataFrame:
        """The cleaned DataFrame (``state.to_dataframe()``)."""
        return self._state.to_dataframe()

    def _action(self, name: str) -> str | None:
        # The header shows what this returns; a re-run reports its own progress and outcome.
        writers = {
            "export_csv": self.export_csv,
            "export_parquet": self.export_parquet,
            "export_edits": self.export_edits,
        }
        if name == "rerun":
            self._runs.rerun_in_background()
            return None
        try:
            if name in writers:
                return f"Wrote {exports.display_path(writers[name]())}"
        except OSError as exc:
            raise ValueError(f"Could not write the file: {exc}") from exc
        raise ValueError(f"Unknown action {name!r}.")

    # ------------------------------------------------------------------ lifecycle
    def _show_journal(self) -> None:
        status = self._state.journal_status
        warning = self._journal_warning
        if status["superseded_by"] is not None:
            warning = SUPERSEDED_WARNING
        repaired = status["repaired"]
        note = status["note"]
        if repaired is not None:
            moved = exports.display_path(repaired["moved_to"])
            note = (
                f"The journal was damaged at line {repaired['line']}: the lines before it "
                f"were kept, the rest moved to {moved}. {note}"
            ).strip()
        self.header.journal = {
            "path": None if status["path"] is None else exports.display_path(status["path"]),
            "resumed": int(status["resumed"]),
            "warning": warning,
            "note": note,
            "siblings": status["siblings"],
        }

    def _journal_changed(self, change: Any) -> None:
        if change.field == "journal":
            self._show_journal()

    def close(self) -> None:
        """Close every view, stop following the state and release the journal."""
        # getattr: ipywidgets also calls close() on a dashboard whose __init__ raised.
        runs = getattr(self, "_runs", None)
        if runs is not None:
            runs.close()
        unfollow = getattr(self, "_unfollow_journal", None)
        if unfollow is not None:
            unfollow()
        state = getattr(self, "_state", None)
        if state is not None:
            state.close()
        super().close()

    def mark_displayed(self) -> None:
        """Note that this dashboard was displayed by the running cell (see ``_repr_``)."""
        self._shown_in = _execution_count()

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        # audit() displays the dashboard itself (so `dash = dw.audit(...)` shows it); when
        # the same cell also ends with the bare call, show it once, not twice.
        count = _execution_count()
        if count is not None and self._shown_in == count:
            return {"text/plain": repr(self)}
        return super()._repr_mimebundle_(**kwargs)

    def __repr__(self) -> str:
        report = self.report
        return (
            f"<Dashboard {self._state.n_rows} rows, {len(self._state.classes)} classes, "
            f"layout {report.embedding_method}, {len(self._state.log)} edit groups, "
            f"{'journal ' + str(self.journal_path) if self.journal_path else 'in memory only'}>"
        )


def _execution_count() -> int | None:
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    shell = get_ipython()
    return None if shell is None else getattr(shell, "execution_count", None)
