"""dw.audit() from the user's own model: pred_probs alone (10k rows, image paths), the named
class order, the self-check line, and measure's refusal — as the dashboard shows them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PIL import Image

import dcml_widgets as dw
from tests.analysis.test_pred_probs_only import model_outputs

QUIET = {"progress": False, "display": False}


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def own_model_frame(folder: Path, n: int = 10_000):
    """What a user of their own CNN has: image paths, labels, out-of-sample probabilities
    whose columns the model ordered its own way (reversed here)."""
    probs, labels, flipped = model_outputs(n, seed=3)
    (folder / "images").mkdir()
    files = [folder / "images" / f"{i:05d}.png" for i in range(n)]
    for i, path in enumerate(files):
        Image.fromarray(np.full((8, 8), i % 251, dtype=np.uint8)).save(path)
    df = pd.DataFrame(
        {"file": [str(p) for p in files], "y": labels},
        index=pd.Index([f"scan-{i}" for i in range(n)], name="id"),
    )
    classes = [f"c{k}" for k in range(9, -1, -1)]  # the model's own column order
    return df, probs[:, ::-1].copy(), classes, flipped


def test_pred_probs_only_dashboard_on_ten_thousand_rows(workdir):
    df, probs, classes, flipped = own_model_frame(workdir)
    dash = dw.audit(df, label="y", pred_probs=probs, classes=classes, **QUIET)
    try:
        report = dash.wait(600)
        assert list(report.classes) == sorted(classes)  # permuted back to np.unique order
        np.testing.assert_allclose(report.pred_probs, probs[:, ::-1])
        summary, issues = dash.header.summary, {i["issue"]: i for i in dash.header.issues}
        assert summary["embedding_input"] == "pred_probs" and summary["embedding_method"] == "umap"
        assert issues["near_duplicate"]["count"] is None  # not assessed without features
        assert issues["label"]["count"] == int(report.issues["is_label_issue"].sum()) > 0
        flagged = np.flatnonzero(report.issues["is_label_issue"].to_numpy())
        assert np.isin(flagged, flipped).mean() > 0.8  # mostly the planted errors
        # The grid shows the frame's own column and the pictures the paths point at.
        assert report.model_matrix.shape == (len(df), 0)  # the paths are not features
        assert dash.grid.has_images and [c["title"] for c in dash.grid.columns][1] == "image"
        assert dash.embedding.n_points == len(df)
        # Measuring needs a model this package can retrain: said clearly, nothing changes.
        dash.state.relabel(df.index[flagged[:3]].tolist(), "c0")
        with pytest.raises(ValueError, match="needs features= or a model"):
            dash.measure()
        dash.measure_panel.view._handle_msg(
            {
                "content": {"data": {"method": "custom", "content": {"type": "measure"}}},
                "buffers": [],
            }
        )
        assert "needs features= or a model" in dash.measure_panel.view.error
        assert dash.measurements == []
        assert dash.measure_panel.chart is None  # no measurement, no chart
    finally:
        dash.close()


def test_the_header_says_how_far_to_trust_the_flags(workdir):
    df = dw.datasets.demo(n_rows=300, seed=4)
    layout = df[["pixel_20", "pixel_44"]].to_numpy(np.float32) + np.arange(300)[:, None] * 1e-3
    dash = dw.audit(df, label="digit", journal=None, layout=layout, self_check=True, **QUIET)
    try:
        check = dash.report.self_check
        line = dash.header.summary["self_check"]
        assert line == check.describe() and line.startswith("self-check: ")
        assert f"{check.n_found} of {check.n_planted}" in line
    finally:
        dash.close()
