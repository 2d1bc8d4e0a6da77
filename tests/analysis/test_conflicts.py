"""conflicting_label: rows alike in the model matrix (or one near-duplicate set) whose labels
differ."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_breast_cancer, load_wine

import dcml_widgets as dw
from dcml_widgets.analysis.conflicts import find_conflicts

QUIET = {"progress": False}


def test_groups_join_exact_copies_and_near_sets_and_need_two_labels():
    # rows 0, 3, 5 identical; 1 and 4 a near-duplicate set; 2 and 6 identical, same label;
    # 7 identical to 1 but unlabelled
    matrix = np.array(
        [[0, 0], [1, 1], [2, 2], [0, 0], [1.01, 1], [0, 0], [2, 2], [1, 1]], dtype=np.float32
    )
    near = [np.array([], int)] * 8
    near[1], near[4] = np.array([4]), np.array([1])
    codes = np.array([0, 1, 0, 1, 2, 0, 0, -1])
    ids = pd.Index(list("abcdefgh"))
    found = find_conflicts(matrix, near, codes, ids).issues
    assert found["conflict_group"].tolist() == [0, 1, -1, 0, 1, 0, -1, 1]
    assert found["conflict_group"].dtype == np.int64
    # every labelled member flagged; the unlabelled member is in the group, not flagged
    assert found["is_conflicting_label_issue"].tolist() == [1, 1, 0, 1, 1, 1, 0, 0]
    # share of the group's labelled rows holding this row's label
    expected = [2 / 3, 1 / 2, 1, 1 / 3, 1 / 2, 2 / 3, 1, 1]
    assert found["conflicting_label_score"].tolist() == pytest.approx(expected)


def test_without_links_nothing_is_a_group():
    matrix = np.arange(10, dtype=np.float32).reshape(5, 2)
    found = find_conflicts(matrix, None, np.array([0, 1, 0, 1, 0]), pd.RangeIndex(5)).issues
    assert (found["conflict_group"] == -1).all()
    assert not found["is_conflicting_label_issue"].any()
    assert (found["conflicting_label_score"] == 1.0).all()


def wine_with_copies(relabel: bool) -> tuple[pd.DataFrame, list[tuple[int, int]]]:
    """Wine plus exact copies of 4 rows (ids 1000…); with ``relabel`` two copies get another
    class, so exactly those two pairs conflict."""
    data = load_wine(as_frame=True)
    df = data.frame.rename(columns={"target": "y"})
    originals = [3, 60, 100, 150]
    copies = df.loc[originals].copy()
    copies.index = range(1000, 1004)
    if relabel:
        copies.loc[1000, "y"] = (copies.loc[1000, "y"] + 1) % 3
        copies.loc[1002, "y"] = (copies.loc[1002, "y"] + 1) % 3
    return pd.concat([df, copies]), list(zip(originals, copies.index, strict=True))


def test_exact_copies_with_other_labels_are_found_and_agreeing_copies_are_not():
    df, pairs = wine_with_copies(relabel=True)
    report = dw.analyze(df, "y", **QUIET)
    issues = report.issues
    assert "conflicting_label" in report.issue_types
    flagged = sorted(issues.index[issues["is_conflicting_label_issue"]])
    assert flagged == sorted([*pairs[0], *pairs[2]])
    # groups numbered by their smallest member position: row 3's pair first
    assert issues.loc[[3, 1000], "conflict_group"].tolist() == [0, 0]
    assert issues.loc[[100, 1002], "conflict_group"].tolist() == [1, 1]
    assert issues.loc[flagged, "conflicting_label_score"].tolist() == pytest.approx([0.5] * 4)
    summary = report.summary.set_index("issue_type").loc["conflicting_label"]
    assert summary["num_issues"] == 4
    assert report.issue_mask("conflicting_label").sum() == 4

    same, _ = wine_with_copies(relabel=False)
    agreeing = dw.analyze(same, "y", **QUIET).issues
    assert not agreeing["is_conflicting_label_issue"].any()
    assert (agreeing["conflict_group"] == -1).all()


@pytest.mark.parametrize("loader", [load_wine, load_breast_cancer])
def test_nothing_conflicts_on_a_real_iid_set(loader):
    df = loader(as_frame=True).frame.rename(columns={"target": "y"})
    assert not df.drop(columns="y").duplicated().any()  # no true duplicates to find
    report = dw.analyze(df, "y", **QUIET)
    assert report.summary.set_index("issue_type").loc["conflicting_label", "num_issues"] == 0
    assert (report.issues["conflict_group"] == -1).all()


def test_not_assessed_with_pred_probs_alone():
    rng = np.random.default_rng(0)
    y = np.repeat(["a", "b"], 30)
    probs = rng.dirichlet([1, 1], size=60)
    report = dw.analyze(pd.DataFrame({"y": y}), "y", pred_probs=probs, **QUIET)
    assert pd.isna(report.summary.set_index("issue_type").loc["conflicting_label", "num_issues"])
    assert "conflicting_label" not in report.issue_types
