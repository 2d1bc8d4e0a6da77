"""Guidelines panel: every class's guideline (``state.guidelines``) with its examples."""

from __future__ import annotations

from typing import Any, ClassVar

import pandas as pd
import traitlets

from dcml_widgets.state import Change, DatasetState
from dcml_widgets.views._base import StateView
from dcml_widgets.views.grid.guidelines import guideline_rows


class GuidelinesPanel(StateView):
    """Lists the guidelines; follows ``state.set_guideline`` and undo without a re-render.

    Parameters
    ----------
    state : DatasetState
    text_columns : list of str, optional
        Columns whose first one gives each example row a line of text (default: the first
        text column of the frame).
    """

    _bundle = "guidelines"
    _messages: ClassVar[dict[str, str]] = {}
    """Browser message types this view accepts (none: it only shows)."""

    guidelines: traitlets.List[Any] = traitlets.List(
        help="Each class's guideline: class, text, examples (id and a line of text)."
    ).tag(sync=True)

    def __init__(
        self, state: DatasetState, *, text_columns: list[str] | None = None, **kwargs: Any
    ) -> None:
        if text_columns is None:
            frame = state.frame
            texts = [c for c in frame.columns if pd.api.types.is_string_dtype(frame[c])]
            text_columns = [c for c in texts if c != state.label][:1]
        self._text_columns = list(text_columns)
        super().__init__(state, **kwargs)
        self.guidelines = guideline_rows(state, self._text_columns)

    def _state_changed(self, change: Change) -> None:
        if change.field in ("guideline", "class"):
            self.guidelines = guideline_rows(self.state, self._text_columns)
