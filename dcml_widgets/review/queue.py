"""A review budget: a snapshot of the first ``n`` rows of :func:`review_order`, a counter, and
the next row to show. What counts as done is read from the state (reviewed, edited or
excluded), so undo takes a row back off the counter and a resumed journal restores it; the
snapshot itself is kept beside the journal (``<journal>.review.json``) so a new audit on the
same journal reviews the same rows."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from dcml_widgets.review.order import review_order
from dcml_widgets.values import native


class ReviewQueue:
    """The rows one review session covers and how far it got.

    Parameters
    ----------
    state : DatasetState
        With a report.
    n : int
        Budget: how many rows of :func:`review_order` to snapshot (1 to 10,000).

    Raises
    ------
    TypeError
        If ``n`` is not an int.
    ValueError
        If ``n`` is out of range or the state has no report.
    """

    def __init__(self, state: Any, n: int = 50) -> None:
        if isinstance(n, bool) or not isinstance(n, int | np.integer):
            raise TypeError(f"review(n) takes an int, got {type(n).__name__}.")
        if not 1 <= n <= 10_000:
            raise ValueError(f"review(n): n must lie in [1, 10000], got {n}.")
        self.state = state
        saved = _load(state, int(n))
        self.ids: pd.Index = saved if saved is not None else review_order(state)[: int(n)]
        self.resumed = saved is not None
        if not self.resumed:
            _save(state, int(n), self.ids)

    @property
    def done(self) -> np.ndarray:
        """``(len(ids),)`` bool: snapshot rows reviewed, edited or excluded."""
        state = self.state
        flags = state.excluded | state.reviewed | state.edited
        return flags.reindex(self.ids).to_numpy(dtype=bool)

    @property
    def n_done(self) -> int:
        """Snapshot rows reviewed, edited or excluded."""
        return int(self.done.sum())

    @property
    def progress(self) -> str:
        """The counter as the views show it, e.g. ``"12 of 50 reviewed"``."""
        return f"{self.n_done} of {len(self.ids)} reviewed"

    def next_id(self, after: Any = None) -> Any:
        """The first snapshot row not yet done after row ``after`` (wrapping), or None.

        Parameters
        ----------
        after : row id, optional
            Start looking after this row (a row outside the snapshot: from the start).
        """
        done = self.done
        order = np.arange(len(self.ids))
        if after is not None and after in self.ids:
            start = int(self.ids.get_loc(after)) + 1
            order = np.roll(order, -start)
        left = order[~done[order]]
        return None if left.size == 0 else native(self.ids[left[0]])


def _sidecar(state: Any) -> Path | None:
    path = state.journal_path
    return None if path is None else Path(f"{path}.review.json")


def _load(state: Any, n: int) -> pd.Index | None:
    path = _sidecar(state)
    if path is None or not path.exists():
        return None
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
        ids = pd.Index(saved["ids"])
        if saved.get("fingerprint") != state.fingerprint or saved.get("n") != n:
            return None
        state.rows.positions(list(ids))  # every id still a row
    except (OSError, ValueError, KeyError, TypeError):
        return None  # a damaged or foreign snapshot: start a new one rather than fail
    return ids


def _save(state: Any, n: int, ids: pd.Index) -> None:
    path = _sidecar(state)
    if path is None:
        return
    record = {"fingerprint": state.fingerprint, "n": n, "ids": [native(i) for i in ids]}
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(record), encoding="utf-8")
    tmp.replace(path)
