"""dash.review(n): a snapshot of the queue, a counter, focus that moves on, resume."""

from __future__ import annotations

import numpy as np
import pytest

import dcml_widgets as dw

QUIET = {"progress": False}


@pytest.fixture(scope="module")
def demo():
    return dw.datasets.demo(n_rows=240, seed=2)


def layout(df):
    return df[["pixel_20", "pixel_44"]].to_numpy(np.float32) + np.arange(len(df))[:, None] * 1e-3


def test_each_action_moves_on_the_counter_follows_and_a_new_audit_resumes(
    demo, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    dash = dw.audit(demo, label="digit", layout=layout(demo), **QUIET)
    try:
        expected = list(dw.review_order(dash.state)[:10])
        review = dash.review(10)
        assert list(review.queue.ids) == expected
        assert dash.state.focus == expected[0] and dash.header.status == "0 of 10 reviewed"
        n_groups = len(dash.state.log)
        dash.state.mark_reviewed(expected[0], source="user")
        assert dash.state.focus == expected[1] and dash.header.status == "1 of 10 reviewed"
        other = 1 if demo.loc[expected[1], "digit"] != 1 else 2
        dash.state.relabel(expected[1], other, source="user")
        dash.state.exclude(expected[2], source="user")
        assert dash.state.focus == expected[3] and dash.header.status == "3 of 10 reviewed"
        assert len(dash.state.log) == n_groups + 3  # one group per action, nothing added
        assert not dash.state.reviewed[expected[1]]  # no automatic mark-reviewed
        dash.state.undo()  # the exclusion: the counter drops, the focus goes back to it
        assert dash.header.status == "2 of 10 reviewed" and dash.state.focus == expected[2]
        dash.state.relabel(expected[7], other if demo.loc[expected[7], "digit"] != other else 3)
        assert dash.header.status == "3 of 10 reviewed"  # a snapshot row done out of turn
    finally:
        dash.close()
    again = dw.audit(demo, label="digit", layout=layout(demo), **QUIET)
    try:
        resumed = again.review(10)
        assert resumed.queue.resumed and list(resumed.queue.ids) == expected
        assert again.header.status == "3 of 10 reviewed"
        assert again.state.focus == expected[2]  # the first row not yet done
    finally:
        again.close()


def test_a_bad_budget_is_a_clear_error(demo, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    dash = dw.audit(demo, label="digit", journal=None, layout=layout(demo), **QUIET)
    try:
        with pytest.raises(TypeError, match="int"):
            dash.review("50")
        with pytest.raises(ValueError, match="10000"):
            dash.review(0)
    finally:
        dash.close()
