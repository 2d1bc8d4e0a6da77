"""Class-balance chart: rows per class as given and as now (edits applied, exclusions out)."""

from __future__ import annotations

from typing import Any

import numpy as np
import traitlets

from dcml_widgets.state import Change, DatasetState
from dcml_widgets.views._base import StateView


def class_counts(state: DatasetState) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Class names (as text) and rows per class, as given and as now.

    Returns
    -------
    (names, given, current)
        ``given`` counts the original labels of every row; ``current`` the current labels
        of the rows not excluded. Missing labels are not counted.
    """
    k = len(state.classes)
    original = state.rows.original_codes
    current = state.rows.label_codes[~state.rows.excluded_mask]
    given = np.bincount(original[original >= 0], minlength=k)
    now = np.bincount(current[current >= 0], minlength=k)
    return [str(c) for c in state.classes], given, now


class BalanceChart(StateView):
    """A bar chart of the class balance (given and now) that follows the state's edits.

    Drawn by its own small view (``js/src/dashboard/balance``) rather than plotly: plotly's
    ``FigureWidget`` took 3.2 s to import in a fresh kernel (plotly → nbformat → jsonschema →
    rfc3987_syntax compiling its grammars), a third of the dashboard's first view, and each
    re-plot held the page's main thread for ~30 ms after every relabel.

    Parameters
    ----------
    state : DatasetState
    """

    _bundle = "balance"

    names = traitlets.List(traitlets.Unicode(), help="Class names, as text.").tag(sync=True)
    given = traitlets.List(
        traitlets.Int(), help="Rows per class in the given labels (every row)."
    ).tag(sync=True)
    now = traitlets.List(
        traitlets.Int(), help="Rows per class now: current labels of the rows not excluded."
    ).tag(sync=True)

    def __init__(self, state: DatasetState, **kwargs: Any) -> None:
        super().__init__(state, **kwargs)
        self.refresh()

    def refresh(self) -> None:
        """Recount; only the traits that changed are sent (an edit sends ``now``)."""
        names, given, now = class_counts(self.state)
        with self.hold_sync():
            if self.names != names:
                self.names = names
            if self.given != given.tolist():
                self.given = given.tolist()
            self.now = now.tolist()

    @property
    def counts(self) -> dict[str, int]:
        """Rows per class now (what the ``now`` bars show)."""
        return dict(zip(self.names, self.now, strict=True))

    def _state_changed(self, change: Change) -> None:
        if change.field in ("label", "excluded", "class", "report"):
            self.refresh()
