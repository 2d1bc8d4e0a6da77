"""The guidelines panel lists every class's guideline and follows edits and undo."""

from __future__ import annotations

import pandas as pd

from dcml_widgets.state import DatasetState
from dcml_widgets.views.dashboard.guidelines_panel import GuidelinesPanel


def test_the_panel_lists_guidelines_in_class_order_and_follows_undo() -> None:
    df = pd.DataFrame(
        {"note": ["deep", "light", "bent", "fine"], "y": ["dent", "scratch", "dent", "scratch"]},
        index=["p0", "p1", "p2", "p3"],
    )
    state = DatasetState(df, "y")
    panel = GuidelinesPanel(state)
    assert panel.guidelines == []
    hostile = "<script>alert(1)</script>"
    state.set_guideline("scratch", hostile, examples=["p3"])
    state.set_guideline("dent", "the surface changes shape", examples=["p2", "p0"])
    assert panel.guidelines == [
        {
            "class": "dent",
            "text": "the surface changes shape",
            "examples": [{"id": "p2", "text": "bent"}, {"id": "p0", "text": "deep"}],
        },
        {"class": "scratch", "text": hostile, "examples": [{"id": "p3", "text": "fine"}]},
    ]
    state.undo()
    assert [g["class"] for g in panel.guidelines] == ["scratch"]
    panel.close()
