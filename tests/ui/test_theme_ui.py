"""The dashboard in JupyterLab's light and dark themes: every text of every view keeps WCAG's
4.5:1 contrast against what is behind it (measured in the page, tests/ui/contrast.js), the
scatter follows the theme, and `?` in the grid shows its keys without taking any key from
JupyterLab. Screenshot: tests/ui/artifacts/theme-dark-dashboard.png."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ui import harness
from tests.ui.conftest import ARTIFACTS

CONTRAST_JS = (Path(__file__).with_name("contrast.js")).read_text(encoding="utf-8")
WCAG_AA = 4.5

# A dashboard with every kind of text on show: issue badges, edited and selected rows, heat
# cells, a measurement with gains and losses, the memory-only warning and a refusal banner.
CELLS = [
    "import numpy as np\n"
    "import dcml_widgets as dw\n"
    "df = dw.datasets.demo(n_rows=300)\n"
    "xy = np.random.default_rng(0).normal(size=(len(df), 2))\n"
    'dash = dw.audit(df, label="digit", layout=xy, journal=None)\n'
    "flagged = dash.report.issues.index[dash.report.issues['is_label_issue']]\n"
    "dash.state.accept_suggestion(flagged[:6])\n"
    "dash.measure()\n"
    "dash.state.select(flagged[:4])\n"
    "dash",
]

THEME_JS = """
async (theme) => {
  await window.jupyterapp.commands.execute('apputils:change-theme', {theme});
  return true;
}
"""

_MODE_JS = """
() => {
  const nb = window.jupyterapp.shell.currentWidget.content;
  return {n: nb.model.cells.length, mode: nb.mode};
}
"""


def set_theme(page, theme: str) -> None:
    page.evaluate(THEME_JS, theme)
    page.wait_for_function("(t) => document.body.dataset.jpThemeName === t", arg=theme)


def check_contrast(page, theme: str) -> dict:
    """Measure every text of the dashboard; fail listing the ones below 4.5:1."""
    result = page.evaluate(CONTRAST_JS, ".dcml-dashboard")
    measured = result["measured"]
    low = [m for m in measured if m["ratio"] < WCAG_AA]
    assert not low, f"{theme}: {len(low)} texts below {WCAG_AA}:1, e.g. {low[:5]}"
    by_area: dict[str, list[float]] = {}
    for m in measured:
        by_area.setdefault(m["area"], []).append(m["ratio"])
    # Each view's text was found and measured (not silently skipped).
    for area in ("header", "legend", "confusion cells", "grid cells", "error banner", "measure"):
        assert by_area.get(area), f"{theme}: no {area} text was measured: {sorted(by_area)}"
    return {area: (len(r), min(r)) for area, r in by_area.items()}


@pytest.mark.ui
def test_every_view_is_readable_in_light_and_dark_and_the_grid_shows_its_keys(page, lab):
    page.set_viewport_size({"width": 1400, "height": 1400})
    name = harness.open_notebook(page, lab, CELLS)
    harness.wait_for_widget(page, ".dcml-dashboard .dcml-grid-row[data-pos]")
    harness.wait_for_widget(page, ".dcml-dashboard .dcml-measure-classes")
    page.locator(".dcml-embedding[data-ready='1']").wait_for()
    k = harness.kernel(page, name)
    # A refused message (as a tampered front end would send) shows the grid's error banner.
    k.run("dash.grid._dispatch(dash.grid, {'type': 'no-such-message'}, [])")
    page.locator(".dcml-grid .dcml-error").wait_for()
    edits = k.eval_json("len(dash.state.log)")

    try:
        light = check_contrast(page, "JupyterLab Light")
        assert page.locator(".dcml-embedding").get_attribute("data-dark") == "0"

        set_theme(page, "JupyterLab Dark")
        # The scatter re-read the theme: its colours are now those for a dark background.
        page.locator(".dcml-embedding[data-dark='1']").wait_for()
        # Heat cells took text colours for their new, darker backgrounds.
        page.wait_for_function(
            "() => [...document.querySelectorAll('.dcml-confusion-diag')]"
            ".every(td => getComputedStyle(td).color === 'rgb(255, 255, 255)')"
        )
        page.evaluate("() => document.querySelector('.dcml-dashboard').scrollIntoView()")
        page.screenshot(path=str(ARTIFACTS / "theme-dark-dashboard.png"))
        dark = check_contrast(page, "JupyterLab Dark")
        print("contrast (n texts, lowest ratio) light:", light, "dark:", dark)

        # `?` in the grid shows the keys; ?, Escape and a click close it.
        before = page.evaluate(_MODE_JS)
        page.locator(".dcml-grid-row[data-index='0'] > span").nth(1).click()
        help_panel = page.locator(".dcml-grid-help")
        page.keyboard.press("?")
        help_panel.wait_for(state="visible")
        lines = help_panel.locator("tr").all_inner_texts()
        assert any(line.split("\t") == ["a", "accept the suggested label"] for line in lines)
        labels = [line.split("\t")[0] for line in lines]
        for key in ("j / ↓", "k / ↑", "1–9", "x", "r", "n", "space", "u", "shift+U", "?", "Esc"):
            assert key in labels, (key, labels)
        page.keyboard.press("?")
        help_panel.wait_for(state="hidden")
        page.keyboard.press("?")
        help_panel.wait_for(state="visible")
        page.keyboard.press("Escape")
        help_panel.wait_for(state="hidden")
        page.keyboard.press("?")
        help_panel.wait_for(state="visible")
        page.locator(".dcml-header-title").click()
        help_panel.wait_for(state="hidden")
        # JupyterLab acted on none of those keys, and Python saw no edit and no refusal.
        assert page.evaluate(_MODE_JS) == before
        assert k.eval_json("[len(dash.state.log), dash.grid.error]") == [edits, ""]

        # With the help closed, JupyterLab still gets its keys: Enter edits a cell, Escape
        # leaves the editor, b adds a cell below.
        page.evaluate("() => window.jupyterapp.shell.currentWidget.content.node.focus()")
        page.keyboard.press("Enter")
        page.wait_for_function(
            "() => window.jupyterapp.shell.currentWidget.content.mode === 'edit'"
        )
        page.keyboard.press("Escape")
        page.wait_for_function(
            "() => window.jupyterapp.shell.currentWidget.content.mode === 'command'"
        )
        page.keyboard.press("b")
        page.wait_for_function(
            "(n) => window.jupyterapp.shell.currentWidget.content.model.cells.length === n",
            arg=before["n"] + 1,
        )
        assert help_panel.is_hidden()
    finally:
        set_theme(page, "JupyterLab Light")  # the server's settings outlive this test
