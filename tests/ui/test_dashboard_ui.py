"""The whole dashboard flow in a real browser on the bundled demo: audit, select an issue,
relabel, see the linked views move, measure — asserting what Python sees after each action."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.ui import harness

README_SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "dashboard.png"

SETUP = (
    "import dcml_widgets as dw\n"
    "df = dw.datasets.demo(n_rows=300)\n"
    'dash = dw.audit(df, label="digit")'
)


# The grid renders only the rows in view: wait until every rendered row is one of `wanted`.
GRID_SHOWS_ONLY = """
(wanted) => {
  const rows = [...document.querySelectorAll('.dcml-grid-row[data-pos]')];
  return rows.length > 0 && rows.every(r => wanted.includes(Number(r.dataset.pos)));
}
"""

EVERY_GRID_SHOWS_ONLY = """
(wanted) => [...document.querySelectorAll('.dcml-dashboard')].every(d => {
  const rows = [...d.querySelectorAll('.dcml-grid-row[data-pos]')];
  return rows.length > 0 && rows.every(r => wanted.includes(Number(r.dataset.pos)));
})
"""


def flagged_positions(k) -> list[int]:
    return k.eval_json(
        "[int(p) for p in dash.state.rows.positions("
        "dash.report.issues.index[dash.report.issues['is_label_issue']])]"
    )


@pytest.mark.ui
def test_dashboard_flow_in_lab(page, lab):
    name = harness.open_notebook(page, lab, [SETUP])
    harness.wait_for_widget(page, ".dcml-dashboard .dcml-header")
    k = harness.kernel(page, name)
    k.eval_json("dash.wait(300) is not None", timeout=320)  # UMAP done: no layout swap mid-test

    # Edits are saved, and the header says where.
    journal = page.locator(".dcml-header-journal")
    path = k.eval_json("str(dash.journal_path.relative_to(__import__('pathlib').Path.cwd()))")
    assert path.startswith(".dcml/") and path.endswith(".jsonl")
    assert journal.inner_text().startswith(f"Edits saved to {path}")

    # Click the label-issue count: Python selects exactly those rows, the grid shows them.
    expected = flagged_positions(k)
    assert expected
    page.locator(".dcml-header-issue[data-issue='label']").click()
    page.wait_for_function(GRID_SHOWS_ONLY, arg=expected)
    assert sorted(k.eval_json("[int(p) for p in dash.state.rows.selection]")) == expected
    assert k.eval_json("dash.grid.total") == len(expected)

    # Relabel the first shown row in the grid: the state, the confusion matrix (in Python and
    # on the page) and the embedding (colour by edit status) all follow.
    k.run("dash.embedding.color_by = 'status'")
    canvas = page.locator(".dcml-embedding-canvas").first
    page.wait_for_timeout(500)
    before_png = canvas.screenshot()
    row = page.locator(".dcml-grid-row[data-pos]").first
    pos = int(row.get_attribute("data-pos"))
    current = k.eval_json(f"int(dash.state.rows.label_codes[{pos}])")
    target = (current + 1) % 10
    row.locator("select.dcml-grid-relabel").select_option(str(target))
    k.eval_json("None")  # a round trip, so the relabel message was handled
    page.wait_for_function(
        "() => [...document.querySelectorAll('.dcml-confusion-cell')]"
        ".some(td => td.dataset.edited === '1')"
    )
    assert k.eval_json(f"int(dash.state.rows.label_codes[{pos}])") == target
    assert k.eval_json("len(dash.state.log)") == 1
    predicted = k.eval_json(f"int(dash.state.classes.index(dash.report.predicted.iloc[{pos}]))")
    cell = page.locator(
        f".dcml-confusion-cell[data-given='{target}'][data-predicted='{predicted}']"
    )
    assert cell.get_attribute("data-edited") == "1"
    page.wait_for_timeout(500)
    assert canvas.screenshot() != before_png  # the edited point changed colour
    page.locator(".dcml-header-edits", has_text="1 edit ·").first.wait_for()

    # Measure: a chart appears and Python holds the comparison, with the edit it included.
    page.locator(".dcml-measure-run").click()
    page.locator(".dcml-measure-history li").first.wait_for()
    chart = page.locator(".dcml-measure-panel .dcml-measure-chart").first
    chart.locator(".dcml-measure-chart-bar").first.wait_for()
    assert k.eval_json("len(dash.measurements)") == 1
    assert k.eval_json("dash.measurements[0].n_edits") == 1
    assert k.eval_json("sorted(map(str, dash.measurements[0].table.index))") == [
        str(c) for c in range(10)
    ]
    # One grey/blue bar pair per class, as tall as its F1 before/after on the 0-1 scale.
    table = k.eval_json(
        "[[str(c), float(r.f1_before), float(r.f1_after)]"
        " for c, r in dash.measurements[0].table.iterrows()]"
    )
    pairs = chart.locator(".dcml-measure-chart-class").evaluate_all(
        "(els) => els.map((e) => [...e.children].map((b) => ["
        "b.classList.contains('dcml-measure-chart-after'),"
        " b.getBoundingClientRect().height / e.getBoundingClientRect().height]))"
    )
    names = chart.locator(".dcml-measure-chart-name").all_text_contents()
    assert names == [c for c, _, _ in table]
    assert len(pairs) == 10 and all([p[0][0], p[1][0]] == [False, True] for p in pairs)
    for (_, before, after), ((_, shown_before), (_, shown_after)) in zip(table, pairs, strict=True):
        # A bar is at least 1 px tall (so an F1 of 0 still shows): within 2 px of 120.
        assert shown_before == pytest.approx(before, abs=2 / 120)
        assert shown_after == pytest.approx(after, abs=2 / 120)
    heading = chart.locator(".dcml-measure-chart-heading").text_content()
    assert heading == "Per-class F1, measurement #1 (1 edits, out-of-sample)"
    assert page.locator(".dcml-measure-classes tbody tr").count() == 10
    if os.environ.get("DCML_REFRESH_SCREENSHOT") == "1":  # the README's picture, on request
        page.locator(".dcml-dashboard").first.evaluate("el => el.scrollIntoView({block: 'start'})")
        page.wait_for_timeout(500)
        page.screenshot(path=str(README_SCREENSHOT))


@pytest.mark.ui
def test_dashboard_redisplayed_in_a_second_cell_stays_in_sync(page, lab):
    name = harness.open_notebook(
        page, lab, [SETUP.replace('"digit")', '"digit", journal=None)'), "dash"]
    )
    page.locator(".dcml-dashboard").nth(1).wait_for()
    headers = page.locator(".dcml-header")
    assert headers.count() == 2
    # journal=None: both copies warn that edits live in memory only.
    assert page.locator(".dcml-header-warning").count() == 2
    k = harness.kernel(page, name)
    headers.nth(1).locator(".dcml-header-issue[data-issue='label']").click()
    expected = flagged_positions(k)
    page.wait_for_function(EVERY_GRID_SHOWS_ONLY, arg=expected)
    assert sorted(k.eval_json("[int(p) for p in dash.state.rows.selection]")) == expected
    k.run("dash.state.exclude(dash.state.ids[:3])")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.dcml-header-edits')]"
        ".every(e => e.textContent.includes('3 excluded'))"
    )


@pytest.mark.ui
def test_dashboard_renders_in_notebook7(page, notebook7):
    name = harness.open_notebook(
        page, notebook7, [SETUP.replace('"digit")', '"digit", journal=None)')]
    )
    harness.wait_for_widget(page, ".dcml-dashboard .dcml-header")
    harness.wait_for_widget(page, ".dcml-dashboard .dcml-grid-row[data-pos]")
    harness.wait_for_widget(page, ".dcml-dashboard .dcml-confusion-cell")
    harness.wait_for_widget(page, ".dcml-dashboard .dcml-balance-bar")
    k = harness.kernel(page, name)
    page.locator(".dcml-header-issue[data-issue='label']").click()
    expected = flagged_positions(k)
    page.wait_for_function(GRID_SHOWS_ONLY, arg=expected)
    assert sorted(k.eval_json("[int(p) for p in dash.state.rows.selection]")) == expected
