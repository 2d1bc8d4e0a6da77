"""The journal: every edit group appended to a JSON-lines file, durable before it is visible.

:mod:`.header` names the data a journal belongs to, :mod:`.records` reads and replays a
journal (telling a torn last line from damage and from a newer version), :mod:`.file` opens,
locks and appends to it, :mod:`.holders` lets a newer holder in this process take it over,
:mod:`.auto` picks ``./.dcml/<fingerprint>.jsonl`` or a free sibling, :mod:`.copy` writes a
complete copy, :mod:`.codec` turns one edit group into one line and back. It knows nothing
about :class:`~dcml_widgets.DatasetState`: the state hands it a header to check, a function
to replay each record with, and records to append.
"""

from dcml_widgets.journal.auto import AUTO_DIR, AutoChoice
from dcml_widgets.journal.copy import write_journal_copy
from dcml_widgets.journal.file import (
    Journal,
    JournalLockedError,
    JournalRepairedWarning,
    JournalSupersededError,
)
from dcml_widgets.journal.header import (
    FORMAT,
    READABLE_VERSIONS,
    VERSION,
    check_header,
    fingerprint,
    make_header,
)
from dcml_widgets.journal.records import (
    JournalContents,
    JournalDamagedError,
    JournalVersionError,
    TornJournalWarning,
    parse_journal,
    read_journal,
    replay,
)

__all__ = [
    "AUTO_DIR",
    "FORMAT",
    "READABLE_VERSIONS",
    "VERSION",
    "AutoChoice",
    "Journal",
    "JournalContents",
    "JournalDamagedError",
    "JournalLockedError",
    "JournalRepairedWarning",
    "JournalSupersededError",
    "JournalVersionError",
    "TornJournalWarning",
    "check_header",
    "fingerprint",
    "make_header",
    "parse_journal",
    "read_journal",
    "replay",
    "write_journal_copy",
]
