"""A pred_probs-only audit (10k rows, image paths, the user's own class order) in real
JupyterLab: every view draws, the header says what the layout is made of, a click on the label
issues selects exactly those rows in Python, and measure says what it needs."""

from __future__ import annotations

import pytest

from tests.ui import harness

SETUP = """
import numpy as np, pandas as pd, pathlib
from PIL import Image
import dcml_widgets as dw
rng = np.random.default_rng(3)
n, k = 10_000, 10
truth = rng.integers(0, k, n)
logits = rng.normal(0, 1, (n, k)); logits[np.arange(n), truth] += 4.0
probs = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
labels = truth.copy(); flip = rng.choice(n, 500, replace=False)
labels[flip] = (labels[flip] + rng.integers(1, k, 500)) % k
pathlib.Path("scans").mkdir(exist_ok=True)
files = [f"scans/{i:05d}.png" for i in range(n)]
for i, f in enumerate(files):
    Image.fromarray(np.full((8, 8), i % 251, dtype=np.uint8)).save(f)
df = pd.DataFrame({"file": files, "y": [f"c{v}" for v in labels]},
                  index=pd.Index([f"scan-{i}" for i in range(n)], name="id"))
classes = [f"c{v}" for v in range(k - 1, -1, -1)]   # the model's own column order
dash = dw.audit(df, label="y", pred_probs=probs[:, ::-1], classes=classes, journal=None)
"""


@pytest.mark.ui
def test_pred_probs_only_dashboard_in_lab(page, lab):
    name = harness.open_notebook(page, lab, [SETUP])
    harness.wait_for_widget(page, ".dcml-dashboard .dcml-header")
    k = harness.kernel(page, name)
    k.eval_json("dash.wait(300) is not None", timeout=320)
    page.locator(".dcml-header-layout", has_text="umap of the model's probabilities").wait_for()
    na = page.locator(".dcml-header-issue[data-issue='near_duplicate'] .dcml-header-count")
    assert na.inner_text() == "n/a"  # not assessed without features, and said so
    # All 10k points are drawn (the plot reports what it holds), and the grid shows pictures.
    page.wait_for_function(
        "() => document.querySelector('.dcml-embedding')?.dataset.points === '10000'"
    )
    page.locator(".dcml-grid-row[data-pos] img").first.wait_for()
    # The label-issue count selects exactly the flagged rows in Python.
    expected = k.eval_json(
        "sorted(int(p) for p in np.flatnonzero(dash.report.issues['is_label_issue']))"
    )
    assert len(expected) > 300
    page.locator(".dcml-header-issue[data-issue='label']").click()
    harness.poll(k, "len(dash.state.selection)", len(expected))
    assert sorted(k.eval_json("[int(p) for p in dash.state.rows.selection]")) == expected
    # Measuring needs a model to retrain: the panel says so, Python holds no measurement.
    page.locator(".dcml-measure-run").click()
    page.locator(".dcml-measure-panel", has_text="needs features= or a model").first.wait_for()
    assert k.eval_json("len(dash.measurements)") == 0
