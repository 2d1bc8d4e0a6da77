"""The state: the single source of truth for labels, exclusions, reviews, notes and selection.

:class:`DatasetState` (in :mod:`.dataset`) is the only thing that changes labels. Its parts:
the append-only edit log (:mod:`.log`), the class table and label values (:mod:`.classes`),
row ids (:mod:`.ids`), change events (:mod:`.events`), the per-row store (:mod:`.store`) and
the replay of a journal onto raw data (:mod:`.replay`).
"""

from dcml_widgets.state.dataset import DatasetState
from dcml_widgets.state.events import Change
from dcml_widgets.state.log import EDIT_COLUMNS, FIELDS, SOURCES, EditGroup

__all__ = ["EDIT_COLUMNS", "FIELDS", "SOURCES", "Change", "DatasetState", "EditGroup"]
