"""Where the analysis's splittable work runs: in this process, or as tasks on a Dask cluster.

``analyze(..., client=c)`` (a ``distributed.Client``) or an active
``joblib.parallel_backend("dask")`` sends the fold fits (folds x models) and the chunks of the
exact neighbour search to the cluster's workers; the arrays they share go to the workers once
(scattered), not with every task. Local and distributed runs call the very same task functions
on the very same pieces, so their results are identical.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable, Iterator
from typing import Any, Protocol

_current: contextvars.ContextVar[Runner | None] = contextvars.ContextVar("runner", default=None)


class Runner(Protocol):
    """Runs ``fn(**shared, **item)`` for each item and returns the results in item order."""

    def map(
        self,
        fn: Callable[..., Any],
        shared: dict[str, Any],
        items: list[dict[str, Any]],
        *,
        name: str,
        on_done: Callable[[int, int], None] | None = None,
    ) -> list[Any]:
        """Run every task; ``on_done(done, total)`` after each finishes."""
        ...


class LocalRunner:
    """Runs the tasks one after the other in this process."""

    def map(self, fn, shared, items, *, name, on_done=None):
        """Run every task here, in order (see :class:`Runner`)."""
        out = []
        for i, item in enumerate(items):
            out.append(fn(**shared, **item))
            if on_done is not None:
                on_done(i + 1, len(items))
        return out


class DaskRunner:
    """Runs the tasks on a ``distributed.Client``'s workers.

    Parameters
    ----------
    client : distributed.Client
    """

    def __init__(self, client: Any) -> None:
        self.client = client
        self._scattered: dict[int, tuple[Any, Any]] = {}

    def _scatter(self, value: Any) -> Any:
        # once per array and analysis: every task of every map reuses the workers' copy
        held = self._scattered.get(id(value))
        if held is None or held[0] is not value:
            held = (value, self.client.scatter(value, broadcast=True, hash=False))
            self._scattered[id(value)] = held
        return held[1]

    def map(self, fn, shared, items, *, name, on_done=None):
        """Submit one task per item named ``<name>-<i>``; gather in item order."""
        from distributed import as_completed

        futures_shared = {k: self._scatter(v) for k, v in shared.items()}
        futures = [
            self.client.submit(fn, **futures_shared, **item, key=f"{name}-{i}", pure=False)
            for i, item in enumerate(items)
        ]
        for done, _ in enumerate(as_completed(futures), start=1):
            if on_done is not None:
                on_done(done, len(futures))
        return self.client.gather(futures)


class JoblibRunner:
    """Runs the tasks through joblib's active backend (e.g. ``parallel_backend("dask")``)."""

    def map(self, fn, shared, items, *, name, on_done=None):
        """Run every task through ``joblib.Parallel`` (see :class:`Runner`)."""
        from joblib import Parallel, delayed

        out = Parallel()(delayed(fn)(**shared, **item) for item in items)
        if on_done is not None:
            on_done(len(items), len(items))
        return out


def runner_for(client: Any) -> Runner:
    """The runner for ``client`` (None: joblib's dask backend if active, else this process).

    Raises
    ------
    ImportError
        If a client is given and dask.distributed is not installed.
    TypeError
        If ``client`` is not a ``distributed.Client``.
    """
    if client is None:
        from joblib.parallel import get_active_backend

        backend, _ = get_active_backend()
        if type(backend).__name__ == "DaskDistributedBackend":
            return JoblibRunner()
        return LocalRunner()
    try:
        from distributed import Client
    except ImportError:
        raise ImportError(
            "client= needs dask.distributed: pip install 'dcml-widgets[dask]'."
        ) from None
    if not isinstance(client, Client):
        raise TypeError(
            f"client= must be a dask.distributed.Client, got {type(client).__name__}; "
            "create one with distributed.Client(...) (or leave client= out)."
        )
    return DaskRunner(client)


@contextlib.contextmanager
def running_on(runner: Runner) -> Iterator[None]:
    """Make ``runner`` the one :func:`current` returns while the block runs."""
    token = _current.set(runner)
    try:
        yield
    finally:
        _current.reset(token)


def current() -> Runner:
    """The runner of the analysis running in this context (this process by default)."""
    return _current.get() or LocalRunner()
