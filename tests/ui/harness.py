"""Real-browser test harness: a Jupyter server, notebooks written from cells, a kernel client.

The fixtures in ``conftest.py`` start one JupyterLab (and, when a test asks for it, one
Notebook 7) server per test session and one Playwright page per test. The helpers here do the
rest: write a notebook from code cells, open it and run every cell, wait for a widget, append
and run a cell, and read the kernel's state back through a second client attached to the very
kernel the page uses.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
from jupyter_client import BlockingKernelClient

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("DCML_CHROMIUM", "/usr/bin/chromium")
# --disable-background-networking & co: without them Chromium floods the closed network.
# WebGL 1 and 2 still work (software, SwiftShader via ANGLE) under these flags, headless:
# tests/ui/test_harness.py::test_webgl_available checks it.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
STARTUP_TIMEOUT = 90.0
CELL_TIMEOUT_MS = 120_000
JSON_MARK = "<<dcml-json>>"


class NotebookError(AssertionError):
    """A notebook cell raised (or never ran) in the browser; the message holds the traceback."""


@dataclass
class Server:
    """A running Jupyter server (JupyterLab or Notebook 7) on a loopback port.

    Attributes
    ----------
    kind : str
        ``"lab"`` or ``"notebook"``.
    url : str
        Base URL, e.g. ``http://127.0.0.1:8901``.
    root : pathlib.Path
        The server's root directory; notebooks are written here.
    token : str
        The auth token (empty: auth is off on this loopback-only server).
    runtime_dir : pathlib.Path
        Where the server writes kernel connection files.
    log_path : pathlib.Path
        The server's stdout and stderr.
    process : subprocess.Popen
        The server process (leader of its own process group).
    clients : list of Kernel
        Kernel clients made with :func:`kernel` on the server; closed by :meth:`stop`.
    """

    kind: str
    url: str
    root: Path
    token: str
    runtime_dir: Path
    log_path: Path
    process: subprocess.Popen = field(repr=False)
    clients: list = field(default_factory=list, repr=False)

    def notebook_url(self, name: str) -> str:
        """The page URL that opens notebook ``name`` (a path relative to :attr:`root`)."""
        if self.kind == "lab":
            # A fresh workspace per page load, so notebooks opened by earlier tests are not
            # restored (each would start its kernel and render its widgets again). ?reset
            # would do it too, but it reloads the page after the app has started.
            return f"{self.url}/lab/workspaces/t{uuid.uuid4().hex[:8]}/tree/{name}"
        return f"{self.url}/notebooks/{name}"

    def api(self, method: str, path: str, body: Any = None) -> Any:
        """Call the server's REST API and return the decoded JSON (None for an empty reply)."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method)
        request.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(request, timeout=30) as response:
            raw = response.read()
        return json.loads(raw) if raw else None

    def log_tail(self, n: int = 40) -> str:
        """The last ``n`` lines of the server's log (for failure messages)."""
        lines = self.log_path.read_text(errors="replace").splitlines()
        return "\n".join(lines[-n:])

    def stop(self) -> None:
        """Shut the server and its kernels down (politely, then by force)."""
        for client in self.clients:
            client.close()
        self.clients.clear()
        if self.process.poll() is None:
            try:
                self.api("POST", "/api/shutdown")
            except (OSError, urllib.error.URLError):
                pass
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


