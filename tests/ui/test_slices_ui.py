"""The weakest-slices panel in real JupyterLab: clicking a slice selects its rows in Python."""

from __future__ import annotations

import pytest

from tests.ui import harness

SETUP = (
    "import numpy as np, pandas as pd\n"
    "import dcml_widgets as dw\n"
    "from dcml_widgets.analysis.pipeline import start_analysis\n"
    "from dcml_widgets.views.dashboard.slices_panel import SlicesPanel\n"
    "rng = np.random.default_rng(0)\n"
    "truth = np.arange(300) % 3\n"
    "x = np.array([[0, 0], [4, 0], [0, 4]])[truth] + rng.normal(size=(300, 2))\n"
    "site = rng.choice(['near', 'mid', 'far'], 300)\n"
    "x[site == 'far'] = rng.normal(2, 2, size=((site == 'far').sum(), 2))\n"
    "df = pd.DataFrame(x, columns=['u', 'v']).assign(site=site, y=[f'c{t}' for t in truth])\n"
    "report = start_analysis(df, 'y', progress=False).first_look\n"
    "state = dw.DatasetState(df, 'y', report=report)\n"
    "panel = SlicesPanel(state)\n"
    "panel"
)


@pytest.mark.ui
def test_clicking_a_slice_selects_its_rows_in_python(page, lab):
    name = harness.open_notebook(page, lab, [SETUP])
    harness.wait_for_widget(page, ".dcml-slices .dcml-slices-row")
    k = harness.kernel(page, name)
    rows = page.locator(".dcml-slices-row")
    assert rows.first.locator("td").first.inner_text() == "site = far"
    assert rows.count() == k.eval_json("len(panel.slices)")
    for number in (0, 1):
        want = k.eval_json(f"sorted(int(p) for p in report.slice_positions[{number}])")
        rows.nth(number).locator("td").nth(2).click()
        got = harness.poll(k, "sorted(int(p) for p in state.rows.selection)", want)
        assert got == want
    assert k.eval_json("panel.error") == ""
