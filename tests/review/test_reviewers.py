"""Reviewers' agreement from the edit log: who judged which row how, and the panel shows it."""

from __future__ import annotations

import pandas as pd

from dcml_widgets.review.reviewers import reviewer_agreement, reviewer_judgements
from dcml_widgets.state import DatasetState
from dcml_widgets.views.dashboard.annotator_panel import AnnotatorPanel


def frame() -> pd.DataFrame:
    return pd.DataFrame({"x": range(6), "y": ["c1", "c2", "c2", "c0", "c0", "c1"]})


def test_judgements_are_set_labels_or_the_label_a_row_had_when_marked_reviewed() -> None:
    state = DatasetState(frame(), "y")
    state.reviewer = "ana"
    state.relabel(2, "c0")
    state.mark_reviewed([1, 3, 4])
    state.reviewer = "bo"
    state.relabel(2, "c2")
    state.relabel(3, "c1")
    state.relabel(4, "c1")
    state.relabel(4, "c0")  # changed her mind back: agrees with ana on row 4
    state.relabel(1, "c0")
    state.undo()  # bo's judgement of row 1 is withdrawn
    table = reviewer_judgements(state)
    expected = {
        "ana": {1: "c2", 2: "c0", 3: "c0", 4: "c0"},
        "bo": {2: "c2", 3: "c1", 4: "c0"},
    }
    assert table.to_dict() == {
        a: {r: expected[a].get(r) for r in [1, 2, 3, 4]} for a in ("ana", "bo")
    }
    result = reviewer_agreement(state)
    assert result["n_reviewers"] == 2 and result["n_rows"] == 3
    assert result["agreement"] == 1 / 3
    assert [d["id"] for d in result["disputed"]] == ["2", "3"]
    assert result["disputed"][0]["judgements"] == "ana: c0 · bo: c2"


def test_nobody_named_or_one_reviewer_gives_no_figure_and_the_panel_follows_edits() -> None:
    state = DatasetState(frame(), "y")
    state.relabel(0, "c2")  # no reviewer named
    panel = AnnotatorPanel(state)
    assert panel.reviewers["n_rows"] == 0 and panel.reviewers["agreement"] is None
    hostile = "<b>ana</b>"
    state.reviewer = hostile
    state.relabel(5, "c2")
    state.reviewer = "bo"
    state.relabel(5, "c0")
    assert panel.reviewers["n_rows"] == 1 and panel.reviewers["agreement"] == 0.0
    assert panel.reviewers["disputed"][0]["judgements"] == f"{hostile}: c2 · bo: c0"