def free_port() -> int:
    """A TCP port that is free on 127.0.0.1 right now.

    Returns
    -------
    int
    """
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def isolated_env(base: Path, kind: str = "lab") -> dict[str, str]:
    """Environment for a server whose settings live under ``base``.

    The user's Jupyter config, data, runtime and IPython dirs are replaced by empty ones, so
    their settings do not leak in; the installed lab extensions (anywidget, the widget
    manager) stay visible because ``sys.prefix/share/jupyter`` stays on the data path.
    The repository goes first on ``PYTHONPATH`` so the kernel imports this checkout.

    Parameters
    ----------
    base : pathlib.Path
        Directory for the server's config, data, runtime and IPython dirs (created).
    kind : str
        ``"lab"`` also writes settings that turn JupyterLab's news popup off.

    Returns
    -------
    dict of str to str
        The environment for :class:`subprocess.Popen`.
    """
    dirs = {name: base / name for name in ("config", "data", "runtime", "ipython")}
    for path in dirs.values():
        path.mkdir(parents=True, exist_ok=True)
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("JUPYTER", "JPY_")) and k not in {"IPYTHONDIR", "MPLBACKEND"}
    }
    env.update(
        JUPYTER_CONFIG_DIR=str(dirs["config"]),
        JUPYTER_DATA_DIR=str(dirs["data"]),
        JUPYTER_RUNTIME_DIR=str(dirs["runtime"]),
        IPYTHONDIR=str(dirs["ipython"]),
        JUPYTERLAB_SETTINGS_DIR=str(dirs["config"] / "lab" / "user-settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(dirs["config"] / "lab" / "workspaces"),
        PYTHONPATH=os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p),
        PYTHONUNBUFFERED="1",
    )
    # The kernel must be this interpreter (the one with dcml_widgets and anywidget).
    spec = dirs["data"] / "kernels" / "python3"
    spec.mkdir(parents=True, exist_ok=True)
    (spec / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "Python 3 (ipykernel)",
                "language": "python",
            }
        )
    )
    if kind != "lab":
        return env
    # No news / update-check popup (it would sit over the notebook in the screenshots).
    settings = dirs["config"] / "lab" / "user-settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True, exist_ok=True)
    (settings / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False})
    )
    return env


def start_server(kind: str, base: Path) -> Server:
    """Start JupyterLab (``kind="lab"``) or Notebook 7 (``"notebook"``) and wait until it answers.

    Parameters
    ----------
    kind : str
        ``"lab"`` or ``"notebook"``.
    base : pathlib.Path
        Temporary directory holding the server's root, settings and log.

    Returns
    -------
    Server
        Stop it with :meth:`Server.stop`.

    Raises
    ------
    ValueError
        If ``kind`` is neither.
    RuntimeError
        If the server exits or does not answer within :data:`STARTUP_TIMEOUT` seconds; the
        message holds the end of its log.
    """
    if kind not in {"lab", "notebook"}:
        raise ValueError(f"kind must be 'lab' or 'notebook', got {kind!r}")
    env = isolated_env(base / "jupyter", kind)
    root = base / f"{kind}-root"
    root.mkdir(parents=True, exist_ok=True)
    port = free_port()
    app = "LabApp" if kind == "lab" else "JupyterNotebookApp"
    module = "jupyterlab" if kind == "lab" else "notebook"
    cmd = [
        sys.executable,
        "-m",
        module,
        "--no-browser",
        "--allow-root",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--ServerApp.root_dir={root}",
        "--IdentityProvider.token=",
        "--PasswordIdentityProvider.hashed_password=",
        # Loopback-only test server without auth: REST calls from the harness need no XSRF.
        "--ServerApp.disable_check_xsrf=True",
        "--ServerApp.terminals_enabled=False",
        f"--{app}.expose_app_in_browser=True",
    ]
    log_path = base / f"{kind}-server.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            cmd,
            cwd=root,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    server = Server(
        kind=kind,
        url=f"http://127.0.0.1:{port}",
        root=root,
        token="",
        runtime_dir=Path(env["JUPYTER_RUNTIME_DIR"]),
        log_path=log_path,
        process=process,
    )
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"The {kind} server exited with code {process.returncode}:\n{server.log_tail()}"
            )
        try:
            server.api("GET", "/api/status")
            return server
        except (OSError, urllib.error.URLError):
            time.sleep(0.25)
    server.stop()
    raise RuntimeError(
        f"The {kind} server did not answer in {STARTUP_TIMEOUT}s:\n{server.log_tail()}"
    )


# --- notebooks in the page ----------------------------------------------------------------

# Which server each page talks to, and what to clean up when the page's test ends.
_PAGE_SERVER: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_PAGE_NOTEBOOKS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_PAGE_CLIENTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def write_notebook(server: Server, cells: list[str], name: str | None = None) -> str:
    """Write an .ipynb of code ``cells`` into ``server.root``.

    Parameters
    ----------
    server : Server
    cells : list of str
        Source of each code cell, in order.
    name : str, optional
        File name relative to ``server.root`` (``.ipynb`` is appended if missing); a unique
        one by default.

    Returns
    -------
    str
        The notebook's name (relative path).

    Raises
    ------
    TypeError
        If ``cells`` is one string instead of a list.
    """
    if isinstance(cells, str):
        raise TypeError("cells must be a list of code strings, one per cell, not one string.")
    name = name or f"ui-{uuid.uuid4().hex[:8]}.ipynb"
    if not name.endswith(".ipynb"):
        name += ".ipynb"
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(source) for source in cells],
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
    )
    path = server.root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return name


