"""Datalab issues on the shared graph: injected problems are found, unassessed checks are NaN."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_predict

from dcml_widgets.analysis.issues import ISSUE_TYPES, find_issues
from dcml_widgets.analysis.knn import nearest_neighbors


@pytest.fixture(scope="module")
def noisy():
    """300 rows in 3 blobs; 20 flipped labels, 2 exact duplicates, 1 far outlier (all known)."""
    rng = np.random.default_rng(3)
    n, k = 300, 3
    truth = np.arange(n) % k
    X = rng.normal(0, 5, size=(k, 5))[truth] + rng.normal(0, 1, size=(n, 5))
    X[10] = X[11]  # near_duplicate pair
    X[50] = 80.0  # outlier
    labels = truth.copy()
    flipped = rng.choice(np.setdiff1d(np.arange(n), [10, 11, 50]), 20, replace=False)
    labels[flipped] = (labels[flipped] + 1) % k
    names = np.array(["ant", "bee", "cat"])
    y = pd.Series(names[labels], index=[f"id{i}" for i in range(n)], dtype=object)
    probs = cross_val_predict(
        LogisticRegression(max_iter=1000), X, labels, cv=5, method="predict_proba"
    )
    graph = nearest_neighbors(X.astype(np.float32), 14)
    return X, y, names, probs, graph, flipped


def test_flipped_labels_are_found_and_a_fix_suggested(noisy):
    _, y, classes, probs, graph, flipped = noisy
    result = find_issues(y, classes, probs, graph)
    issues = result.issues
    assert list(issues.index) == list(y.index)
    found = np.flatnonzero(issues["is_label_issue"].to_numpy())
    recall = np.isin(flipped, found).mean()
    precision = np.isin(found, flipped).mean()
    assert recall >= 0.8 and precision >= 0.6, (recall, precision)
    # Where a label is suspect the suggestion is the model's class, elsewhere NaN.
    suspect = issues["is_label_issue"]
    expected = pd.Series(classes[probs.argmax(1)], index=y.index)
    assert (issues.loc[suspect, "suggested_label"] == expected[suspect]).all()
    assert issues.loc[~suspect, "suggested_label"].isna().all()
    # Most flipped rows get their true class back as the suggestion.
    truth = np.arange(300) % 3
    hit = flipped[np.isin(flipped, found)]
    assert (issues["suggested_label"].iloc[hit].to_numpy() == classes[truth[hit]]).mean() > 0.8
    assert (issues["given_label"] == y).all()


def test_duplicates_and_outliers_are_flagged_with_datalab_columns(noisy):
    _, y, classes, probs, graph, _ = noisy
    issues = find_issues(y, classes, probs, graph).issues
    for column in (
        "is_outlier_issue",
        "outlier_score",
        "is_near_duplicate_issue",
        "near_duplicate_score",
        "is_non_iid_issue",
        "non_iid_score",
        "is_class_imbalance_issue",
        "label_score",
    ):
        assert column in issues
    assert issues["is_near_duplicate_issue"].iloc[[10, 11]].all()
    assert issues["is_outlier_issue"].iloc[50]
    assert issues["outlier_score"].iloc[50] == issues["outlier_score"].min()


def test_datalab_reuses_the_graph_instead_of_searching_again(noisy, monkeypatch):
    from cleanlab.datalab.internal.issue_manager import knn_graph_helpers

    def refuse(*args, **kwargs):
        raise AssertionError("Datalab searched for neighbours itself")

    monkeypatch.setattr(knn_graph_helpers, "create_knn_graph_and_index", refuse)
    _, y, classes, probs, graph, _ = noisy
    result = find_issues(y, classes, probs, graph)
    assessed = result.summary.set_index("issue_type")["num_issues"]
    assert assessed[["outlier", "near_duplicate", "non_iid"]].notna().all(), result.notes


def test_summary_has_every_issue_type_and_nan_for_not_assessed(noisy):
    _, y, classes, probs, graph, _ = noisy
    result = find_issues(y, classes, probs, graph)  # no missing-value pattern given
    summary = result.summary
    assert list(summary["issue_type"]) == list(ISSUE_TYPES)
    row = summary.set_index("issue_type")
    assert pd.isna(row.loc["null", "num_issues"]) and np.isnan(row.loc["null", "score"])
    # Counts print as integers, not floats; not-assessed is <NA>.
    assert summary["num_issues"].dtype == "Int64"
    assert row.loc["label", "num_issues"] == int(row.loc["label", "num_issues"])
    assert row.loc["label", "num_issues"] == result.issues["is_label_issue"].sum()
    assert row.loc["near_duplicate", "num_issues"] >= 2


def test_null_check_flags_rows_with_every_input_missing(noisy):
    _, y, classes, probs, graph, _ = noisy
    missing = np.zeros((len(y), 4), bool)
    missing[5] = True
    missing[6, :2] = True
    result = find_issues(y, classes, probs, graph, missing=missing)
    assert result.issues["is_null_issue"].iloc[5]
    assert result.issues["is_null_issue"].sum() == 1
    assert result.summary.set_index("issue_type").loc["null", "num_issues"] == 1


def test_missing_labels_skip_label_checks_but_not_the_others(noisy):
    _, y, classes, probs, graph, _ = noisy
    y = y.copy()
    y.iloc[[0, 1, 2]] = None
    result = find_issues(y, classes, probs, graph)
    issues = result.issues
    assert not issues["is_label_issue"].iloc[:3].any()
    assert issues["label_score"].iloc[:3].isna().all()
    assert issues["given_label"].iloc[:3].isna().all()
    assert issues["outlier_score"].notna().all()
    assert issues["label_score"].iloc[3:].notna().all()


def test_too_rare_rows_are_marked_and_never_called_label_issues(noisy):
    _, y, classes, probs, graph, flipped = noisy
    too_rare = np.zeros(len(y), bool)
    too_rare[flipped[:5]] = True
    issues = find_issues(y, classes, probs, graph, too_rare=too_rare).issues
    assert issues["is_too_rare"].iloc[flipped[:5]].all()
    assert not issues["is_label_issue"].iloc[flipped[:5]].any()
    assert issues["suggested_label"].iloc[flipped[:5]].isna().all()


def test_underperforming_group_is_not_assessed_when_no_cluster_forms():
    # 4 rows: DBSCAN needs 5 for a core point, so Datalab finds "no meaningful clusters".
    X = np.array([[0.0], [1.0], [5.0], [7.0]], dtype=np.float32)
    y = pd.Series(["a", "b", "a", "b"], dtype=object)
    probs = np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4], [0.3, 0.7]])
    graph = nearest_neighbors(X, 3)
    result = find_issues(y, np.array(["a", "b"]), probs, graph)
    row = result.summary.set_index("issue_type").loc["underperforming_group"]
    assert pd.isna(row["num_issues"]) and pd.isna(row["score"])
    assert any("underperforming_group not assessed" in note for note in result.notes)
    assert result.summary.set_index("issue_type").loc["label", "num_issues"] >= 0


def test_non_iid_equals_cleanlabs_own_check_in_a_fraction_of_the_memory():
    import tracemalloc

    from cleanlab import Datalab

    from dcml_widgets.analysis.non_iid import find_non_iid

    rng = np.random.default_rng(0)
    drift = np.cumsum(rng.normal(size=(3000, 3)), axis=0).astype(np.float32)  # in time order
    for X, drifting in ((drift, True), (drift[rng.permutation(3000)], False)):
        csr = nearest_neighbors(X, 10).to_csr()
        ours, summary, failed = find_non_iid(csr)
        lab = Datalab(data={"row": np.arange(3000)}, verbosity=0)
        lab.find_issues(issue_types={"non_iid": {}}, knn_graph=csr)
        pd.testing.assert_frame_equal(
            ours, lab.issues[["is_non_iid_issue", "non_iid_score"]].reset_index(drop=True)
        )
        assert summary.to_dict("records") == lab.issue_summary.to_dict("records")
        assert (summary["score"].item() < 0.05) == drifting and not failed
    # cleanlab's own test holds three (25, N, k) int64 arrays at once: 120 MB at 20k x 10
    csr = nearest_neighbors(rng.normal(size=(20_000, 3)).astype(np.float32), 10).to_csr()
    tracemalloc.start()
    find_non_iid(csr)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 3 * 25 * 20_000 * 10 * 8 / 5


def test_labels_the_model_contradicts_are_flagged_beside_cleanlabs():
    from cleanlab.filter import find_label_issues

    # 3 classes x 60 rows the model is sure of (0.996 on the label). Row 0 is labelled "ant"
    # but the model gives "ant" 0.04 and prefers "bee" (0.9): below "bee"'s own confidence,
    # so cleanlab's confident joint does not count it as a bee; 0.04 < 0.5 / 3 does.
    n, k = 180, 3
    labels = np.arange(n) % k
    probs = np.full((n, k), 0.002)
    probs[np.arange(n), labels] = 0.996
    probs[0] = [0.04, 0.9, 0.06]
    probs[3] = [0.2, 0.75, 0.05]  # also prefers another class, but 0.2 is above 0.5 / 3
    names = np.array(["ant", "bee", "cat"])
    y = pd.Series(names[labels], dtype=object)
    X = np.eye(k)[labels] + np.random.default_rng(0).normal(0, 0.1, (n, k))
    graph = nearest_neighbors(X.astype(np.float32), 10)

    cleanlab = find_label_issues(labels, probs)
    result = find_issues(y, names, probs, graph)
    flagged = result.issues["is_label_issue"].to_numpy()
    assert not cleanlab[0] and flagged[0]
    assert flagged[3] == cleanlab[3]
    assert (flagged[1:] == cleanlab[1:]).all()
    assert result.issues["suggested_label"].iloc[0] == "bee"
    note = next(n for n in result.notes if "beyond cleanlab" in n)
    assert note.startswith(f"{int(flagged.sum() - cleanlab.sum())} label issues beyond")
    summary = result.summary.set_index("issue_type")
    assert summary.loc["label", "num_issues"] == flagged.sum()
