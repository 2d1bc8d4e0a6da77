"""The dashboard at 1000, 1400 and 1900 px of JupyterLab: the confusion matrix of 10 and of 20
classes fits beside the embedding without a sideways scroll at 1400 px and more, and the two
stack below ~1100 px of output width. Screenshots go to tests/ui/artifacts/layout-*.png."""

from __future__ import annotations

import pytest

from tests.ui import harness
from tests.ui.conftest import ARTIFACTS

# CIFAR-10's and 20 Newsgroups' class names: short words, and long dotted names.
TEN = [
    "airplane", "automobile", "bird", "cat", "deer",
    "dog", "frog", "horse", "ship", "truck",
]  # fmt: skip
TWENTY = [
    "alt.atheism", "comp.graphics", "comp.os.ms-windows.misc", "comp.sys.ibm.pc.hardware",
    "comp.sys.mac.hardware", "comp.windows.x", "misc.forsale", "rec.autos", "rec.motorcycles",
    "rec.sport.baseball", "rec.sport.hockey", "sci.crypt", "sci.electronics", "sci.med",
    "sci.space", "soc.religion.christian", "talk.politics.guns", "talk.politics.mideast",
    "talk.politics.misc", "talk.religion.misc",
]  # fmt: skip

SETUP = f"""
import numpy as np, pandas as pd
import dcml_widgets as dw
def frame(names, seed, n_per=12):
    rng = np.random.default_rng(seed)
    truth = np.repeat(np.arange(len(names)), n_per)
    x = rng.normal(0, 3, (len(names), 4))[truth] + rng.normal(0, 1.5, (len(truth), 4))
    df = pd.DataFrame(x, columns=["f0", "f1", "f2", "f3"])
    df["y"] = np.array(names, dtype=object)[truth]
    return df, x[:, :2]
df10, xy10 = frame({TEN!r}, 0)
df20, xy20 = frame({TWENTY!r}, 1)
"""
SHOW = 'dw.audit({df}, label="y", layout={xy}, journal=None)'

# Per dashboard: the output width, the matrix's scroll box and the two views' boxes.
GEOMETRY_JS = """
() => [...document.querySelectorAll('.dcml-dashboard')].map((dash) => {
  const box = (sel) => {
    const r = dash.querySelector(sel).getBoundingClientRect();
    return {left: r.left, right: r.right, top: r.top, bottom: r.bottom};
  };
  const scroll = dash.querySelector('.dcml-confusion-scroll');
  return {
    width: dash.getBoundingClientRect().width,
    columns: dash.querySelectorAll('.dcml-confusion thead th[data-axis]').length,
    scrollWidth: scroll.scrollWidth, clientWidth: scroll.clientWidth,
    embedding: box('.dcml-embedding'), confusion: box('.dcml-confusion'),
  };
})
"""


@pytest.mark.ui
def test_the_matrix_fits_beside_the_embedding_and_the_views_stack_when_narrow(page, lab):
    cells = [SETUP, SHOW.format(df="df10", xy="xy10"), SHOW.format(df="df20", xy="xy20")]
    harness.open_notebook(page, lab, cells)
    page.locator(".dcml-dashboard .dcml-confusion table").nth(1).wait_for()
    dashboards = page.locator(".dcml-dashboard")

    seen = {}
    for width in (1000, 1400, 1900):
        page.set_viewport_size({"width": width, "height": 1000})
        page.wait_for_timeout(300)  # JupyterLab lays the notebook out again
        seen[width] = page.evaluate(GEOMETRY_JS)
        for i, classes in enumerate((10, 20)):
            dashboards.nth(i).locator(".dcml-confusion").scroll_into_view_if_needed()
            page.screenshot(path=str(ARTIFACTS / f"layout-{classes}-classes-{width}px.png"))

    for width, dashes in seen.items():
        assert [d["columns"] for d in dashes] == [10, 20]
        for d in dashes:
            emb, cm = d["embedding"], d["confusion"]
            side_by_side = abs(cm["top"] - emb["top"]) < 2 and cm["left"] >= emb["right"] - 1
            stacked = cm["top"] >= emb["bottom"] - 1
            if d["width"] < 1100:
                assert stacked, (width, d)
            else:
                assert side_by_side, (width, d)
            if width >= 1400:
                # Every column is in view: nothing hides behind a sideways scroll.
                assert d["scrollWidth"] <= d["clientWidth"], (width, d)
    # The output widths the two layouts were seen at: narrow at 1000 px, wide at 1400 and 1900.
    assert seen[1000][0]["width"] < 1100 <= seen[1400][0]["width"]