# A predicate for wait_for_function: it must be synchronous (a Promise counts as truthy).
_WAIT_NOTEBOOK_JS = """
(name) => {
  const app = window.jupyterapp;
  const w = app && app.shell.currentWidget;
  if (!w || !w.context || w.context.path !== name || !w.context.isReady) return false;
  const session = w.sessionContext && w.sessionContext.session;
  return !!(session && session.kernel && session.kernel.status === 'idle');
}
"""

_RUN_ALL_JS = """
async () => {
  const shell = window.jupyterapp.shell;
  if (shell.collapseLeft) shell.collapseLeft();  // Lab: more room for the widgets
  await window.jupyterapp.commands.execute('notebook:run-all-cells');
  return true;
}
"""

_KERNEL_IDLE_JS = """
() => {
  const w = window.jupyterapp.shell.currentWidget;
  const kernel = w && w.sessionContext.session && w.sessionContext.session.kernel;
  return !!kernel && kernel.status === 'idle';
}
"""

# Every code cell's execution count and outputs, read from the notebook model in the page.
_CELLS_JS = """
() => window.jupyterapp.shell.currentWidget.content.widgets
  .filter((cell) => cell.model.type === 'code')
  .map((cell) => ({count: cell.model.executionCount, outputs: cell.model.outputs.toJSON()}))
"""

# Append a code cell and run it; with `wait` false, return at once (the cell keeps running).
_RUN_CELL_JS = """
async ({code, wait}) => {
  const app = window.jupyterapp;
  const nb = app.shell.currentWidget.content;
  const n = nb.model.cells.length;
  nb.model.sharedModel.insertCell(n, {cell_type: 'code', source: code});
  nb.activeCellIndex = n;
  nb.deselectAll();
  const done = app.commands.execute('notebook:run-cell');
  if (!wait) return null;
  await done;
  const cell = nb.widgets[n];
  return {count: cell.model.executionCount, outputs: cell.model.outputs.toJSON()};
}
"""


def _check_cell(index: int, cell: dict) -> None:
    for out in cell["outputs"]:
        if out.get("output_type") == "error":
            trace = "\n".join(out.get("traceback", []))
            trace = re.sub(r"\x1b\[[0-9;]*m", "", trace)  # drop ANSI colours
            raise NotebookError(
                f"cell {index} raised {out.get('ename')}: {out.get('evalue')}\n{trace}"
            )
    if cell["count"] is None:
        raise NotebookError(f"cell {index} did not run")


def _stdout(cell: dict) -> str:
    return "".join(
        "".join(out["text"]) if isinstance(out["text"], list) else out["text"]
        for out in cell["outputs"]
        if out.get("output_type") == "stream" and out.get("name") == "stdout"
    )


def open_notebook(page: Any, server: Server, cells: list[str], name: str | None = None) -> str:
    """Write a notebook from code ``cells``, open it in ``page``, run all cells, wait until idle.

    Parameters
    ----------
    page : playwright.sync_api.Page
        The test's page (the ``page`` fixture).
    server : Server
        The ``lab`` or ``notebook7`` fixture.
    cells : list of str
        Source of each code cell, in order.
    name : str, optional
        File name (relative to ``server.root``); a unique one by default.

    Returns
    -------
    str
        The notebook's name, for :func:`kernel`.

    Raises
    ------
    NotebookError
        If a cell raised (the message holds its traceback) or did not run.
    """
    name = write_notebook(server, cells, name)
    _PAGE_SERVER[page] = server
    _PAGE_NOTEBOOKS.setdefault(page, []).append((server, name))
    page.goto(server.notebook_url(name))
    page.wait_for_function(_WAIT_NOTEBOOK_JS, arg=name, timeout=60_000, polling=100)
    run_all(page)
    return name


