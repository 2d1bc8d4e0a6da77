"""Class guidelines (a command like any other), who reviewed (authors), and one relabel that
gives each row its own label."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import dcml_widgets as dw
from dcml_widgets.state import DatasetState


def frame() -> pd.DataFrame:
    y = np.array(["dent", "scratch", "dent", "scratch", "dent", "scratch"], dtype=object)
    return pd.DataFrame({"area": np.arange(6.0), "y": y}, index=[f"p{i}" for i in range(6)])


def header(path: Path) -> dict:
    return json.loads(path.read_text().splitlines()[0])


def test_a_guideline_is_a_journaled_undoable_command(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    state = DatasetState(frame(), "y", journal=path)
    state.set_guideline("scratch", "only the coating is marked", examples=["p3", "p1"])
    state.set_guideline("dent", "the surface changes shape")
    state.set_guideline("dent", "the surface changes shape")  # the same again: not logged
    g = state.guidelines
    assert g["class"].tolist() == ["dent", "scratch"]  # class order, not edit order
    assert g.set_index("class").loc["scratch", "examples"] == ("p3", "p1")
    assert len(state.log) == 2 and state.edits["field"].tolist() == ["guideline"] * 2
    assert state.edits["row"].tolist() == [None, None]
    assert state.edits["new"].iloc[0]["text"] == "only the coating is marked"
    state.set_guideline("scratch", "")  # removes it
    assert state.guidelines["class"].tolist() == ["dent"]
    state.undo()
    assert state.guidelines["class"].tolist() == ["dent", "scratch"]
    assert header(path)["version"] == 2  # guidelines need format version 2
    state.close()
    resumed = DatasetState(frame(), "y", journal=path)
    pd.testing.assert_frame_equal(resumed.guidelines, state.guidelines)
    resumed.close()
    # The cleaned data is what the labels say; guidelines do not touch it.
    pd.testing.assert_frame_equal(dw.apply_edits(frame(), path), frame())


def test_a_guideline_refuses_what_it_cannot_mean(tmp_path: Path) -> None:
    state = DatasetState(frame(), "y")
    with pytest.raises(ValueError, match="not a known class"):
        state.set_guideline("crack", "a line through the part")
    with pytest.raises(TypeError, match="text"):
        state.set_guideline("dent", 3)
    with pytest.raises(KeyError, match="p99"):
        state.set_guideline("dent", "shape changes", examples=["p0", "p99"])
    with pytest.raises(ValueError, match="empty text"):
        state.set_guideline("dent", "", examples=["p0"])
    assert len(state.log) == 0 and state.guidelines.empty
    state.add_class("crack")
    state.set_guideline("crack", "<img src=x onerror=alert(1)>")  # kept as text
    assert state.guidelines["text"].tolist() == ["<img src=x onerror=alert(1)>"]


def test_later_edits_carry_the_reviewer(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    state = DatasetState(frame(), "y", journal=path)
    state.relabel("p0", "scratch")
    assert header(path)["version"] == 1  # nothing of version 2 yet
    state.reviewer = "ana"
    state.exclude(["p1", "p2"])
    state.reviewer = "bo"
    state.undo()
    state.reviewer = None
    state.mark_reviewed("p4")
    assert list(state.edits.columns)[-1] == "author"
    assert state.edits["author"].tolist() == [None, "ana", "ana", "bo", "bo", None]
    assert header(path)["version"] == 2
    with pytest.raises(TypeError, match="reviewer"):
        state.reviewer = 7
    with pytest.raises(ValueError, match="1 to 100"):
        state.reviewer = "   "
    state.close()
    resumed = DatasetState(frame(), "y", journal=path)
    pd.testing.assert_frame_equal(resumed.edits, state.edits)
    resumed.close()
    pd.testing.assert_frame_equal(dw.apply_edits(frame(), path), state.to_dataframe())


def test_one_relabel_can_give_each_row_its_own_label(tmp_path: Path) -> None:
    state = DatasetState(frame(), "y", journal=tmp_path / "j.jsonl")
    state.relabel(["p0", "p1", "p2"], ["scratch", "scratch", "dent"], source="bulk")
    assert state.labels.tolist() == ["scratch", "scratch", "dent", "scratch", "dent", "scratch"]
    edits = state.edits
    assert edits["group"].nunique() == 1 and edits["row"].tolist() == ["p0"]  # p1, p2 kept
    assert edits["source"].tolist() == ["bulk"]
    state.undo()
    assert state.labels.equals(state.original_labels)
    with pytest.raises(ValueError, match="2 ids and 1 labels"):
        state.relabel(["p0", "p1"], ["dent"])
    with pytest.raises(ValueError, match="twice"):
        state.relabel(["p0", "p0"], ["dent", "scratch"])
    with pytest.raises(ValueError, match="not a known class"):
        state.relabel(["p0", "p1"], ["dent", "crack"])
    assert len(state.log) == 2
