"""Class guidelines: what each class means, written down beside the labels, with examples.

A guideline is edited like a label (:meth:`GuidelineCommands.set_guideline` is one journaled,
undoable command, field ``guideline``, in ``state.edits``), so reviewers who resume a journal
see the same definitions the earlier reviewers worked with.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from dcml_widgets.state.core import NO_ROWS, StateCore
from dcml_widgets.state.ids import as_id_list
from dcml_widgets.state.log import EditGroup
from dcml_widgets.state.rows import Rows
from dcml_widgets.values import native

#: Longest guideline text kept (a guideline is a definition, not a document).
MAX_TEXT = 5_000
#: Most example rows a guideline pins.
MAX_EXAMPLES = 20


class GuidelineCommands:
    """The guideline command and table of :class:`~dcml_widgets.DatasetState` (a base class)."""

    _core: StateCore
    rows: Rows
    _commit: Callable[..., EditGroup]
    _check_source: Callable[[str], str]
    _class_of: Callable[[Any], int]

    def set_guideline(
        self, cls: Any, text: str, examples: Any = None, *, source: str = "api"
    ) -> None:
        """Write down what class ``cls`` means (one command, one undo step).

        Parameters
        ----------
        cls : object
            A known class (see ``state.classes``).
        text : str
            The definition, e.g. "a dent changes the surface's shape; a scratch does not".
            ``""`` removes the class's guideline.
        examples : id or list of ids, optional
            Rows that show the class well (e.g. from ``report.prototypes``), in the order
            given; at most :data:`MAX_EXAMPLES`.
        source : str
            Who issued it (``api`` from Python, ``user`` from a view).

        Raises
        ------
        ValueError
            Unknown class, a text longer than :data:`MAX_TEXT`, too many examples, or
            examples with an empty text.
        TypeError
            If ``text`` is not a str.
        KeyError
            If an example id is not a row.
        """
        source = self._check_source(source)
        if not isinstance(text, str):
            raise TypeError(f"A guideline is text (str), got {type(text).__name__}.")
        if len(text) > MAX_TEXT:
            raise ValueError(f"A guideline holds at most {MAX_TEXT} characters.")
        core = self._core
        with core.lock:
            code = self._class_of(cls)
            name = core.table.values[code]
            shown = () if examples is None else tuple(native(i) for i in as_id_list(examples))
            if shown:
                if not text:
                    raise ValueError("An empty text removes the guideline; give examples a text.")
                if len(shown) > MAX_EXAMPLES:
                    raise ValueError(f"A guideline pins at most {MAX_EXAMPLES} examples.")
                pos = self.rows.positions(list(shown))  # KeyError names unknown rows
                shown = tuple(native(i) for i in core.ids[pos])
            old = core.guidelines.get(name)
            new = {"class": name, "text": text, "examples": shown} if text else None
            if old == new:
                return
            before, after = np.empty(1, dtype=object), np.empty(1, dtype=object)
            before[0], after[0] = old, new
            self._commit("guideline", NO_ROWS, before, after, source, None)

    @property
    def guidelines(self) -> pd.DataFrame:
        """Every class's guideline: ``class, text, examples`` (a tuple of ids), class order."""
        core = self._core
        rows = [core.guidelines[c] for c in core.table.active if c in core.guidelines]
        return pd.DataFrame(
            {
                "class": pd.Series([g["class"] for g in rows], dtype=object),
                "text": pd.Series([g["text"] for g in rows], dtype=object),
                "examples": pd.Series([g["examples"] for g in rows], dtype=object),
            }
        )
