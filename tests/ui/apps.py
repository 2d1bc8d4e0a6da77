"""Servers that are not Jupyter's (marimo, Voilà) for the UI tests, and a request guard.

:func:`start_app` starts a server command on a free loopback port and waits until its page
answers; :func:`guard_requests` makes a page refuse (and record) every request that would
leave this machine, so a test can fail on a CDN fetch.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.ui import harness

LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}


@dataclass
class AppServer:
    """A running app server on a loopback port.

    Attributes
    ----------
    url : str
        The page to open, e.g. ``http://127.0.0.1:8901/``.
    root : pathlib.Path
        The server's working directory.
    log_path : pathlib.Path
        Its stdout and stderr.
    process : subprocess.Popen
        The server (leader of its own process group).
    """

    url: str
    root: Path
    log_path: Path
    process: subprocess.Popen = field(repr=False)

    def log_tail(self, n: int = 60) -> str:
        """The last ``n`` lines of the server's log (for failure messages)."""
        lines = self.log_path.read_text(errors="replace").splitlines()
        return "\n".join(lines[-n:])

    def stop(self) -> None:
        """Stop the server and everything it started (SIGTERM, then SIGKILL)."""
        if self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


def start_app(
    cmd: Callable[[int], list[str]],
    root: Path,
    page_path: str = "/",
    jupyter_path: Path | None = None,
) -> AppServer:
    """Start ``cmd(port)`` in ``root`` and wait until ``page_path`` answers on that port.

    Parameters
    ----------
    cmd : callable
        Given a free port, returns the command line.
    root : pathlib.Path
        Working directory (created); also holds the server's settings dirs and log.
    page_path : str
        The path of the page to wait for and open.
    jupyter_path : pathlib.Path, optional
        A data directory searched before the installed ones (``JUPYTER_PATH``).

    Returns
    -------
    AppServer

    Raises
    ------
    RuntimeError
        If the server exits or does not answer within ``harness.STARTUP_TIMEOUT`` seconds.
    """
    root.mkdir(parents=True, exist_ok=True)
    env = harness.isolated_env(root / ".settings", kind="app")
    env.update(MARIMO_SKIP_UPDATE_CHECK="1", HOME=str(root / ".settings"))
    if jupyter_path is not None:
        env["JUPYTER_PATH"] = str(jupyter_path)
    port = harness.free_port()
    log_path = root / "server.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            cmd(port),
            cwd=root,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = AppServer(f"http://127.0.0.1:{port}{page_path}", root, log_path, process)
    deadline = time.monotonic() + harness.STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{cmd(port)} exited ({process.returncode}):\n{server.log_tail()}")
        try:
            with urllib.request.urlopen(server.url, timeout=10):
                return server
        except urllib.error.HTTPError:
            return server  # it answers (an app page may still be a redirect or an error)
        except (OSError, urllib.error.URLError):
            time.sleep(0.25)
    server.stop()
    raise RuntimeError(f"{cmd(port)} did not answer:\n{server.log_tail()}")


def guard_requests(page: Any) -> list[str]:
    """Refuse every request (and websocket) of ``page`` that would leave this machine.

    Parameters
    ----------
    page : playwright.sync_api.Page

    Returns
    -------
    list of str
        Filled with the URLs refused; a test asserts it stays empty.
    """
    refused: list[str] = []

    def local(url: str) -> bool:
        parts = urllib.parse.urlsplit(url)
        return parts.scheme in {"data", "blob", "about"} or parts.hostname in LOCAL_HOSTS

    def route(route: Any) -> None:
        if local(route.request.url):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    def websocket(ws: Any) -> None:
        if not local(ws.url):
            refused.append(ws.url)

    page.route("**/*", route)
    page.on("websocket", websocket)
    return refused
