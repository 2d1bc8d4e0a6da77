"""The browser harness itself: project bundles load in JupyterLab and Notebook 7, a click
reaches Python, Python reaches the page, and the harness notices failures (a widget whose
JavaScript throws and never shows its view, a click that never reaches Python, a cell that
raises, a missing Chromium)."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.ui import harness
from tests.ui.conftest import ARTIFACTS, assert_no_console_errors

PROBE_CELLS = [
    "import pandas as pd\n"
    "from dcml_widgets.state import DatasetState\n"
    "from tests.fixtures.probe import Probe\n"
    "state = DatasetState(pd.DataFrame({'x': [1, 2, 3], 'y': list('aba')}), label='y')\n"
    "probe = Probe(state)",
    "probe",
]


@pytest.mark.ui
@pytest.mark.parametrize("app", ["lab", "notebook7"])
def test_probe_click_reaches_python(page, app, request):
    server = request.getfixturevalue(app)
    name = harness.open_notebook(page, server, PROBE_CELLS)
    # The project's bundle from dcml_widgets/static rendered (not anywidget's stub).
    button = harness.wait_for_widget(page, ".dcml-probe-button")
    k = harness.kernel(page, name)
    assert k.eval_json("list(state.selection)") == []
    for clicks, row in [(1, 0), (2, 1), (3, 2), (4, 0)]:
        button.click()
        page.locator(".dcml-probe-count", has_text=f"pings: {clicks}").wait_for()
        assert k.eval_json("[list(state.selection), probe.pings]") == [[row], clicks]
    # A cell appended in the page runs in the same kernel.
    assert harness.run_cell(page, "print(state.selection[0], probe.pings)") == "0 4\n"


@pytest.mark.ui
def test_python_changes_reach_the_page_and_run_cell(page, lab):
    name = harness.open_notebook(page, lab, PROBE_CELLS)
    harness.wait_for_widget(page, ".dcml-probe-button")
    # A change made through the second kernel client reaches the rendered widget...
    harness.kernel(page, name).run("probe.pings = 41")
    page.locator(".dcml-probe-count", has_text="pings: 41").wait_for()
    # ...and a cell appended in the page runs in the same kernel and returns its stdout.
    assert harness.run_cell(page, "probe.pings += 1\nprint(probe.pings)") == "42\n"
    page.locator(".dcml-probe-count", has_text="pings: 42").wait_for()
    with pytest.raises(harness.NotebookError, match="ZeroDivisionError"):
        harness.run_cell(page, "1 / 0")
    with pytest.raises(harness.KernelError, match="NameError"):
        harness.kernel(page, name).eval_json("no_such_name")


BROKEN_WIDGET = '''
import anywidget

class Broken(anywidget.AnyWidget):
    # Throws while building its view, so the view (.dcml-broken) never reaches the page.
    _esm = """
    const fail = () => { throw new Error("dcml-harness-broken-render"); };
    export default {
      render({ el }) {
        el.textContent = "about to fail";
        const view = document.createElement("div");
        view.className = "dcml-broken";
        view.textContent = fail();
        el.append(view);
      },
    };
    """

Broken()
'''


@pytest.mark.ui
def test_console_errors_from_a_broken_widget_are_caught(page, lab, console):
    harness.open_notebook(page, lab, [BROKEN_WIDGET])
    page.wait_for_function("() => document.body.textContent.includes('about to fail')", polling=100)
    # The same check that fails every UI test after its body ran must fail here.
    with pytest.raises(AssertionError, match="dcml-harness-broken-render"):
        assert_no_console_errors(page, console)
    assert console.take("dcml-harness-broken-render")  # expected: do not fail this test
    # A test waiting for the view that never rendered fails too.
    with pytest.raises(PlaywrightTimeoutError):
        harness.wait_for_widget(page, ".dcml-broken", timeout=1_000)


DEAF_WIDGET = '''
import anywidget
import traitlets

class Deaf(anywidget.AnyWidget):
    # The bug Python-side checks exist to catch: the view updates its own DOM but never
    # syncs the change (no model.save_changes()), so Python never hears of the click.
    _esm = """
    export default {
      render({ model, el }) {
        const button = document.createElement("button");
        button.className = "dcml-deaf";
        button.textContent = "clicks: 0";
        button.addEventListener("click", () => {
          model.set("clicks", model.get("clicks") + 1);
          button.textContent = `clicks: ${model.get("clicks")}`;
        });
        el.append(button);
      },
    };
    """
    clicks = traitlets.Int(0).tag(sync=True)

deaf = Deaf()
deaf
'''


@pytest.mark.ui
def test_a_click_that_never_reaches_python_is_caught(page, lab):
    name = harness.open_notebook(page, lab, [DEAF_WIDGET])
    button = harness.wait_for_widget(page, ".dcml-deaf")
    button.click()
    page.locator(".dcml-deaf", has_text="clicks: 1").wait_for()  # the page looks right...
    k = harness.kernel(page, name)
    assert harness.poll(k, "deaf.clicks", 1, timeout=2.0) == 0  # ...Python saw nothing
    # poll keeps reading until the value arrives (here set a moment later, in the kernel).
    k.run("import threading\nthreading.Timer(0.5, setattr, (deaf, 'clicks', 5)).start()")
    assert k.eval_json("deaf.clicks") == 0
    assert harness.poll(k, "deaf.clicks", 5) == 5


@pytest.mark.ui
def test_a_failing_cell_fails_open_notebook(page, lab):
    with pytest.raises(harness.NotebookError, match="ValueError: dcml-cell-boom"):
        harness.open_notebook(page, lab, ["x = 1", "raise ValueError('dcml-cell-boom')", "y = 2"])


@pytest.mark.ui
def test_webgl_available(page):
    # The embedding view draws with WebGL; under --disable-gpu Chromium must fall back to
    # software rendering (SwiftShader) rather than return no context.
    page.set_content("<canvas></canvas>")
    versions = page.evaluate(
        """() => ['webgl', 'webgl2'].map((kind) => {
          const gl = document.createElement('canvas').getContext(kind);
          return gl ? gl.getParameter(gl.VERSION) : null;
        })"""
    )
    assert versions[0].startswith("WebGL 1.0"), versions
    assert versions[1].startswith("WebGL 2.0"), versions


def _pytest(node: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pytest", node, "-p", "no:cacheprovider", "-q", "-rA"],
        cwd=harness.REPO,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=240,
    )


@pytest.mark.ui
def test_a_missing_chromium_fails_loudly_and_a_screenshot_is_saved():
    node = "tests/ui/test_harness.py::test_webgl_available"
    missing = _pytest(node, DCML_CHROMIUM="/nonexistent/chromium")
    assert missing.returncode != 0, missing.stdout
    assert "Chromium not found at /nonexistent/chromium" in missing.stdout
    assert re.search(r"\b1 error\b", missing.stdout)
    assert not re.search(r"\d+ skipped", missing.stdout)

    shot = ARTIFACTS / "test_webgl_available.png"
    shot.unlink(missing_ok=True)
    ok = _pytest(node)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
