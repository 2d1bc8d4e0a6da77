"""Conflict groups in the grid, in real JupyterLab: one click shows a group, one resolves it
as a single undo step."""

from __future__ import annotations

import pytest

from tests.ui import harness

SETUP = (
    "import numpy as np, pandas as pd\n"
    "import dcml_widgets as dw\n"
    "from dcml_widgets.analysis.pipeline import start_analysis\n"
    "rng = np.random.default_rng(0)\n"
    "truth = np.arange(120) % 3\n"
    "x = rng.normal(0, 6, size=(3, 3))[truth] + rng.normal(size=(120, 3))\n"
    "df = pd.DataFrame(x, columns=['f0', 'f1', 'f2']).assign(y=[f'c{t}' for t in truth])\n"
    "extra = pd.concat([df.loc[[5]]] * 3).set_axis([900, 901, 902]).assign(y=['c0', 'c1', 'c0'])\n"
    "df = pd.concat([df, extra])\n"
    "report = start_analysis(df, 'y', progress=False).first_look\n"
    "state = dw.DatasetState(df, 'y', report=report)\n"
    "grid = dw.RelabelGrid(state)\n"
    "grid.set_view(filter={'issue': 'conflicting_label'}, sort='id')\n"
    "grid"
)


@pytest.mark.ui
def test_show_and_resolve_a_conflict_group_in_the_grid(page, lab):
    name = harness.open_notebook(page, lab, [SETUP])
    harness.wait_for_widget(page, ".dcml-grid-row[data-pos] .dcml-grid-group-show")
    k = harness.kernel(page, name)
    group = [5, 900, 901, 902]
    assert sorted(k.eval_json("[int(i) for i in state.report.ids[state.report.issues"
                              "['conflict_group'] == 0]]")) == group  # fmt: skip
    before = k.eval_json("list(state.labels.loc[[5, 900, 901, 902]])")
    assert len(set(before)) > 1

    row = page.locator(".dcml-grid-row[data-id='901']")
    row.locator(".dcml-grid-group-show").click()
    got = harness.poll(k, "sorted(int(i) for i in state.selection)", group)
    assert got == group

    row.locator(".dcml-grid-group-resolve").click()  # row 901 holds c1
    got = harness.poll(k, "list(state.labels.loc[[5, 900, 901, 902]])", ["c1"] * 4)
    assert got == ["c1"] * 4
    assert k.eval_json("len(state.log)") == 1
    assert k.eval_json("sorted(set(state.edits['source']))") == ["bulk"]
    assert k.eval_json("state.undo()") is True
    assert k.eval_json("list(state.labels.loc[[5, 900, 901, 902]])") == before
    assert k.eval_json("grid.error") == ""
