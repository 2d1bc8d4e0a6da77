"""Coverage in real JupyterLab: an audit with the demo pool draws the pool rows grey behind a
legend entry that hides and shows them, a click on a gap selects its rows in Python, and the
grid says which rule a planted invalid cell broke."""

from __future__ import annotations

import pytest

from tests.ui import harness

SETUP = (
    "import dcml_widgets as dw\n"
    "df = dw.datasets.demo(n_rows=300)\n"
    "pool = dw.datasets.demo_pool(n_rows=100, train_rows=300)\n"
    'dash = dw.audit(df, label="digit", unlabeled=pool, journal=None)'
)
ROOT = ".dcml-dashboard .dcml-embedding"


def open_audit(page, lab):
    name = harness.open_notebook(page, lab, [SETUP])
    harness.wait_for_widget(page, f"{ROOT}[data-ready='1']", timeout=120_000)
    k = harness.kernel(page, name)
    k.eval_json("dash.wait(300) is not None", timeout=320)  # UMAP done: no swap mid-test
    return k


def check_pool_toggle(page, k):
    n, n_pool = k.eval_json("[len(dash.state.ids), int(dash.state.labels.isna().sum())]")
    assert n_pool == 100 and n == 400
    page.locator(f"{ROOT}[data-ready='1'][data-shown='{n}']").wait_for(timeout=30_000)
    entry = page.locator(f'{ROOT} .dcml-embedding-legend button[data-code="pool"]')
    assert entry.inner_text().replace("\n", " ").strip() == f"unlabeled (pool) {n_pool}"
    entry.click()
    page.locator(f"{ROOT}[data-shown='{n - n_pool}']").wait_for(timeout=10_000)
    assert entry.get_attribute("aria-pressed") == "false"
    # Hidden in every channel: colour by edit status, the pool stays off.
    page.locator(f"{ROOT} select").first.select_option("status")
    page.locator(f"{ROOT}[data-color-by='status'][data-shown='{n - n_pool}']").wait_for(
        timeout=10_000
    )
    entry.click()
    page.locator(f"{ROOT}[data-shown='{n}']").wait_for(timeout=10_000)
    assert entry.get_attribute("aria-pressed") == "true"
    # Labelling a pool row takes it out of the pool (its grey and the entry's count).
    k.run("dash.state.relabel(dash.state.ids[300], 3)")
    page.wait_for_function(
        "(want) => document.querySelector('.dcml-dashboard .dcml-embedding-legend "
        "button[data-code=\"pool\"]')?.innerText.replace(/\\s+/g, ' ').trim() === want",
        arg=f"unlabeled (pool) {n_pool - 1}",
        timeout=10_000,
    )
    k.run("dash.state.undo()")


@pytest.mark.ui
def test_pool_rows_on_the_map_and_gaps_in_the_dashboard(page, lab):
    k = open_audit(page, lab)
    check_pool_toggle(page, k)
    check_gap_click(page, k)
    check_failed_rules(page, k)


def check_failed_rules(page, k):
    planted = k.eval_json("pool.attrs['planted_invalid'][3]")  # a pixel set to 255
    k.run(
        f"dash.state.select([{planted['id']}])\ndash.grid.set_view(filter={{'scope': 'selection'}})"
    )
    cell = page.locator(
        f".dcml-dashboard .dcml-grid-row[data-id='{planted['id']}'] .dcml-grid-rules"
    )
    cell.wait_for(timeout=10_000)
    assert f"{planted['column']} {planted['rule']}" in cell.text_content()
    assert f"{planted['column']}: {planted['rule']} (value 255)" in cell.get_attribute("title")


def check_gap_click(page, k):
    n_gaps = k.eval_json("len(dash.report.gaps)")
    assert n_gaps >= 1  # the sideways scanner's rows: a style no training row has
    rows = page.locator(".dcml-dashboard .dcml-gaps .dcml-gaps-row")
    rows.first.wait_for(timeout=10_000)
    assert rows.count() == min(n_gaps, 8)
    size, examples = k.eval_json(
        "[int(dash.report.gaps.loc[0, 'size']), [str(i) for i in dash.report.gaps.loc[0, "
        "'example_ids']]]"
    )
    cells = rows.first.locator("td")
    assert cells.nth(1).inner_text() == str(size)
    assert cells.nth(3).inner_text() == ", ".join(examples)
    for number in range(min(n_gaps, 2)):
        # The rows of the gap, by its per-row gap id (independent of the panel's code).
        want = k.eval_json(
            "sorted(int(p) for p in dash.state.rows.positions("
            f"dash.report.issues.index[dash.report.issues['gap'] == {number}]))"
        )
        rows.nth(number).locator("td").nth(2).click()
        got = harness.poll(k, "sorted(int(p) for p in dash.state.rows.selection)", want)
        assert got == want and len(want) == k.eval_json(
            f"int(dash.report.gaps.loc[{number}, 'size'])"
        )
    assert k.eval_json("dash.gaps_panel.error") == ""
