"""Which pages the browser shows, so the kernel can send them again as soon as rows change."""

from __future__ import annotations

from collections.abc import Iterator

#: Pages remembered: the visible one and the one the browser prefetched after it.
KEEP = 2


class ShownPages:
    """The last pages the browser asked for (start and count), newest last.

    After a command the grid sends these pages, made for the next revision, before it bumps
    the revision: the browser then has them when it hears of the revision and need not ask
    again (one round trip per edit, not two). The browser still asks for any page it lacks.

    Parameters
    ----------
    keep : int
        How many pages to remember.
    """

    def __init__(self, keep: int = KEEP) -> None:
        self._keep = keep
        self._pages: dict[int, int] = {}

    def asked(self, start: int, count: int) -> None:
        """Remember that the browser asked for ``count`` rows from grid index ``start``."""
        self._pages.pop(start, None)
        self._pages[start] = count
        while len(self._pages) > self._keep:
            del self._pages[next(iter(self._pages))]

    def __iter__(self) -> Iterator[tuple[int, int]]:
        return iter(list(self._pages.items()))
