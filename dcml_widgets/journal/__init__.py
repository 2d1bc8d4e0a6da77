"""The journal: every edit group appended to a JSON-lines file, durable before it is visible.

:mod:`.header` names the data a journal belongs to, :mod:`.records` reads and replays a
journal, :mod:`.file` opens, locks and appends to it, :mod:`.codec` turns one edit group into
one line and back. It knows nothing about :class:`~dcml_widgets.DatasetState`: the state
hands it a header to check, a function to replay each record with, and records to append.
"""

from dcml_widgets.journal.file import Journal, JournalLockedError, write_journal_copy
from dcml_widgets.journal.header import FORMAT, VERSION, check_header, fingerprint, make_header
from dcml_widgets.journal.records import (
    JournalContents,
    TornJournalWarning,
    parse_journal,
    read_journal,
    replay,
)

__all__ = [
    "FORMAT",
    "VERSION",
    "Journal",
    "JournalContents",
    "JournalLockedError",
    "TornJournalWarning",
    "check_header",
    "fingerprint",
    "make_header",
    "parse_journal",
    "read_journal",
    "replay",
    "write_journal_copy",
]
