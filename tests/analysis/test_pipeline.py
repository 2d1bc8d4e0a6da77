"""analyze() and the staged API end to end: real features, model, Datalab and UMAP."""

from __future__ import annotations

import threading
import time

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression

import dcml_widgets as dw
from dcml_widgets.analysis.consistency import CONSISTENCY_TYPES
from dcml_widgets.analysis.data_checks import DATA_CHECK_TYPES
from dcml_widgets.analysis.issues import ISSUE_TYPES
from dcml_widgets.analysis.pipeline import analyze, clear_cache, start_analysis


def messy_frame(n=240, seed=0):
    """Blobs plus messy columns; 16 labels flipped and 5 missing (positions returned)."""
    rng = np.random.default_rng(seed)
    truth = np.arange(n) % 3
    centres = np.array([[0.0, 0.0, 0.0], [6.0, 0.0, 3.0], [0.0, 6.0, -3.0]])
    x = centres[truth] + rng.normal(0, 1, size=(n, 3))
    labels = np.array(["red", "green", "blue"], dtype=object)[truth]
    flipped = np.sort(rng.choice(np.arange(10, n), 16, replace=False))
    labels[flipped] = np.array(["green", "blue", "red"], dtype=object)[truth[flipped]]
    df = pd.DataFrame(x, columns=["a", "b", "c"], index=[f"row{i}" for i in range(n)])
    df.loc[df.index[rng.choice(n, 12, replace=False)], "a"] = np.nan
    df["shop"] = rng.choice(["north", "south", "east"], n)
    df["member"] = rng.random(n) > 0.5
    df["joined"] = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 400, n), "D")
    df["comment"] = [f"item {i} looks {['fine', 'odd', 'ok'][i % 3]}" for i in range(n)]
    df["serial"] = np.arange(n) * 7 + 1000
    df["constant"] = "same"
    df["y"] = labels
    df.loc[df.index[:5], "y"] = None
    return df, flipped


@pytest.fixture(scope="module")
def analysed():
    clear_cache()
    df, flipped = messy_frame()
    return df, flipped, analyze(df, label="y", progress=False)


def test_report_is_complete_and_consistent(analysed):
    df, _, report = analysed
    n = len(df)
    assert isinstance(report, dw.AuditReport)
    assert list(report.ids) == list(df.index)
    assert list(report.classes) == ["blue", "green", "red"]
    assert report.pred_probs.shape == (n, 3)
    np.testing.assert_allclose(report.pred_probs.sum(1), 1, atol=1e-6)
    assert (report.predicted == report.classes[report.pred_probs.argmax(1)]).all()
    assert report.model_matrix.shape[0] == n and report.model_matrix.dtype == np.float32
    assert list(report.issues.index) == list(df.index)
    assert {
        "is_label_issue",
        "label_score",
        "is_outlier_issue",
        "outlier_score",
        "is_near_duplicate_issue",
        "given_label",
        "suggested_label",
        "is_too_rare",
    } <= set(report.issues.columns)
    expected_types = [*ISSUE_TYPES, *DATA_CHECK_TYPES, *CONSISTENCY_TYPES]
    assert list(report.summary["issue_type"]) == expected_types
    assert report.embedding.shape == (n, 2) and report.embedding.dtype == np.float32
    assert np.isfinite(report.embedding).all() and report.embedding_method == "umap"
    assert set(report.metrics.index) == set(report.classes)
    assert 0.7 < report.accuracy <= 1.0
    assert report.options["label"] == "y" and "_encoder" in report.options
    assert report.options["_encoder"].transform(df).shape == report.model_matrix.shape
    assert {"features", "model", "neighbours", "issues", "layout (UMAP)"} <= set(report.timings)


def test_missing_labels_are_left_out_of_training_and_said_so(analysed):
    _, _, report = analysed
    assert (report.folds[:5] == -1).all() and (report.folds[5:] >= 0).all()
    assert report.given.iloc[:5].isna().all()
    assert not report.issues["is_label_issue"].iloc[:5].any()
    assert any("no label" in note for note in report.notes)


