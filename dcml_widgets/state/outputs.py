"""What a DatasetState gives back: the edits table, the cleaned frame, a journal copy."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

from dcml_widgets.journal.codec import encode_group
from dcml_widgets.journal.copy import write_journal_copy
from dcml_widgets.state.core import StateCore, cleaned_frame


class StateOutputs:
    """The outputs of :class:`~dcml_widgets.DatasetState` (a base class)."""

    _core: StateCore
    _frame: pd.DataFrame
    _label: str
    _header: Callable[[], dict]
    journal_path: Any

    @property
    def edits(self) -> pd.DataFrame:
        """The log as a DataFrame, one row per row changed (a copy).

        Columns: ``seq, group, time, row, field, old, new, source, reason, author``; ``row``
        is the row id (None for ``class`` and ``guideline`` entries), ``old``/``new`` the
        label, flag, note, class name or guideline (``{"class", "text", "examples"}``) before
        and after, ``author`` the reviewer who made it (None when none was named).
        """
        core = self._core
        with core.lock:
            return core.log.edits(core.ids, core.table.object_array())

    def to_dataframe(self) -> pd.DataFrame:
        """A cleaned copy: current labels applied, excluded rows dropped, dtypes kept.

        Returns
        -------
        pandas.DataFrame
            Same columns and index as the raw frame; the label column holds the current
            labels (in its original dtype where the labels fit it).
        """
        return cleaned_frame(self._core, self._frame, self._label)

    def save(self, path: Any) -> Any:
        """Write a complete journal of every edit so far to ``path`` (live journaling unchanged).

        Returns
        -------
        Path
        """
        core = self._core
        with core.lock:
            records = [encode_group(g, core.ids, core.table.values) for g in core.log.groups]
            return write_journal_copy(path, self._header(), records, live=self.journal_path)
