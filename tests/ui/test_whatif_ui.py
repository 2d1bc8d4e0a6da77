"""The what-if chart in real JupyterLab: it renders the projection Python made, and its apply
button is one ordinary command (one undo step restores the labels)."""

from __future__ import annotations

import pytest

from tests.ui import harness

SETUP = (
    "import numpy as np\n"
    "import dcml_widgets as dw\n"
    "df = dw.datasets.demo(n_rows=200, seed=3)\n"
    "layout = df[['pixel_20', 'pixel_44']].to_numpy(np.float32) + "
    "np.arange(200)[:, None] * 1e-3\n"
    'dash = dw.audit(df, label="digit", journal=None, layout=layout, progress=False)'
)


@pytest.mark.ui
def test_what_if_chart_renders_and_apply_is_one_undo_step(page, lab):
    name = harness.open_notebook(page, lab, [SETUP])
    harness.wait_for_widget(page, ".dcml-dashboard .dcml-whatif")
    k = harness.kernel(page, name)
    run = page.locator(".dcml-whatif-run")
    assert run.inner_text() == "Project"
    run.click()
    # While it runs the kernel answers (the projection is in a thread) and progress shows.
    page.locator(".dcml-whatif-run", has_text="Projecting").wait_for(timeout=30_000)
    assert k.eval_json("1 + 1") == 2
    page.locator(".dcml-whatif-row").nth(5).wait_for(timeout=240_000)
    page.locator(".dcml-whatif-run", has_text="Project again").wait_for(timeout=30_000)

    # The chart shows Python's table, in its order, with a bar for each row that moved.
    order = k.eval_json("list(dash.what_if_runs.table.index)")
    shown = page.eval_on_selector_all(
        ".dcml-whatif-row", "rows => rows.map(r => r.dataset.intervention)"
    )
    assert shown == order and len(order) == 6
    with_rows = k.eval_json("int((dash.what_if_runs.table['n_rows'] > 0).sum())")
    assert page.locator(".dcml-whatif-row .dcml-whatif-bar").count() == with_rows
    assert "optimistic" in page.locator(".dcml-whatif-note").inner_text()

    # Apply one row from the browser: one group in the log, labels changed, one undo restores.
    before = k.eval_json("dash.state.labels.astype(str).tolist()")
    n_ids = k.eval_json("len(dash.what_if_runs.table.loc['accept_suggestions', 'ids'])")
    assert n_ids > 0
    page.locator('button.dcml-whatif-apply[data-intervention="accept_suggestions"]').click()
    harness.poll(k, "len(dash.state.log)", 1)
    assert k.eval_json("dash.state.can_undo") is True
    assert k.eval_json("int(dash.state.edited.sum())") == n_ids
    assert k.eval_json("sorted(set(dash.state.edits['reason']))") == ["what-if: accept_suggestions"]
    # The figures are stale now: the page says so and its apply buttons are off.
    page.locator(".dcml-whatif-info", has_text="since this projection").wait_for()
    assert page.locator("button.dcml-whatif-apply:not([disabled])").count() == 0
    assert k.eval_json("dash.state.undo()") is True
    assert k.eval_json("dash.state.labels.astype(str).tolist()") == before
    assert k.eval_json("dash.state.can_undo") is False