def wait_idle(page: Any, timeout: float = CELL_TIMEOUT_MS) -> None:
    """Wait until the open notebook's kernel is idle (``timeout`` in milliseconds)."""
    page.wait_for_function(_KERNEL_IDLE_JS, timeout=timeout, polling=100)


def run_all(page: Any) -> None:
    """Run every cell of the open notebook and wait until the kernel is idle.

    Raises
    ------
    NotebookError
        If a cell raised (the message holds its traceback) or did not run.
    """
    page.evaluate(_RUN_ALL_JS)
    wait_idle(page)
    for index, cell in enumerate(page.evaluate(_CELLS_JS)):
        _check_cell(index, cell)


def run_cell(page: Any, code: str) -> str:
    """Append a code cell to the open notebook, run it, and return what it printed (stdout).

    Parameters
    ----------
    page : playwright.sync_api.Page
        A page on which :func:`open_notebook` opened a notebook.
    code : str
        The cell's source.

    Returns
    -------
    str
        The cell's stdout.

    Raises
    ------
    NotebookError
        If the cell raised; the message holds its traceback.
    """
    cell = page.evaluate(_RUN_CELL_JS, {"code": code, "wait": True})
    _check_cell(-1, cell)
    return _stdout(cell)


def start_cell(page: Any, code: str) -> None:
    """Append a code cell to the open notebook and start it without waiting (for timings).

    Parameters
    ----------
    page : playwright.sync_api.Page
        The page :func:`open_notebook` used.
    code : str
        Source of the cell; it keeps running after this returns.
    """
    page.evaluate(_RUN_CELL_JS, {"code": code, "wait": False})


def wait_for_widget(page: Any, selector: str, timeout: float = 30_000) -> Any:
    """Wait until an element matching ``selector`` is visible in the page.

    Parameters
    ----------
    page : playwright.sync_api.Page
    selector : str
        CSS selector of the widget's root (``.dcml-<view>``) or of a part it renders.
    timeout : float
        Milliseconds to wait.

    Returns
    -------
    playwright.sync_api.Locator
        The first matching element.

    Raises
    ------
    playwright.sync_api.TimeoutError
        If the widget did not render in time.
    """
    locator = page.locator(selector).first
    locator.wait_for(state="visible", timeout=timeout)
    return locator


# --- the kernel, seen from Python -----------------------------------------------------------


class KernelError(AssertionError):
    """Code run through :class:`Kernel` raised in the kernel; the message holds the traceback."""


class Kernel:
    """A second client on the kernel a notebook page uses: run code there, read values back.

    Created by :func:`kernel`. Closed automatically when the test's page closes.

    Parameters
    ----------
    server : Server
    notebook_name : str
        The notebook whose kernel session to attach to.

    Raises
    ------
    KeyError
        If no kernel session runs ``notebook_name``.
    """

    def __init__(self, server: Server, notebook_name: str) -> None:
        sessions = [s for s in server.api("GET", "/api/sessions") if s["path"] == notebook_name]
        if not sessions:
            known = [s["path"] for s in server.api("GET", "/api/sessions")]
            raise KeyError(f"No kernel session for {notebook_name!r}; sessions: {known}")
        self.kernel_id = sessions[0]["kernel"]["id"]
        connection = server.runtime_dir / f"kernel-{self.kernel_id}.json"
        self._client = BlockingKernelClient()
        self._client.load_connection_file(str(connection))
        self._client.start_channels()
        self._client.wait_for_ready(timeout=30)

    def run(self, code: str, timeout: float = 60.0) -> str:
        """Run ``code`` in the notebook's kernel and return its stdout.

        Parameters
        ----------
        code : str
        timeout : float
            Seconds to wait for the reply.

        Returns
        -------
        str

        Raises
        ------
        KernelError
            If the code raised.
        """
        out: list[str] = []
        errors: list[str] = []

        def hook(msg: dict) -> None:
            kind, content = msg["msg_type"], msg["content"]
            if kind == "stream" and content.get("name") == "stdout":
                out.append(content["text"])
            elif kind == "error":
                trace = "\n".join(content.get("traceback", []))
                errors.append(re.sub(r"\x1b\[[0-9;]*m", "", trace))

        reply = self._client.execute_interactive(
            code, store_history=False, output_hook=hook, timeout=timeout, allow_stdin=False
        )
        if reply["content"]["status"] != "ok" or errors:
            content = reply["content"]
            raise KernelError(
                f"{content.get('ename')}: {content.get('evalue')}\n" + "\n".join(errors)
            )
        return "".join(out)

    def eval_json(self, expr: str, timeout: float = 60.0) -> Any:
        """Evaluate the Python expression ``expr`` in the kernel and return its value via JSON.

        numpy scalars/arrays and pandas objects with ``.tolist()`` arrive as lists/numbers;
        anything else not JSON-native arrives as ``str(value)``.

        Parameters
        ----------
        expr : str
        timeout : float
            Seconds to wait for the reply.

        Returns
        -------
        Any
            The decoded JSON value.

        Raises
        ------
        KernelError
            If evaluating ``expr`` raised.
        """
        convert = "lambda o: o.tolist() if hasattr(o, 'tolist') else str(o)"
        code = f"print({JSON_MARK!r} + __import__('json').dumps(({expr}), default={convert}))"
        text = self.run(code, timeout=timeout)
        lines = [line for line in text.splitlines() if line.startswith(JSON_MARK)]
        if not lines:
            raise KernelError(f"{expr!r} printed no value; stdout was:\n{text}")
        return json.loads(lines[-1][len(JSON_MARK) :])

    def close(self) -> None:
        """Detach this client (the kernel keeps running); closing twice is harmless."""
        if self._client.channels_running:
            self._client.stop_channels()


