"""Stage-by-stage progress: an ipywidgets bar in a notebook, tqdm in a terminal, or silence.

Also records how long each stage took (the report's ``timings``), whether shown or not.
"""

from __future__ import annotations

import contextlib
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from typing import Any


def in_notebook() -> bool:
    """Whether code runs inside a Jupyter kernel (Lab, Notebook, VS Code, Colab).

    Returns
    -------
    bool
    """
    ipython = sys.modules.get("IPython")
    if ipython is None:
        return False
    shell = ipython.get_ipython()
    return shell is not None and hasattr(shell, "kernel")


class Progress:
    """Progress through named stages of one analysis.

    Parameters
    ----------
    stages : sequence of str
        Stage names in the order they run (each one unit of the bar).
    enabled : bool
        ``False`` shows nothing (timings are still recorded).
    title : str
        Text before the stage name.

    Attributes
    ----------
    timings : dict
        Seconds spent per finished stage.
    """

    def __init__(
        self, stages: Sequence[str], *, enabled: bool = True, title: str = "Analysing"
    ) -> None:
        self.stages = list(stages)
        self.timings: dict[str, float] = {}
        self.title = title
        self._done = 0.0
        self._lock = threading.Lock()
        self._closed = False
        self._view = _make_view(len(self.stages), title) if enabled else None

    @contextlib.contextmanager
    def stage(self, name: str) -> Iterator[Progress]:
        """Run one stage: shows its name, advances the bar and records its time.

        An exception (including ``KeyboardInterrupt``) closes the bar as failed or
        interrupted and propagates unchanged.

        Parameters
        ----------
        name : str
            Stage name (one of ``stages``; unknown names still show and time).

        Yields
        ------
        Progress
            Itself, for :meth:`fraction` updates within the stage.
        """
        start = time.perf_counter()
        base = self._done
        self._show(name, base)
        try:
            yield self
        except KeyboardInterrupt:
            self.close(f"interrupted during {name}", ok=False)
            raise
        except BaseException:
            self.close(f"failed during {name}", ok=False)
            raise
        self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - start
        self._done = base + 1.0
        self._show(name, self._done)

    def fraction(self, done: float, total: float) -> None:
        """Report progress within the current stage (e.g. folds done of folds).

        Parameters
        ----------
        done, total : float
        """
        if total > 0:
            self._show(None, int(self._done) + min(max(done / total, 0.0), 1.0))

    def close(self, message: str = "done", *, ok: bool = True) -> None:
        """Finish the bar with a final message (idempotent).

        Parameters
        ----------
        message : str
        ok : bool
            ``False`` marks the bar as failed/interrupted.
        """
        with self._lock:
            if self._closed:
                return
            self._closed = True
            if self._view is not None:
                self._view.finish(message, len(self.stages) if ok else self._done, ok)

    def _show(self, name: str | None, value: float) -> None:
        with self._lock:
            if self._view is not None and not self._closed:
                self._view.update(name, value)


class _TqdmView:
    def __init__(self, total: int, title: str) -> None:
        from tqdm import tqdm

        self.title = title
        self.bar = tqdm(
            total=total,
            desc=title,
            bar_format="{desc}: {percentage:3.0f}%|{bar}| [{elapsed}]",
            leave=True,
            file=sys.stderr,
        )

    def update(self, name: str | None, value: float) -> None:
        if name is not None:
            self.bar.set_description_str(f"{self.title}: {name}", refresh=False)
        self.bar.n = value
        self.bar.refresh()

    def finish(self, message: str, value: float, ok: bool) -> None:
        self.bar.set_description_str(f"{self.title}: {message}", refresh=False)
        self.bar.n = value
        self.bar.refresh()
        self.bar.close()


class _WidgetView:
    def __init__(self, total: int, title: str) -> None:
        import ipywidgets as widgets
        from IPython.display import display

        self.title = title
        self.bar = widgets.FloatProgress(value=0.0, min=0.0, max=float(total))
        self.text = widgets.Label(value=title)
        self.box = widgets.HBox([self.bar, self.text])
        display(self.box)

    def update(self, name: str | None, value: float) -> None:
        if name is not None:
            self.text.value = f"{self.title}: {name}"
        self.bar.value = float(value)

    def finish(self, message: str, value: float, ok: bool) -> None:
        self.bar.value = float(value)
        self.bar.bar_style = "success" if ok else "danger"
        self.text.value = f"{self.title}: {message}"


def _make_view(total: int, title: str) -> Any:
    if in_notebook():
        try:
            return _WidgetView(total, title)
        except ImportError:
            pass
    return _TqdmView(total, title)