def test_flipped_labels_are_found(analysed):
    _, flipped, report = analysed
    found = np.flatnonzero(report.issues["is_label_issue"].to_numpy())
    assert np.isin(flipped, found).mean() >= 0.75
    assert np.isin(found, flipped).mean() >= 0.5
    truth = np.array(["red", "green", "blue"])[np.arange(len(report.ids)) % 3]
    hits = flipped[np.isin(flipped, found)]
    assert (report.issues["suggested_label"].iloc[hits].to_numpy() == truth[hits]).mean() > 0.8


def test_same_data_and_options_return_the_cached_report_at_once(analysed):
    df, _, report = analysed
    start = time.perf_counter()
    again = analyze(df.copy(), label="y", progress=False)
    assert again is report
    assert time.perf_counter() - start < 1.0
    layout = report.embedding
    fast = analyze(df, label="y", progress=False, layout=layout, model=LogisticRegression())
    # A fresh but equal estimator is the same option; changed data or options are not.
    assert analyze(df, label="y", progress=False, layout=layout, model=LogisticRegression()) is fast
    changed = df.copy()
    changed.loc["row7", "b"] = 99.0
    assert (
        analyze(changed, label="y", progress=False, layout=layout, model=LogisticRegression())
        is not fast
    )
    assert (
        analyze(df, label="y", progress=False, layout=layout, model=LogisticRegression(C=0.5))
        is not fast
    )


def test_save_and_load_round_trip(analysed, tmp_path):
    _, _, report = analysed
    loaded = dw.AuditReport.load(report.save(tmp_path / "audit.dcmlreport"))
    np.testing.assert_array_equal(loaded.embedding, report.embedding)
    np.testing.assert_array_equal(loaded.pred_probs, report.pred_probs)
    pd.testing.assert_frame_equal(loaded.issues, report.issues)
    pd.testing.assert_frame_equal(loaded.summary, report.summary)
    assert loaded.embedding_method == "umap" and loaded.notes == report.notes


def test_staged_api_gives_a_pca_first_look_then_umap_in_a_thread():
    df, _ = messy_frame(seed=1)
    pending = start_analysis(df, label="y", model=LogisticRegression(), progress=False)
    first = pending.first_look
    assert first.embedding_method == "pca" and not pending.done
    assert first.embedding.dtype == np.float32 and np.isfinite(first.embedding).all()
    assert first.issues["is_label_issue"].any()
    results = []
    worker = threading.Thread(target=lambda: results.append(pending.finish()))
    worker.start()
    also = pending.finish()  # a second caller waits for the same result
    worker.join()
    assert pending.done and results[0] is also and pending.finish() is also
    assert also.embedding_method == "umap"
    assert not np.array_equal(also.embedding, first.embedding)
    pd.testing.assert_frame_equal(also.issues, first.issues)
    assert pending.first_look.embedding_method == "pca"  # reports never change


def test_given_layout_skips_umap():
    df, _ = messy_frame(seed=2)
    layout = np.random.default_rng(0).normal(size=(len(df), 2))
    pending = start_analysis(
        df, label="y", layout=layout, model=LogisticRegression(), progress=False
    )
    assert pending.done
    report = pending.finish()
    assert report.embedding_method == "given"
    np.testing.assert_array_equal(report.embedding, layout.astype(np.float32))
    assert "layout (UMAP)" not in report.timings
    with pytest.raises(ValueError, match=r"\(N, 2\)"):
        analyze(df, label="y", layout=layout[:, :1], progress=False)


def test_tiny_data_works_and_umap_starts_at_fifty_rows():
    rng = np.random.default_rng(0)
    for n, method in ((30, "pca"), (50, "umap")):
        df = pd.DataFrame({"x": rng.normal(size=n), "z": rng.normal(size=n)})
        df["y"] = np.where(df["x"] > 0, "pos", "neg")
        report = analyze(df, label="y", model=LogisticRegression(), progress=False)
        assert report.embedding_method == method
        assert report.embedding.shape == (n, 2) and np.isfinite(report.embedding).all()
        assert report.summary.shape[0] == len(ISSUE_TYPES) + len(DATA_CHECK_TYPES) + len(
            CONSISTENCY_TYPES
        )


