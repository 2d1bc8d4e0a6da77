"""Review mode and guidelines in real JupyterLab: each key moves the review on and the counter
follows; a guideline set in Python appears in the grid's class picker; hostile guideline and
reviewer text stays text."""

from __future__ import annotations

import uuid

import pytest

from tests.ui import harness

HOSTILE = '<img src=x onerror="window.__pwned=1"><b>bold?</b>'


@pytest.mark.ui
def test_review_mode_advances_on_each_key_and_the_counter_follows(page, lab):
    journal = lab.root / f"review-{uuid.uuid4().hex[:8]}.jsonl"
    setup = (
        "import numpy as np\n"
        "import dcml_widgets as dw\n"
        "df = dw.datasets.demo(n_rows=240, seed=2)\n"
        "layout = df[['pixel_20', 'pixel_44']].to_numpy(np.float32)"
        " + np.arange(len(df))[:, None] * 1e-3\n"
        f"dash = dw.audit(df, label='digit', layout=layout, journal={str(journal)!r},"
        f" reviewer={HOSTILE!r}, progress=False)\n"
        "review = dash.review(5)\n"
        "dash"
    )
    name = harness.open_notebook(page, lab, [setup])
    harness.wait_for_widget(page, ".dcml-grid-row[data-id]")
    k = harness.kernel(page, name)
    queue = k.eval_json("[int(i) for i in review.queue.ids]")
    status = page.locator(".dcml-header-status")
    status.filter(has_text="0 of 5 reviewed").wait_for()
    assert k.eval_json("dash.state.focus") == queue[0]
    # click the first queued row (its id cell) to give the grid the keyboard
    page.locator(f".dcml-grid-row[data-id='{queue[0]}'] > span").nth(1).click()
    harness.poll(k, "dash.state.focus", queue[0])
    for step, key in enumerate(["r", "x", "r"], start=1):
        page.keyboard.press(key)
        status.filter(has_text=f"{step} of 5 reviewed").wait_for()
        harness.poll(k, "dash.state.focus", queue[step])
    done = k.eval_json(
        "[[bool(dash.state.reviewed[i]), bool(dash.state.excluded[i])] "
        "for i in review.queue.ids[:3]]"
    )
    assert done == [[True, False], [False, True], [True, False]]
    assert k.eval_json("len(dash.state.log)") == 3  # one group per key, nothing automatic
    page.keyboard.press("u")  # undo: the counter drops, the focus goes back
    status.filter(has_text="2 of 5 reviewed").wait_for()
    harness.poll(k, "dash.state.focus", queue[2])
    assert k.eval_json("dash.state.edits['author'].dropna().unique().tolist()") == [HOSTILE]
    assert page.evaluate("() => window.__pwned === undefined")
    assert page.locator(".dcml-dashboard img[src='x']").count() == 0


@pytest.mark.ui
def test_a_guideline_set_in_python_appears_in_the_picker_as_text(page, lab):
    setup = (
        "from tests.factories import blobs_frame, quick_report\n"
        "from dcml_widgets.state import DatasetState\n"
        "from dcml_widgets.views.grid.relabel_grid import RelabelGrid\n"
        "df, flipped = blobs_frame(n=60, n_classes=3, n_flipped=8, seed=4)\n"
        "state = DatasetState(df, 'y', report=quick_report(df))\n"
        "grid = RelabelGrid(state, columns=['text', 'f0'])\n"
        "grid"
    )
    name = harness.open_notebook(page, lab, [setup])
    harness.wait_for_widget(page, ".dcml-grid-row[data-id]")
    k = harness.kernel(page, name)
    k.run(f"state.set_guideline('c2', {HOSTILE!r}, examples=[7])")  # after the render
    page.locator(".dcml-grid-row[data-index='0'] > span").nth(1).click()
    page.keyboard.press("l")
    picker = page.locator(".dcml-grid-picker-input")
    picker.wait_for()
    picker.fill("c2")
    text = page.locator(".dcml-grid-guideline-text")
    text.wait_for()
    assert text.text_content() == HOSTILE
    example = k.eval_json("str(df.loc[7, 'text'])")
    assert page.locator(".dcml-grid-guideline li").text_content() == f"7: {example}"
    assert page.locator(".dcml-grid-guideline img, .dcml-grid-guideline b").count() == 0
    picker.fill("c0")  # a class without a guideline: nothing shown
    page.locator(".dcml-grid-guideline").wait_for(state="hidden")
    assert page.evaluate("() => window.__pwned === undefined")
