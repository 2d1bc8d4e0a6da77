"""analyze(df, label, pred_probs=P) on a frame without feature columns: planted label errors,
cleanlab's OutOfDistribution by hand, and what is (not) assessed."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from cleanlab.outlier import OutOfDistribution

from dcml_widgets.analysis.measure import compare
from dcml_widgets.analysis.pipeline import analyze, start_analysis


def model_outputs(n, n_classes=10, n_flipped=None, seed=0, strength=4.0):
    """Probabilities of a decent model and labels with known flips (positions returned)."""
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, n_classes, n)
    logits = rng.normal(0, 1, (n, n_classes))
    logits[np.arange(n), truth] += strength
    probs = np.exp(logits)
    probs /= probs.sum(axis=1, keepdims=True)
    labels = truth.copy()
    n_flipped = n // 20 if n_flipped is None else n_flipped
    flipped = np.sort(rng.choice(n, n_flipped, replace=False))
    labels[flipped] = (labels[flipped] + rng.integers(1, n_classes, n_flipped)) % n_classes
    return probs, np.array([f"c{v}" for v in labels], dtype=object), flipped


@pytest.fixture(scope="module")
def ten_k():
    probs, labels, flipped = model_outputs(10_000)
    df = pd.DataFrame(
        {"path": [f"images/{i:05d}.png" for i in range(len(labels))], "y": labels},
        index=pd.Index([f"img{i}" for i in range(len(labels))], name="id"),
    )
    df.loc[df.index[:40], "y"] = None  # unlabelled rows: scored, never fitted on
    pending = start_analysis(df, "y", pred_probs=probs, progress=False)
    return df, probs, flipped, pending


def test_ten_thousand_rows_of_pred_probs_alone_find_the_planted_errors(ten_k):
    df, probs, flipped, pending = ten_k
    first = pending.first_look
    assert first.embedding_input == "pred_probs" and first.embedding_method == "pca"
    assert first.model is None and first.model_matrix.shape == (len(df), 0)
    np.testing.assert_allclose(first.pred_probs, probs)
    flagged = np.flatnonzero(first.issues["is_label_issue"].to_numpy())
    planted = flipped[flipped >= 40]
    recall = np.isin(planted, flagged).mean()
    precision = np.isin(flagged, planted).mean()
    # Measured 0.89 / 0.93 on this set; cleanlab on the same probabilities finds the same.
    assert recall >= 0.8 and precision >= 0.8
    final = pending.finish()
    assert final.embedding_method == "umap" and final.embedding_input == "pred_probs"
    assert final.embedding.shape == (len(df), 2) and np.isfinite(final.embedding).all()


def test_outliers_are_cleanlabs_out_of_distribution_fitted_on_the_labelled_rows(ten_k):
    df, probs, _, pending = ten_k
    issues = pending.first_look.issues
    labelled = df["y"].notna().to_numpy()
    codes = np.searchsorted(np.unique(df["y"].dropna()), df["y"][labelled])
    ood = OutOfDistribution()
    ood.fit(pred_probs=probs[labelled], labels=codes, verbose=False)
    expected = ood.score(pred_probs=probs)
    np.testing.assert_allclose(issues["outlier_score"].to_numpy(), expected, rtol=1e-9)
    # Flagged like Datalab's pred_probs outliers: below 0.13 x the median score.
    np.testing.assert_array_equal(
        issues["is_outlier_issue"].to_numpy(), expected < 0.13 * np.median(expected)
    )
    assert issues["outlier_score"][~labelled].notna().all()


def test_checks_that_need_features_are_not_assessed_and_the_rest_are(ten_k):
    _, _, _, pending = ten_k
    report = pending.first_look
    summary = report.summary.set_index("issue_type")["num_issues"]
    for name in ("near_duplicate", "underperforming_group"):
        assert pd.isna(summary[name])
        assert f"is_{name}_issue" not in report.issues
    for name in ("label", "outlier", "non_iid", "class_imbalance", "null"):
        assert not pd.isna(summary[name]), name
    assert "near_duplicate" not in report.issue_types
    assert any("sqrt(pred_probs)" in note for note in report.notes)


def test_measure_on_a_pred_probs_only_report_says_it_needs_features(ten_k):
    _, _, _, pending = ten_k
    report = pending.first_look
    with pytest.raises(ValueError, match="needs features= or a model"):
        compare(report, report.given, pd.Series(False, index=report.ids))


def test_a_frame_holding_only_the_label_works_and_skips_the_null_check():
    probs, labels, _ = model_outputs(300, n_classes=3, seed=2)
    report = analyze(pd.DataFrame({"y": labels}), "y", pred_probs=probs, progress=False)
    summary = report.summary.set_index("issue_type")["num_issues"]
    assert pd.isna(summary["null"]) and not pd.isna(summary["label"])
    assert report.embedding_input == "pred_probs" and list(report.classes) == ["c0", "c1", "c2"]


def test_empty_features_list_forces_pred_probs_alone():
    probs, labels, _ = model_outputs(200, n_classes=3, seed=3)
    df = pd.DataFrame({"score": np.random.default_rng(0).normal(size=200), "y": labels})
    report = analyze(df, "y", pred_probs=probs, features=[], progress=False)
    assert report.embedding_input == "pred_probs"
    assert analyze(df, "y", pred_probs=probs, progress=False).embedding_input == "features"


def test_embeddings_and_pred_probs_train_nothing_and_feed_the_graph():
    probs, labels, _ = model_outputs(300, n_classes=3, seed=4)
    vectors = np.random.default_rng(0).normal(size=(300, 8)).astype(np.float32)
    vectors[1] = vectors[0]  # an exact duplicate the embedding graph must see
    report = analyze(
        pd.DataFrame({"y": labels}), "y", pred_probs=probs, features=vectors, progress=False
    )
    assert report.embedding_input == "given"
    np.testing.assert_allclose(report.pred_probs, probs)
    np.testing.assert_array_equal(report.model_matrix, vectors)
    assert report.issues.loc[[0, 1], "is_near_duplicate_issue"].all()


def test_no_features_without_pred_probs_is_still_refused():
    _, labels, _ = model_outputs(100, n_classes=3, seed=5)
    with pytest.raises(ValueError, match="No usable feature column"):
        analyze(pd.DataFrame({"y": labels}), "y", progress=False)


def test_a_model_with_pred_probs_alone_is_refused():
    from sklearn.linear_model import LogisticRegression

    probs, labels, _ = model_outputs(100, n_classes=3, seed=6)
    with pytest.raises(ValueError, match="model= needs features"):
        analyze(
            pd.DataFrame({"y": labels}),
            "y",
            pred_probs=probs,
            model=LogisticRegression(),
            progress=False,
        )


def test_self_check_with_pred_probs_is_refused():
    probs, labels, _ = model_outputs(100, n_classes=3, seed=7)
    with pytest.raises(ValueError, match="needs features= or a model"):
        analyze(pd.DataFrame({"y": labels}), "y", pred_probs=probs, self_check=True)
