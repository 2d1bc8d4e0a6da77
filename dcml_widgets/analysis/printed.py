"""Capture what this thread prints, and only this thread.

cleanlab prints (rather than raises) when a check fails, so the analysis reads its printed
text. ``contextlib.redirect_stdout`` swaps ``sys.stdout`` for the whole process: a print from
any other thread meanwhile is lost, and a thread that saves ``sys.stdout`` inside that window
and restores it after (colorama's ``init``/``deinit``, used by numba while it compiles in the
dashboard's background layout thread) leaves the process writing into the dead buffer for
good. Here ``sys.stdout`` becomes a router: the capturing thread's writes go to its buffer,
every other thread's to the stream that was there before; restored by anyone later, the
router still delivers everything to that stream.
"""

from __future__ import annotations

import contextlib
import io
import sys
import threading
from collections.abc import Iterator
from typing import Any

_lock = threading.Lock()


class _Router:
    """A ``sys.stdout`` stand-in that sends each thread's text where that thread wants it."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.buffers: dict[int, list[io.StringIO]] = {}

    def write(self, text: str) -> int:
        """Write to the current thread's innermost capture buffer, or to the original stream."""
        stack = self.buffers.get(threading.get_ident())
        return (stack[-1] if stack else self.stream).write(text)

    def flush(self) -> None:
        """Flush the original stream (capture buffers need none)."""
        self.stream.flush()

    def __getattr__(self, name: str) -> Any:
        # encoding, isatty, fileno, …: whatever the original stream answers
        return getattr(self.stream, name)


@contextlib.contextmanager
def captured_stdout() -> Iterator[io.StringIO]:
    """Collect what the calling thread prints inside the block.

    Yields
    ------
    io.StringIO
        The text this thread printed; other threads' prints reach the real ``sys.stdout``.
    """
    buffer = io.StringIO()
    me = threading.get_ident()
    with _lock:
        router = sys.stdout if isinstance(sys.stdout, _Router) else _Router(sys.stdout)
        router.buffers.setdefault(me, []).append(buffer)
        sys.stdout = router
    try:
        yield buffer
    finally:
        with _lock:
            stack = router.buffers[me]
            stack.remove(buffer)
            if not stack:
                del router.buffers[me]
            if not router.buffers and sys.stdout is router:
                sys.stdout = router.stream
