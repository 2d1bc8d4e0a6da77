"""dw.review_order: the rows worth a reviewer's time first, done rows left out."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import dcml_widgets as dw
from dcml_widgets.review import parts
from dcml_widgets.state import DatasetState
from tests.factories import blobs_frame, quick_report


def audited(n_flipped: int = 8):
    df, flipped = blobs_frame(n=120, n_flipped=n_flipped)
    return df, flipped, DatasetState(df, "y", report=quick_report(df))


def test_the_flipped_rows_come_first_and_done_rows_are_left_out() -> None:
    df, flipped, state = audited()
    order = dw.review_order(state)
    assert isinstance(order, pd.Index) and len(order) == len(df)
    assert len(set(order[:12]) & set(df.index[flipped])) >= 6  # most planted flips lead
    first = list(order[:3])
    state.mark_reviewed(first[0])
    state.relabel(first[1], "c0" if df.loc[first[1], "y"] != "c0" else "c1")
    state.exclude(first[2])
    after = dw.review_order(state)
    assert len(after) == len(df) - 3 and not set(first) & set(after)
    assert list(after) == [i for i in order if i not in first]  # the rest keeps its order
    state.undo()  # the exclusion undone: the row is back
    assert first[2] in set(dw.review_order(state))


def test_scores_give_priority_as_the_mean_of_the_known_parts() -> None:
    _, _, state = audited()
    table = dw.review_order(state, scores=True)
    assert list(table.columns) == ["priority", "label"]  # no model list, annotators, pool
    score = state.report.issues["label_score"].reindex(table.index)
    assert np.allclose(table["label"], 1 - score)
    assert table["priority"].is_monotonic_decreasing


def test_annotators_who_contradict_a_confident_label_lift_the_row() -> None:
    df, _, _ = audited(n_flipped=0)
    df = df.copy()
    target = df.index[5]
    other = "c1" if df.loc[target, "y"] != "c1" else "c2"
    for name in ("a1", "a2", "a3"):
        df[name] = df["y"]
        df.loc[target, name] = other  # three annotators say otherwise on one row
    report = quick_report(df, features=["f0", "f1", "f2"])
    report = type(report)(**{**report.__dict__, "options": {"annotators": ["a1", "a2", "a3"]}})
    state = DatasetState(df, "y", report=report)
    table = dw.review_order(state, scores=True)
    assert "annotators" in table.columns
    by_score = list(report.issues["label_score"].sort_values().index)
    assert by_score.index(target) > 100  # the model alone trusts the label: near the end
    assert list(table.index).index(target) < 20  # the annotators bring it near the front


def test_conflict_and_pool_parts_from_hand_built_issues() -> None:
    issues = pd.DataFrame(
        {
            "is_conflicting_label_issue": [True, True, True, False, False],
            "conflicting_label_score": [2 / 3, 2 / 3, 1 / 3, 1.0, 1.0],
            "underrepresented_score": [1.0, 1.0, 1.0, 0.25, 1.0],
        }
    )
    labelled = np.array([True, True, True, True, False])
    conflict = parts.conflict_part(issues, labelled)
    assert np.allclose(conflict[:4], [1 / 3, 1 / 3, 2 / 3, 0.0]) and np.isnan(conflict[4])
    pool = parts.pool_part(issues, labelled)
    assert np.isnan(pool[:4]).all() and pool[4] == 0.0
    assert parts.conflict_part(issues.drop(columns="conflicting_label_score"), labelled) is None


def test_bad_input_is_a_clear_error() -> None:
    df, _, state = audited()
    with pytest.raises(TypeError, match="DatasetState"):
        dw.review_order(df)
    with pytest.raises(TypeError, match="scores="):
        dw.review_order(state, scores="yes")
    with pytest.raises(ValueError, match="needs an analysis"):
        dw.review_order(DatasetState(df, "y"))


def test_a_careful_annotator_outweighs_a_careless_one() -> None:
    rng = np.random.default_rng(0)
    df, _, _ = audited(n_flipped=0)
    df = df.copy()
    classes = np.array(sorted(df["y"].unique()))
    careful_target, careless_target = df.index[5], df.index[6]
    df["careful_1"] = df["y"]
    df["careful_2"] = df["y"]
    df["careless"] = rng.choice(classes, len(df))  # right about a third of the time
    for target, says in ((careful_target, "careful_1"), (careless_target, "careless")):
        other = next(c for c in classes if c != df.loc[target, "y"])
        df.loc[target, says] = other  # one annotator contradicts the label
    names = ["careful_1", "careful_2", "careless"]
    report = quick_report(df, features=["f0", "f1", "f2"])
    report = type(report)(**{**report.__dict__, "options": {"annotators": names}})
    table = dw.review_order(DatasetState(df, "y", report=report), scores=True)
    assert "annotators" in table.columns
    known = table["annotators"].notna()
    assert np.allclose(table.loc[known, "priority"], table.loc[known, "annotators"])
    assert table.loc[careful_target, "priority"] > table.loc[careless_target, "priority"]


def test_twin_votes_are_the_other_members_majority() -> None:
    current = np.array([0.0, 1.0, 1.0, 2.0, 0.0, 1.0, -1.0])
    groups = np.array([0, 0, 0, -1, 1, 1, 1])
    votes = parts._twin_votes(current, groups)
    # group 0: row 0 sees {1, 1}; rows 1 and 2 see {0, 1}, a tie; group 1: the pool row
    # gives no vote, so rows 4 and 5 see each other (row 6 sees {0, 1}, a tie); outside
    # groups, nothing
    assert np.allclose(votes[[0, 4, 5]], [1.0, 1.0, 0.0])
    assert np.isnan(votes[[1, 2, 3, 6]]).all()


def test_a_conflict_orders_ties_but_does_not_lift_the_right_twin() -> None:
    df, _, state = audited(n_flipped=0)
    issues = state.report.issues.copy()
    pair = list(df.index[:2])
    issues["is_conflicting_label_issue"] = issues.index.isin(pair)
    issues["conflicting_label_score"] = np.where(issues.index.isin(pair), 0.5, 1.0)
    issues["conflict_group"] = np.where(issues.index.isin(pair), 0, -1).astype(np.int64)
    issues.loc[df.index[2:4], "label_score"] = issues.loc[pair, "label_score"].to_numpy()
    state.set_report(state.report.replace(issues=issues))
    table = dw.review_order(state, scores=True)
    assert list(table.columns) == ["priority", "label", "conflict"]
    assert np.allclose(table["priority"], table["label"])  # both twins get 0.5: no evidence
    order = list(table.index)
    for twin, same_score in zip(pair, df.index[2:4], strict=True):
        assert order.index(twin) < order.index(same_score)  # ... but it breaks the tie
