"""pred_probs= checked and ordered: classes=, renormalisation, and every refused input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dcml_widgets.analysis.given_probs import check_pred_probs
from dcml_widgets.analysis.pipeline import analyze


def _frame(n=240, seed=0):
    """Ids and labels only (three classes, three flipped), and a model's probabilities."""
    rng = np.random.default_rng(seed)
    truth = np.arange(n) % 3
    names = np.array(["cat", "dog", "owl"], dtype=object)
    logits = rng.normal(0, 1, (n, 3))
    logits[np.arange(n), truth] += 3
    probs = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    labels = names[truth].copy()
    labels[[5, 50, 100]] = names[(truth[[5, 50, 100]] + 1) % 3]
    df = pd.DataFrame({"y": labels}, index=[f"r{i}" for i in range(n)])
    return df, probs


def test_classes_names_the_columns_and_they_are_permuted_to_the_report_order():
    df, probs = _frame()
    reference = analyze(df, "y", pred_probs=probs, progress=False)
    order = [2, 0, 1]  # the user's model orders its columns owl, cat, dog
    theirs = probs[:, order]
    report = analyze(df, "y", pred_probs=theirs, classes=["owl", "cat", "dog"], progress=False)
    assert list(report.classes) == ["cat", "dog", "owl"]
    np.testing.assert_allclose(report.pred_probs, probs)
    pd.testing.assert_series_equal(
        report.issues["is_label_issue"], reference.issues["is_label_issue"]
    )


def test_a_class_no_row_has_joins_the_report_classes():
    df, probs = _frame()
    extra = np.hstack([probs * 0.9, np.full((len(df), 1), 0.1)])
    report = analyze(
        df, "y", pred_probs=extra, classes=["cat", "dog", "owl", "yak"], progress=False
    )
    assert list(report.classes) == ["cat", "dog", "owl", "yak"]
    assert report.pred_probs.shape == (len(df), 4)
    assert report.metrics.loc["yak", "support"] == 0
    assert not pd.isna(report.summary.set_index("issue_type").loc["label", "num_issues"])


def test_integer_labels_keep_their_dtype_with_named_classes():
    df, probs = _frame()
    codes = df["y"].map({"cat": 0, "dog": 1, "owl": 2})
    frame = pd.DataFrame({"y": codes})
    report = analyze(frame, "y", pred_probs=probs[:, ::-1], classes=[2, 1, 0], progress=False)
    assert report.classes.dtype.kind == "i" and list(report.classes) == [0, 1, 2]
    np.testing.assert_allclose(report.pred_probs, probs)


def test_a_label_no_column_names_is_refused_listing_a_few():
    labels = np.array([f"k{i}" for i in range(8)] * 3, dtype=object)
    probs = np.full((24, 2), 0.5)
    with pytest.raises(ValueError, match=r"8 label\(s\) are not named") as info:
        check_pred_probs(probs, np.unique(labels), classes=["a", "b"])
    assert "k0" in str(info.value) and "k4" in str(info.value) and "k5" not in str(info.value)


def test_rows_nearly_summing_to_one_are_renormalised_with_one_note():
    probs = np.tile([0.2, 0.8], (6, 1))
    probs[1] = [0.2, 0.805]
    probs[4] = [0.199, 0.797]
    probs[5] = [0.2, 0.8 + 1e-9]  # float rounding: renormalised, not counted
    given = check_pred_probs(probs, np.array(["a", "b"]))
    np.testing.assert_allclose(given.pred_probs.sum(axis=1), 1.0)
    np.testing.assert_allclose(given.pred_probs[1], np.array([0.2, 0.805]) / 1.005)
    assert len(given.notes) == 1 and "2 rows" in given.notes[0]
    assert check_pred_probs(np.tile([0.2, 0.8], (6, 1)), np.array(["a", "b"])).notes == ()


def test_the_renormalisation_note_reaches_the_report():
    df, probs = _frame()
    probs = probs.copy()
    probs[:7] *= 1.004
    report = analyze(df, "y", pred_probs=probs, progress=False)
    assert any("7 rows summed to 1 only within" in note for note in report.notes)


@pytest.mark.parametrize(
    ("row", "match"),
    [
        ([0.5, 0.6], r"row 2 \(id 'r2'\) sums to 1.1000"),
        ([1.2, -0.2], r"row 2 \(id 'r2'\) holds a negative value"),
        ([np.nan, 1.0], r"row 2 \(id 'r2'\) holds NaN"),
        ([np.inf, 0.0], r"row 2 \(id 'r2'\) holds NaN or an infinite"),
    ],
)
def test_bad_rows_are_refused_naming_the_first(row, match):
    probs = np.tile([0.3, 0.7], (5, 1))
    probs[2] = row
    probs[4] = row
    ids = pd.Index([f"r{i}" for i in range(5)])
    with pytest.raises(ValueError, match=match) as info:
        check_pred_probs(probs, np.array(["a", "b"]), ids=ids)
    assert "2 row(s)" in str(info.value)


@pytest.mark.parametrize(
    ("probs", "classes", "error", "match"),
    [
        (np.full((4, 3), 1 / 3), None, ValueError, r"shape \(N, K\) = \(4, 2\)"),
        (np.full((3, 2), 0.5), None, ValueError, r"\(4, 2\)"),
        (np.full((4, 2), 0.5), ["a", "b", "c"], ValueError, r"classes= order"),
        ([["x", "y"]] * 4, None, ValueError, "numeric"),
        (np.full((4, 2), 0.5), ["a", "a"], ValueError, "more than once"),
        (np.full((4, 2), 0.5), "ab", TypeError, "sequence"),
    ],
)
def test_wrong_shapes_and_names_are_refused(probs, classes, error, match):
    ids = pd.Index(range(4))
    with pytest.raises(error, match=match):
        check_pred_probs(probs, np.array(["a", "b"]), classes=classes, ids=ids)


def test_classes_without_pred_probs_is_a_type_error():
    df, _ = _frame()
    df["f"] = np.random.default_rng(0).normal(size=len(df))
    with pytest.raises(TypeError, match="only taken with pred_probs="):
        analyze(df, "y", classes=["cat", "dog", "owl"], progress=False)
