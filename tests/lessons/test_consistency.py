"""Lesson 3's checks judge the state against the planted pairs and annotators' truth."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import dcml_widgets as dw
from dcml_widgets.lessons import ExerciseNotSolved, check_conflicts_resolved, check_guidelines
from dcml_widgets.lessons.consistency import most_confused_pair


@pytest.fixture(scope="module")
def people():
    df = dw.datasets.demo(n_annotators=2)
    truth = np.array(df.attrs["true_label"])
    said = np.where(truth == 3, 5, np.where(truth == 5, 3, truth))  # one annotator swaps 3 and 5
    df["annotator_3"] = pd.array(said, dtype="Int64")
    return df, ["annotator_1", "annotator_2", "annotator_3"]


def test_conflicts_pass_only_when_every_pair_has_its_true_label(people):
    df, _ = people
    truth = pd.Series(df.attrs["true_label"], index=df.index)
    pairs = df.attrs["conflicting_pairs"]
    state = dw.DatasetState(df, label="digit")
    with pytest.raises(ExerciseNotSolved, match=f"{len(pairs)} of the {len(pairs)} conflict"):
        check_conflicts_resolved(state, df)
    kept, copy = pairs[0]
    wrong = state.labels[copy]
    for k, c in pairs:
        state.relabel([k, c], [truth[k], truth[c]])
    state.relabel([kept, copy], wrong)  # one pair agrees, on the copy's wrong digit
    with pytest.raises(ExerciseNotSolved, match=f"rows {kept} and {copy} are both labelled"):
        check_conflicts_resolved(state, df)
    state.undo()
    assert check_conflicts_resolved(state, df).startswith(f"all {len(pairs)} conflict groups")


def test_the_most_confused_pair_is_the_planted_swap(people):
    df, annotators = people
    assert most_confused_pair(df, annotators) == (3, 5)


def test_guidelines_need_both_classes_and_true_examples(people):
    df, annotators = people
    truth = pd.Series(df.attrs["true_label"], index=df.index)
    threes = list(truth.index[truth == 3][:2])
    fives = list(truth.index[truth == 5][:2])
    state = dw.DatasetState(df, label="digit")
    with pytest.raises(ExerciseNotSolved, match="no guideline is written yet"):
        check_guidelines(state, df, annotators)
    state.set_guideline(3, "A 3 has two bumps on the right.", examples=threes)
    with pytest.raises(ExerciseNotSolved, match="no guideline for class 5"):
        check_guidelines(state, df, annotators)
    state.set_guideline(5, "A 5 has a flat top bar.")
    with pytest.raises(ExerciseNotSolved, match="class 5 has no examples"):
        check_guidelines(state, df, annotators)
    state.set_guideline(5, "A 5 has a flat top bar.", examples=[threes[0]])
    with pytest.raises(ExerciseNotSolved, match=f"example row {threes[0]} .* really a 3"):
        check_guidelines(state, df, annotators)
    state.set_guideline(5, "A 5 has a flat top bar.", examples=fives)
    assert check_guidelines(state, df, annotators) == "guidelines with examples for classes 3 and 5"
