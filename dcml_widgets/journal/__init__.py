"""The journal: every edit group appended to a JSON-lines file, durable before it is visible.

:mod:`.file` opens, locks, checks and appends to the file; :mod:`.codec` turns one edit group
into one line and back.
"""

from dcml_widgets.journal.file import (
    FORMAT,
    VERSION,
    Journal,
    JournalContents,
    JournalLockedError,
    TornJournalWarning,
    check_header,
    fingerprint,
    make_header,
    parse_journal,
    read_journal,
    replay_into,
    write_journal_copy,
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
    "replay_into",
    "write_journal_copy",
]
