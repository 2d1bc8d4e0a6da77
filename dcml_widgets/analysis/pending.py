"""An analysis whose first look is ready while its UMAP layout may still be running."""

from __future__ import annotations

import threading

import numpy as np

from dcml_widgets.analysis import embed
from dcml_widgets.analysis.coverage import place_gaps
from dcml_widgets.analysis.report import AuditReport

LAYOUT_STAGE = "layout (UMAP)"


class PendingAnalysis:
    """An analysis whose first look is ready and whose UMAP layout may still be running.

    Made by :func:`start_analysis`, not by hand.

    Parameters
    ----------
    first_look : AuditReport
        The report without a UMAP layout.
    layout_input : numpy.ndarray or None
        The (PCA-reduced) matrix UMAP lays out; ``None`` when no UMAP is due.
    graph : KnnGraph
        The shared neighbour graph UMAP reuses.
    progress : Progress
        The bar the layout stage reports to (closed when done).

    Attributes
    ----------
    first_look : AuditReport
        Everything but the UMAP layout: ``embedding_method`` is ``"pca"`` (or ``"given"``).
    """

    def __init__(
        self, first_look: AuditReport, layout_input: np.ndarray | None, graph, progress
    ) -> None:
        self.first_look = first_look
        self._layout_input = layout_input
        self._graph = graph
        self._progress = progress
        self._final: AuditReport | None = None
        self._lock = threading.Lock()
        if layout_input is None:
            self._final = first_look
            progress.close()

    @property
    def done(self) -> bool:
        """Whether :meth:`finish` has completed (the final report exists)."""
        return self._final is not None

    def finish(self) -> AuditReport:
        """Run UMAP (when needed) and return the final report.

        Safe to call from a background thread; idempotent: later calls, from any thread,
        return the same report (a call made while one runs waits for it).

        Returns
        -------
        AuditReport
        """
        with self._lock:
            if self._final is not None:
                return self._final
            report = self.first_look
            seed = report.options.get("random_state")
            assert self._layout_input is not None  # else the first look was final already
            with self._progress.stage(LAYOUT_STAGE):
                coords = embed.umap_layout(self._layout_input, self._graph, random_state=seed)
            timings = {**report.timings, LAYOUT_STAGE: self._progress.timings[LAYOUT_STAGE]}
            self._final = report.replace(
                embedding=coords,
                embedding_method="umap",
                timings=timings,
                gaps=place_gaps(report.gaps, report.ids, coords),
            )
            self._progress.close()
            # The graph and reduced matrix are no longer needed; free them.
            self._layout_input = self._graph = None
            return self._final
