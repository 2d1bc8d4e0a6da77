"""Change events: what :class:`~dcml_widgets.state.DatasetState` tells its listeners."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import NamedTuple

import numpy as np
import pandas as pd


class Change(NamedTuple):
    """One event fired by :class:`~dcml_widgets.state.DatasetState` per command or view change.

    Attributes
    ----------
    field : str
        ``label``, ``excluded``, ``reviewed``, ``note``, ``class`` (logged edits),
        ``selection``, ``focus``, ``report`` (view state) or ``journal`` (the journal was
        taken over by a newer state: see ``state.journal_status``).
    ids : pandas.Index
        The row ids affected (empty for ``class``, ``report`` and ``journal``).
    source : str
        Who caused it: ``user``, ``suggestion``, ``bulk``, ``undo``, ``redo``, ``api``,
        or ``view`` for view state.
    positions : numpy.ndarray
        Row positions (int64) of ``ids``, so views can update incrementally.
    """

    field: str
    ids: pd.Index
    source: str
    positions: np.ndarray


Listener = Callable[[Change], None]


class Listeners:
    """The callbacks subscribed to one state's changes, called in subscription order."""

    def __init__(self) -> None:
        self._callbacks: list[Listener] = []

    def __len__(self) -> int:
        return len(self._callbacks)

    def add(self, callback: Listener) -> Callable[[], None]:
        """Subscribe ``callback``.

        Parameters
        ----------
        callback : callable
            Receives every :class:`Change`.

        Returns
        -------
        callable
            Call it to unsubscribe (calling it twice is harmless).
        """
        self._callbacks.append(callback)

        def unsubscribe() -> None:
            if callback in self._callbacks:
                self._callbacks.remove(callback)

        return unsubscribe

    def emit(self, change: Change) -> None:
        """Call every listener with ``change``.

        A listener that raises is reported as a ``RuntimeWarning``; the others still run.
        """
        for callback in list(self._callbacks):  # a listener may unsubscribe while called
            try:
                callback(change)
            except Exception as exc:  # one broken view must not make a done command look failed
                warnings.warn(
                    f"A listener of DatasetState failed on a {change.field!r} change: {exc!r}",
                    RuntimeWarning,
                    stacklevel=4,
                )
