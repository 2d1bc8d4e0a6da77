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
    of their own), declare the browser messages they accept in ``_messages`` (type -> name
    of the method that handles it, called as ``method(content, buffers)``) and the traits
    the browser may change in ``_browser_traits``, and override :meth:`_state_changed` to
    re-render on state events.

    Everything from the browser is untrusted. A message of a type not in the table is
    refused as unknown; a handler that raises anything is refused too, with the reason in
    the view's :attr:`error` and the log. State commands validate before they change
    anything (and write the journal before they apply), so a refused message leaves the
    state as it was. An update of a trait the browser may not change is refused and the
    browser is sent the kernel's value back.
    """

    _bundle: ClassVar[str] = ""
    _messages: ClassVar[dict[str, str]] = {}
    """Browser message types this view accepts, and the method that handles each."""
    _browser_traits: ClassVar[frozenset[str]] = frozenset()
    """Synced traits the browser may change; it only shows the others."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # With ANYWIDGET_HMR=1, anywidget watches a class-level `_esm` path and re-renders the
        # views on the page when `npm run dev` rewrites the bundle; without it, the bundle is
        # read when a view is made (so importing the package never needs the built JS).
        if os.environ.get("ANYWIDGET_HMR") == "1" and cls.__dict__.get("_bundle"):
            cls._esm = STATIC / f"{cls._bundle}.js"
        missing = [m for m in cls._messages.values() if not callable(getattr(cls, m, None))]
        if missing:
            raise TypeError(f"{cls.__name__}._messages names no method {missing}.")
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
        name = self._messages.get(kind) if isinstance(kind, str) else None
        if name is None:
            self._refuse(f"a message of unknown type {_short(kind)} from the browser")
            return
        try:
            getattr(self, name)(content, list(buffers or []))
        except Exception as exc:  # untrusted input must never break the comm: refuse, show, log
            text = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
            self._refuse(
                str(text), unexpected=not isinstance(exc, (KeyError, ValueError, TypeError))
            )
        else:
            self.error = ""

    def _refuse(self, reason: str, *, unexpected: bool = False) -> None:
        text = _short(reason, 400) if not isinstance(reason, str) else reason[:400]
        if unexpected:
            log.exception("%s refused a browser message: %s", type(self).__name__, text)
        else:
            log.info("%s refused a browser message: %s", type(self).__name__, text)
        self.error = f"Refused: {text}"

    def set_state(self, sync_data: dict) -> None:
        """Apply a trait update from the browser: only ``_browser_traits``, only valid values.

        Anything else is refused (shown in :attr:`error`) and the browser is sent the
        kernel's value back, so page and kernel agree again.
        """
        allowed = {k: v for k, v in sync_data.items() if k in self._browser_traits}
        refused = [k for k in sync_data if k not in allowed]
        try:
            if allowed:
                super().set_state(allowed)
        except Exception as exc:  # a value the trait refuses (e.g. an unknown colour channel)
            refused += list(allowed)
            self._refuse(f"{exc}")
        if refused:
            names = [k for k in refused if isinstance(k, str) and k in self.keys]
            if len(names) < len(refused) or not allowed:
                self._refuse(f"the browser may not change {_short(sorted(map(str, refused)))}")
            if names:
                self.send_state(names)

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


def _short(value: Any, limit: int = 80) -> str:
    """``repr(value)`` cut to ``limit`` characters (hostile input can be megabytes)."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
