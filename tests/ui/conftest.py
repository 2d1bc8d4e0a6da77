"""Fixtures for the real-browser UI tests: one Jupyter server per session, one page per test.

- ``lab``: a JupyterLab server (session-wide); ``notebook7``: a Notebook 7 server (started
  on first use). Both on a free loopback port with a temporary root and settings dirs.
- ``browser``: Debian's Chromium (``/usr/bin/chromium``) driven by Playwright; a missing
  Chromium fails the tests loudly (they are never skipped).
- ``page``: a fresh page per test. Any browser console error or uncaught page error fails
  the test; a screenshot goes to ``tests/ui/artifacts/<test name>.png`` at teardown.
- ``console``: the page's console-error collector, for tests that expect an error.

Helpers that drive notebooks are in :mod:`tests.ui.harness`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.ui import harness

if TYPE_CHECKING:
    from playwright.sync_api import Browser, ConsoleMessage, Error, Page

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"

# Console errors that are not ours, each named. Keep this list short and specific.
BENIGN_CONSOLE = [
    # Notebook 7.6 (not JupyterLab): its bundled shortcuts extension handles a settings
    # `pluginChanged` before its own plugin's settings are loaded and reads `.schema` of
    # undefined. Happens on every Notebook 7 page load in a stock install, without us.
    re.compile(
        r"(?s)^uncaught: Cannot read properties of undefined \(reading 'schema'\)"
        r"\n.*?/static/notebook/notebook_core\.[0-9a-f]+\.js"
    ),
    # Voilà (0.5) with Notebook 7 installed: Voilà's page loads every lab extension, and
    # Notebook 7's shell extension asks for a shared module Voilà's page does not provide.
    # Logged on every Voilà page of a stock install with both, without us; it loads nothing
    # a Voilà page uses.
    re.compile(
        r"(?s)^console\.error: Error: The getter for the shared module is not a function\..*"
        r"#RUNTIME-012.*?/voila/labextensions/@jupyter-notebook/lab-extension/static/remoteEntry"
    ),
]


class ConsoleErrors:
    """Collects a page's console errors and uncaught exceptions (one string each).

    Attributes
    ----------
    errors : list of str
        Errors that fail the test (all but :data:`BENIGN_CONSOLE`, minus those taken).
    messages : list of str
        Every console message and page error, printed at teardown for failing tests' logs.
    """

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.messages: list[str] = []

    def _error(self, text: str) -> None:
        if not any(p.search(text) for p in BENIGN_CONSOLE):
            self.errors.append(text)

    def on_console(self, msg: ConsoleMessage) -> None:
        """Record a console message; keep errors that are not known benign noise."""
        location = msg.location or {}
        text = f"{msg.text}  [{location.get('url', '')}:{location.get('lineNumber', '')}]"
        self.messages.append(f"{msg.type}: {text}")
        if msg.type == "error":
            self._error(f"console.error: {text}")

    def on_page_error(self, error: Error) -> None:
        """Record an uncaught exception in the page (message and stack)."""
        stack = getattr(error, "stack", None) or ""
        if stack.startswith(f"{getattr(error, 'name', '')}: {error}"):
            stack = stack.split("\n", 1)[1] if "\n" in stack else ""
        self.messages.append(f"pageerror: {error}")
        self._error(f"uncaught: {error}\n{stack}".rstrip())

    def take(self, pattern: str) -> list[str]:
        """Remove and return the errors that match the regex ``pattern`` (expected errors).

        Parameters
        ----------
        pattern : str
            A regular expression searched in each error.

        Returns
        -------
        list of str
            The matching errors (empty if none: assert on it to prove the error happened).
        """
        matched = [e for e in self.errors if re.search(pattern, e)]
        self.errors = [e for e in self.errors if e not in matched]
        return matched


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Debian Chromium, launched once per session."""
    if not os.access(harness.CHROMIUM, os.X_OK):
        pytest.fail(
            f"Chromium not found at {harness.CHROMIUM}: the UI tests need it and are never "
            "skipped. Install it with `apt-get install -y chromium` (scripts/test does).",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=harness.CHROMIUM, headless=True, args=harness.CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[harness.Server]:
    """A JupyterLab server for the whole session (``.url``, ``.root``, ``.token``)."""
    server = harness.start_server("lab", tmp_path_factory.mktemp("lab"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def notebook7(tmp_path_factory: pytest.TempPathFactory) -> Iterator[harness.Server]:
    """A Notebook 7 server for the whole session, started on first use."""
    server = harness.start_server("notebook", tmp_path_factory.mktemp("notebook7"))
    yield server
    server.stop()


@pytest.fixture
def console() -> ConsoleErrors:
    """The current test's console-error collector (see :meth:`ConsoleErrors.take`)."""
    return ConsoleErrors()


@pytest.fixture
def page(
    browser: Browser, console: ConsoleErrors, request: pytest.FixtureRequest
) -> Iterator[Page]:
    """A fresh page; console errors fail the test; a screenshot is saved at teardown."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    pg.on("console", console.on_console)
    pg.on("pageerror", console.on_page_error)
    request.node._dcml_page = (pg, console)
    yield pg
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / (re.sub(r"[^\w.-]+", "_", request.node.name) + ".png")
    try:
        pg.screenshot(path=str(shot))
    finally:
        harness.close_page(pg)
        context.close()
        if console.messages:
            print("browser console:\n  " + "\n  ".join(console.messages))


def assert_no_console_errors(pg: Page, console: ConsoleErrors) -> None:
    """Raise AssertionError listing the page's console errors, if it logged any.

    Parameters
    ----------
    pg : playwright.sync_api.Page
    console : ConsoleErrors
        The page's collector (the ``console`` fixture).

    Raises
    ------
    AssertionError
        If ``console`` holds errors.
    """
    # Console events reach Python only while the sync API talks to the browser: a round trip
    # (with one macrotask of slack) delivers everything logged before it.
    pg.evaluate("() => new Promise((resolve) => setTimeout(() => resolve(true), 50))")
    if console.errors:
        raise AssertionError(
            "The browser logged errors during the test:\n  " + "\n  ".join(console.errors)
        )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> object:
    """Fail a UI test whose page logged a console error (after the test body passed)."""
    result = yield
    pair = getattr(item, "_dcml_page", None)
    if pair is not None:
        assert_no_console_errors(*pair)
    return result


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Everything under tests/ui is a UI test (``-m ui`` / ``-m 'not ui'`` select them)."""
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.ui)
