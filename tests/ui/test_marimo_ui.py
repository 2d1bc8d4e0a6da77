"""The dashboard in marimo: ``dash.views()`` wrapped by ``mo.ui.anywidget`` in a real
``marimo run`` server, driven in Chromium.

The app writes what Python holds to files in its directory (the flagged rows, and the
selection on every change), so the test reads the kernel's state without a kernel client.
It holds the background UMAP layout until the page shows the first (PCA) look, so the test
sees the later layout arrive rather than race it.
"""

from __future__ import annotations

import json
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from tests.ui import apps
from tests.ui.conftest import ARTIFACTS

APP = """
import marimo

app = marimo.App(width="full")


@app.cell
def _():
    import json
    import time
    from pathlib import Path

    import marimo as mo

    import dcml_widgets as dw
    from dcml_widgets.analysis import embed

    # Test gate: the background UMAP layout waits until the test has seen the first look.
    _umap = embed.umap_layout

    def _after_go(*args, **kwargs):
        while not Path("umap-go").exists():
            time.sleep(0.05)
        return _umap(*args, **kwargs)

    embed.umap_layout = _after_go
    return Path, dw, json, mo


@app.cell
def _(Path, dw, json):
    df = dw.datasets.demo(n_rows=300)
    dash = dw.audit(df, label="digit", journal=None, progress=False)
    _flagged = dash.report.issues.index[dash.report.issues["is_label_issue"]]
    Path("flagged.json").write_text(json.dumps(sorted(int(i) for i in _flagged)))

    def _write_selection(change):
        if change.field == "selection":
            _ids = sorted(int(i) for i in dash.state.selection)
            Path("selection.json").write_text(json.dumps(_ids))

    _unfollow = dash.state.on_change(_write_selection)
    return (dash,)


@app.cell
def _(dash, mo):
    mo.vstack([mo.hstack([mo.ui.anywidget(v) for v in row], wrap=True) for row in dash.views()])
    return


if __name__ == "__main__":
    app.run()
"""

STATUS = ".dcml-embedding-status"
# The canvas's width over ten animation frames (a resize loop would widen it every frame or two).
SETTLED_WIDTHS = """
async (canvas) => {
  const widths = [];
  for (let i = 0; i < 10; i++) {
    await new Promise((resolve) => requestAnimationFrame(resolve));
    widths.push(canvas.getBoundingClientRect().width);
  }
  return widths;
}
"""
FIRST_LOAD_MS = 180_000  # the cell runs the analysis (and numba compiles on a cold cache)


@pytest.fixture(scope="module")
def marimo_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[apps.AppServer]:
    root = tmp_path_factory.mktemp("marimo")
    (root / "app.py").write_text(textwrap.dedent(APP).lstrip())
    server = apps.start_app(
        lambda port: [
            sys.executable,
            "-m",
            "marimo",
            "run",
            "app.py",
            "--headless",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-token",
            "--no-sandbox",
        ],
        root,
    )
    yield server
    server.stop()


def read_json(path: Path, timeout: float = 30.0) -> object:
    """The JSON in ``path`` once the app has written it (None if it never did)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            return json.loads(path.read_text())
        except (OSError, ValueError):
            time.sleep(0.1)
    return None


def test_dashboard_views_work_in_marimo(page, marimo_app):
    refused = apps.guard_requests(page)
    page.goto(marimo_app.url)
    root = marimo_app.root

    # Every view renders: header, balance chart, embedding, confusion matrix, grid.
    for selector in (
        ".dcml-header",
        ".dcml-balance-bar",
        ".dcml-embedding-canvas",
        ".dcml-confusion-cell",
        ".dcml-grid-row[data-pos]",
    ):
        page.locator(selector).first.wait_for(timeout=FIRST_LOAD_MS)
    status = page.locator(STATUS)
    status.filter(has_text=" · pca · ").first.wait_for()  # the first look

    # A click in the header reaches Python: the label-issue rows are selected there.
    flagged = read_json(root / "flagged.json")
    assert flagged, marimo_app.log_tail()
    page.locator(".dcml-header-issue[data-issue='label']").first.click()
    deadline = time.monotonic() + 30
    while read_json(root / "selection.json", 1) != flagged and time.monotonic() < deadline:
        time.sleep(0.1)
    assert read_json(root / "selection.json") == flagged
    status.filter(has_text=f" · {len(flagged)} selected").first.wait_for()

    # The UMAP layout, made later in a background thread, reaches the page.
    (root / "umap-go").write_text("go")
    status.filter(has_text=" · umap · ").first.wait_for(timeout=FIRST_LOAD_MS)

    # The scatter keeps its size (no resize loop in marimo's boxes) and draws the points.
    canvas = page.locator(".dcml-embedding-canvas").first
    widths = canvas.evaluate(SETTLED_WIDTHS)
    assert len(set(widths)) == 1, widths
    canvas.evaluate("c => c.scrollIntoView({block: 'center'})")
    canvas.screenshot(path=str(ARTIFACTS / "marimo_embedding.png"))
    colours = Image.open(ARTIFACTS / "marimo_embedding.png").convert("RGB").getcolors(1 << 16)
    assert colours is None or len(colours) > 10  # points in the palette, not a blank canvas
    page.screenshot(path=str(ARTIFACTS / "marimo_dashboard_full.png"))
    assert refused == []