def kernel(page_or_server: Any, notebook_name: str) -> Kernel:
    """A :class:`Kernel` client on the kernel that runs ``notebook_name``.

    Parameters
    ----------
    page_or_server : Page or Server
        The page that opened the notebook (with :func:`open_notebook`) or its server.
    notebook_name : str
        The name :func:`open_notebook` returned.

    Returns
    -------
    Kernel
        Closed with the page (or, for a server, when the server stops).

    Raises
    ------
    KeyError
        If the page opened no notebook, or no kernel runs ``notebook_name``.
    """
    if isinstance(page_or_server, Server):
        server = page_or_server
    else:
        server = _PAGE_SERVER.get(page_or_server)
        if server is None:
            raise KeyError("This page opened no notebook; call harness.open_notebook first.")
    client = Kernel(server, notebook_name)
    if isinstance(page_or_server, Server):
        server.clients.append(client)
    else:
        _PAGE_CLIENTS.setdefault(page_or_server, []).append(client)
    return client


def poll(k: Kernel, expr: str, want: Any, timeout: float = 15.0, interval: float = 0.2) -> Any:
    """Evaluate ``expr`` in the kernel until it equals ``want`` or ``timeout`` runs out.

    For checks that a browser action reached Python: the message travels asynchronously, so
    read the kernel's state until it shows the action. The caller asserts on the result.

    Parameters
    ----------
    k : Kernel
        From :func:`kernel`.
    expr : str
        A Python expression, evaluated with :meth:`Kernel.eval_json`.
    want : Any
        The JSON-decoded value expected.
    timeout : float
        Seconds to keep trying.
    interval : float
        Seconds between tries.

    Returns
    -------
    Any
        The last value read: ``want`` on success, else what Python held at the timeout.
    """
    deadline = time.monotonic() + timeout
    value = k.eval_json(expr)
    while value != want and time.monotonic() < deadline:
        time.sleep(interval)
        value = k.eval_json(expr)
    return value


def close_page(page: Any) -> None:
    """Detach kernel clients and shut down the kernels of notebooks ``page`` opened.

    Parameters
    ----------
    page : playwright.sync_api.Page
        Called by the ``page`` fixture at teardown.
    """
    for client in _PAGE_CLIENTS.pop(page, []):
        client.close()
    for server, name in _PAGE_NOTEBOOKS.pop(page, []):
        try:
            for session in server.api("GET", "/api/sessions"):
                if session["path"] == name:
                    server.api("DELETE", f"/api/sessions/{session['id']}")
        except (OSError, urllib.error.URLError):
            pass  # the server is already gone; its kernels went with it
    _PAGE_SERVER.pop(page, None)
