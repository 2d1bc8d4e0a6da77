"""``dash.review(n)``: walk a reviewer through a snapshot of the review queue.

The focus (which the grid follows) starts on the first row not yet done, and every command
that touches the focused row moves it to the next one; the action itself is the only edit
(nothing is marked reviewed behind the user's back), so it stays one undo step. The counter
("12 of 50 reviewed") is shown in the dashboard header's status line.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from dcml_widgets.review.queue import ReviewQueue

#: Edits that count as having judged a row.
JUDGING_FIELDS = frozenset({"label", "excluded", "reviewed"})


class ReviewSession:
    """A running review: the queue, the focus it moves, the counter it shows.

    Parameters
    ----------
    state : DatasetState
    n : int
        Budget (see :class:`~dcml_widgets.review.queue.ReviewQueue`).
    show : callable
        Receives the counter text after every change.
    """

    def __init__(self, state: Any, n: int, show: Callable[[str], None]) -> None:
        self.queue = ReviewQueue(state, n)
        self.state = state
        self._show = show
        self._unsubscribe = state.on_change(self._changed)
        state.focus = self.queue.next_id()
        show(self.queue.progress)

    @property
    def progress(self) -> str:
        """E.g. ``"12 of 50 reviewed"``."""
        return self.queue.progress

    def _changed(self, change: Any) -> None:
        if change.field not in JUDGING_FIELDS:
            return
        ids = set(change.ids)
        if change.source == "undo":  # back to the row the undo gave back, if it is ours
            back = [i for i in self.queue.ids if i in ids]
            if back:
                self.state.focus = back[0]
        elif self.state.focus is not None and self.state.focus in ids:
            self.state.focus = self.queue.next_id(after=self.state.focus)
        self._show(self.queue.progress)

    def stop(self) -> None:
        """Stop following the state (the counter stays as it was)."""
        self._unsubscribe()
