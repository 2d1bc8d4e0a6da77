"""model=[...]: every member on the same folds, their mean, and how many disagree per row."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.naive_bayes import GaussianNB
from sklearn.tree import DecisionTreeClassifier

from dcml_widgets.analysis.cache import cache_key
from dcml_widgets.analysis.measure import compare
from dcml_widgets.analysis.pipeline import analyze


def _frame(n=180, seed=0):
    rng = np.random.default_rng(seed)
    truth = np.arange(n) % 3
    x = rng.normal(0, 4.0, (3, 4))[truth] + rng.normal(size=(n, 4))
    labels = np.array(["a", "b", "c"], dtype=object)[truth]
    flipped = rng.choice(n, 12, replace=False)
    labels[flipped] = np.array(["b", "c", "a"], dtype=object)[truth[flipped]]
    df = pd.DataFrame(x, columns=["f0", "f1", "f2", "f3"])
    df["y"] = labels
    df.loc[[3, 4], "y"] = None
    df.attrs["flipped"] = np.setdiff1d(flipped, [3, 4])
    return df


MODELS = [
    LogisticRegression(max_iter=500),
    GaussianNB(),
    DecisionTreeClassifier(max_depth=3, random_state=0),
]


@pytest.fixture(scope="module")
def listed():
    df = _frame()
    return df, analyze(df, "y", model=MODELS, progress=False)


def _oof_by_hand(report, member, labels):
    """One member's out-of-fold probabilities on the report's folds, fitted by hand."""
    x, folds = report.model_matrix, report.folds
    classes = list(report.classes)
    out = np.zeros((len(x), len(classes)))
    known = labels.notna().to_numpy()
    for fold in range(folds.max() + 1):
        train = (folds != fold) & (folds >= 0) & known
        fitted = clone(member).fit(x[train], labels[train].to_numpy())
        cols = [classes.index(c) for c in fitted.classes_]
        held = folds == fold
        out[np.ix_(held, cols)] = fitted.predict_proba(x[held])
    return out


def test_probabilities_are_the_members_mean_on_the_same_folds(listed):
    _, report = listed
    labelled = report.folds >= 0
    by_hand = [_oof_by_hand(report, m, report.given) for m in MODELS]
    assert report.member_pred_probs.shape == (3, report.n_rows, 3)
    for member, expected in zip(report.member_pred_probs, by_hand, strict=True):
        np.testing.assert_allclose(member[labelled], expected[labelled], atol=1e-6)
    np.testing.assert_allclose(
        report.pred_probs[labelled], np.mean(by_hand, axis=0)[labelled], atol=1e-6
    )
    assert report.model == MODELS and report.options["model"] == [
        "LogisticRegression",
        "GaussianNB",
        "DecisionTreeClassifier",
    ]


def test_num_models_disagreeing_counts_members_against_the_given_label(listed):
    _, report = listed
    counts = report.issues["num_models_disagreeing"]
    assert str(counts.dtype) == "Int64"
    classes = np.asarray(report.classes)
    given = report.given.to_numpy()
    expected = sum(
        (classes[m.argmax(axis=1)] != given).astype(int) for m in report.member_pred_probs
    )
    labelled = report.given.notna().to_numpy()
    np.testing.assert_array_equal(counts[labelled].to_numpy(int), expected[labelled])
    assert counts[~labelled].isna().all() and counts[labelled].notna().all()
    assert counts.max() <= 3


def test_flags_come_from_the_consensus_and_find_the_flipped_rows(listed):
    df, report = listed
    flagged = report.issues["is_label_issue"].to_numpy()
    recall = flagged[df.attrs["flipped"]].mean()
    assert recall >= 0.75  # measured 10 of 12
    # Flagged rows are ones most members disagree with.
    assert report.issues.loc[flagged, "num_models_disagreeing"].mean() >= 2


def test_measure_retrains_the_same_list_on_the_same_folds(listed):
    _, report = listed
    labels = report.given.copy()
    labels.iloc[10] = "c" if labels.iloc[10] != "c" else "a"
    cmp = compare(report, labels, pd.Series(False, index=report.ids))
    mean = np.mean([_oof_by_hand(report, m, labels) for m in MODELS], axis=0)
    predicted = np.asarray(report.classes)[mean.argmax(axis=1)]
    known = labels.notna().to_numpy()
    expected = np.mean(predicted[known] == labels[known].to_numpy())
    assert cmp.accuracy_after == pytest.approx(expected)


def test_a_list_of_one_model_is_refused():
    with pytest.raises(ValueError, match="at least two classifiers"):
        analyze(_frame(), "y", model=[LogisticRegression()], progress=False)


@pytest.mark.parametrize("bad", [LinearRegression(), "logistic"])
def test_a_member_that_is_not_a_classifier_is_refused_by_position(bad):
    with pytest.raises(TypeError, match=r"model=\[1\]"):
        analyze(_frame(), "y", model=[LogisticRegression(), bad], progress=False)


def test_the_cache_key_tells_model_lists_apart():
    df = _frame()
    options = {"label": "y", "model": [LogisticRegression(C=1.0), GaussianNB()]}
    other = {"label": "y", "model": [LogisticRegression(C=0.1), GaussianNB()]}
    swapped = {"label": "y", "model": [GaussianNB(), LogisticRegression(C=1.0)]}
    keys = {cache_key(df, o) for o in (options, other, swapped)}
    assert len(keys) == 3 and None not in keys
    assert cache_key(df, options) == cache_key(df, dict(options))