def test_features_array_and_pred_probs_are_used_as_given():
    df, _ = messy_frame(seed=3)
    vectors = np.random.default_rng(0).normal(size=(len(df), 6)).astype(np.float32)
    y = df["y"]
    classes = np.array(["blue", "green", "red"])
    probs = np.full((len(df), 3), 0.1)
    probs[np.arange(len(df)), np.searchsorted(classes, y.fillna("red"))] = 0.8
    probs[20] = [0.8, 0.1, 0.1] if y.iloc[20] != "blue" else [0.1, 0.8, 0.1]
    report = analyze(
        df, label="y", features=vectors, pred_probs=probs, progress=False, layout=vectors[:, :2]
    )
    np.testing.assert_array_equal(report.model_matrix, vectors)
    np.testing.assert_array_equal(report.pred_probs, probs)
    assert report.issues["is_label_issue"].iloc[20]
    assert report.options["pred_probs"] == "<given array>"


def test_annotator_columns_feed_agreement_and_are_not_features():
    df, _ = messy_frame(seed=4)
    rng = np.random.default_rng(1)
    y = df["y"].fillna("red")
    for name, err in (("ann1", 0.05), ("ann2", 0.2)):
        wrong = rng.random(len(df)) < err
        df[name] = np.where(wrong, "blue", y)
    report = analyze(
        df,
        label="y",
        annotators=["ann1", "ann2"],
        model=LogisticRegression(),
        progress=False,
        layout=np.zeros((len(df), 2)),
    )
    assert report.agreement is not None
    assert list(report.agreement.per_row.index) == list(df.index)
    assert "ann1" not in set(report.feature_plan["column"])
    assert report.options["annotators"] == ["ann1", "ann2"]


@pytest.mark.parametrize(
    ("labels", "error", "match"),
    [
        ([None] * 60, ValueError, "missing"),
        (["a"] * 60, ValueError, "single class"),
        (list(np.linspace(0.1, 9.3, 60)), ValueError, "regression"),
        ([["a", "b"], ["a"]] * 30, ValueError, "multi-label"),
        ([1, "a"] * 30, ValueError, "astype"),
    ],
)
def test_bad_targets_get_clear_errors(labels, error, match):
    df = pd.DataFrame({"x": np.arange(60.0), "y": pd.Series(labels, dtype=object)})
    if match == "regression":
        df["y"] = df["y"].astype(float)
    with pytest.raises(error, match=match):
        analyze(df, label="y", progress=False)


def test_missing_label_column_is_a_key_error():
    with pytest.raises(KeyError, match="label="):
        analyze(pd.DataFrame({"x": [1, 2, 3]}), label="target", progress=False)
    with pytest.raises(TypeError, match="DataFrame"):
        analyze({"x": [1, 2]}, label="x", progress=False)


class _Interrupting(BaseEstimator, ClassifierMixin):
    """A classifier whose fit is interrupted, as when the user stops the kernel."""

    def fit(self, X, y):
        raise KeyboardInterrupt

    def predict_proba(self, X):  # pragma: no cover - never reached
        raise AssertionError


def test_interrupt_stops_cleanly_and_caches_nothing(capsys):
    df, _ = messy_frame(seed=5)
    layout = np.zeros((len(df), 2))
    with pytest.raises(KeyboardInterrupt):
        analyze(df, label="y", model=_Interrupting(), layout=layout, progress=True)
    assert "interrupted during model" in capsys.readouterr().err
    report = analyze(
        df, label="y", model=LogisticRegression(max_iter=300), layout=layout, progress=True
    )
    err = capsys.readouterr().err
    assert "issues" in err and "done" in err
    assert type(report.model).__name__ == "LogisticRegression"
