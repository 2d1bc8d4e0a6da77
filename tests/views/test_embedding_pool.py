"""Pool rows (no label) on the embedding view: their positions cross with the layout, and a
label edit tells the browser which rows left (or joined) the pool."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import dcml_widgets as dw
from dcml_widgets.state import DatasetState
from dcml_widgets.views.embedding.explorer import EmbeddingExplorer
from tests.views.test_embedding_widget import Wire, msg


@pytest.fixture(scope="module")
def pooled():
    """60 labelled rows and 12 pool rows (ids 500..511), with a given layout (fast)."""
    rng = np.random.default_rng(3)
    df = pd.DataFrame(rng.normal(size=(60, 2)), columns=["u", "v"])
    df["y"] = ["a", "b"] * 30
    pool = pd.DataFrame(rng.normal(4, 1, size=(12, 2)), columns=["u", "v"])
    pool.index = range(500, 512)
    combined = dw.combine(df, pool, label="y")
    layout = combined[["u", "v"]].to_numpy()
    report = dw.analyze(df, "y", unlabeled=pool, layout=layout, progress=False)
    return combined, report


def test_pool_positions_go_with_the_layout_and_label_edits_update_them(pooled):
    combined, report = pooled
    state = DatasetState(combined, "y", report=report)
    view = EmbeddingExplorer(state)
    try:
        wire = Wire(view)
        msg(view, {"type": "init", "nonce": "n"})
        ((content, buffers),) = wire.custom("layout")
        assert content["n_pool"] == 12
        pool = np.frombuffer(buffers[2], dtype="<u4")
        assert pool.tolist() == list(range(60, 72))  # pool rows come after df's, by hand
        # The label channel of a pool row is the "(missing)" code.
        codes = np.frombuffer(buffers[1], dtype=content["channel"]["dtype"])
        assert set(codes[pool].tolist()) == {len(state.classes)}

        state.relabel([500, 0], ["a", "b"])  # a pool row labelled, a labelled row relabelled
        content, buffers = wire.custom("patch")[-1]
        positions = np.frombuffer(buffers[0], dtype="<u4").tolist()
        flags = dict(zip(positions, buffers[-1], strict=True))
        assert content["pool"] is True and flags == {0: 0, 60: 0}
        state.undo()  # back into the pool
        content, buffers = wire.custom("patch")[-1]
        positions = np.frombuffer(buffers[0], dtype="<u4").tolist()
        assert dict(zip(positions, buffers[-1], strict=True))[60] == 1
        msg(view, {"type": "init", "nonce": "m"})
        content, buffers = wire.custom("layout")[-1]
        assert np.frombuffer(buffers[2], dtype="<u4").tolist() == list(range(60, 72))
    finally:
        view.close()
