"""StateView: the base of every view — holds the state, routes browser messages, shows errors."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

import anywidget
import traitlets

from dcml_widgets.state import Change, DatasetState

STATIC = Path(__file__).resolve().parent.parent / "static"
log = logging.getLogger(__name__)


def bundle(name: str) -> Path:
    """Path of the built ESM bundle ``static/<name>.js``.

    Raises
    ------
    FileNotFoundError
        If the front end was not built (``pip install -e .`` or ``npm run build`` in js/).
    """
    path = STATIC / f"{name}.js"
    if not path.exists():
        raise FileNotFoundError(
            f"{path} is missing: the JavaScript was not built. Run `pip install -e .` "
            "(or `cd js && npm install && npm run build`)."
        )
    return path


class StateView(anywidget.AnyWidget):
    """A view linked to one :class:`DatasetState`.

    Subclasses set ``_bundle`` (the name of their file in ``static/``; or ``_esm`` to a path
    of their own), implement
    ``_handle_<type>(content, buffers)`` for each browser message type they accept, and
    override :meth:`_state_changed` to re-render on state events.

    A browser message is untrusted: a handler that raises ``KeyError``, ``ValueError`` or
    ``TypeError`` leaves the state unchanged (every state command validates before it
    changes anything) and the message is shown in the view's :attr:`error`.
    """

    _bundle: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # With ANYWIDGET_HMR=1, anywidget watches a class-level `_esm` path and re-renders the
        # views on the page when `npm run dev` rewrites the bundle; without it, the bundle is
        # read when a view is made (so importing the package never needs the built JS).
        if os.environ.get("ANYWIDGET_HMR") == "1" and cls.__dict__.get("_bundle"):
            cls._esm = STATIC / f"{cls._bundle}.js"
        super().__init_subclass__(**kwargs)

    error = traitlets.Unicode("", help="Last refused browser message, shown in the view.").tag(
        sync=True
    )

    def __init__(self, state: DatasetState, **kwargs: Any) -> None:
        if not isinstance(state, DatasetState):
            raise TypeError(
                f"{type(self).__name__} needs a dw.DatasetState, got {type(state).__name__}."
            )
        self._state = state
        # AnyWidget adds its `_esm` trait per instance in __init__, so a traitlets default
        # never applies (the page got anywidget's "No _esm defined" stub): pass the bundle.
        if getattr(type(self), "_esm", None) is None and "_esm" not in kwargs:
            kwargs["_esm"] = bundle(self._bundle).read_text(encoding="utf-8")
        super().__init__(**kwargs)
        self._unsubscribe: Callable[[], None] | None = state.on_change(self._on_state_change)
        self.on_msg(self._dispatch)

    @property
    def state(self) -> DatasetState:
        """The :class:`DatasetState` this view shows and edits."""
        return self._state

    def _dispatch(self, _widget: Any, content: Any, buffers: list | None) -> None:
        kind = content.get("type") if isinstance(content, dict) else None
        handler = getattr(self, f"_handle_{kind}", None) if isinstance(kind, str) else None
        if handler is None:
            self.error = f"Refused a message of unknown type {kind!r} from the browser."
            return
        try:
            handler(content, list(buffers or []))
        except (KeyError, ValueError, TypeError) as exc:
            text = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
            self.error = f"Refused: {text}"
        else:
            self.error = ""

    def _on_state_change(self, change: Change) -> None:
        try:
            self._state_changed(change)
        except Exception:  # a broken view must never break the state or the other views
            log.exception("%s failed to update after %s", type(self).__name__, change.field)

    def _state_changed(self, change: Change) -> None:
        """React to one state event (override)."""

    def close(self) -> None:
        """Stop listening to the state and close the widget."""
        unsubscribe = getattr(self, "_unsubscribe", None)
        if unsubscribe is not None:
            unsubscribe()
            self._unsubscribe = None
        super().close()
