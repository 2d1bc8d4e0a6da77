"""out_of_sample and default_model: real models, independent checks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from cleanlab.filter import find_label_issues
from sklearn.datasets import load_digits
from sklearn.ensemble import VotingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_predict
from sklearn.svm import LinearSVC
from sklearn.tree import DecisionTreeClassifier

from dcml_widgets.analysis.classifiers import default_model
from dcml_widgets.analysis.features import build_features
from dcml_widgets.analysis.predict import out_of_sample


def _blobs(n=150, k=3, seed=0):
    rng = np.random.default_rng(seed)
    truth = np.arange(n) % k
    x = rng.normal(0, 5, (k, 4))[truth] + rng.normal(size=(n, 4))
    return x.astype(np.float32), pd.Series([f"c{t}" for t in truth])


def test_probabilities_are_out_of_sample_on_the_stored_folds():
    x, y = _blobs()
    classes = np.unique(y)
    model = LogisticRegression(max_iter=500)
    result = out_of_sample(x, y, classes, model=model, cv=5)
    assert result.pred_probs.shape == (150, 3)
    np.testing.assert_allclose(result.pred_probs.sum(axis=1), 1.0)
    assert result.n_folds == 5 and set(result.folds) == set(range(5))
    # Stratified: every fold holds every class in equal share.
    counts = pd.crosstab(result.folds, y)
    assert (counts == 10).all().all()
    # Independent expectation: fit sklearn directly on the other folds, predict the held-out.
    for fold in range(5):
        test = result.folds == fold
        fitted = LogisticRegression(max_iter=500).fit(x[~test], y[~test])
        np.testing.assert_allclose(
            result.pred_probs[test], fitted.predict_proba(x[test]), atol=1e-6
        )
    assert result.model is model  # a user model is used as given


def test_folds_shrink_to_the_smallest_class_and_say_so():
    x, _ = _blobs(60)
    y = pd.Series(["big"] * 30 + ["mid"] * 27 + ["small"] * 3)
    result = out_of_sample(x, y, np.unique(y), cv=5)
    assert result.n_folds == 3
    assert sorted(result.folds[y == "small"]) == [0, 1, 2]
    assert any("3 folds" in note for note in result.notes)


def test_single_member_class_is_too_rare_and_nothing_crashes():
    x, y = _blobs(90)
    y = y.copy()
    y.iloc[7] = "lonely"
    classes = np.unique(y)
    result = out_of_sample(x, y, classes, cv=5)
    assert result.too_rare.sum() == 1 and result.too_rare[7]
    assert result.folds[7] == -1
    np.testing.assert_allclose(result.pred_probs.sum(axis=1), 1.0)
    lonely = list(classes).index("lonely")
    assert np.all(result.pred_probs[:, lonely] == 0)  # no model ever saw that class
    assert any("lonely" in note for note in result.notes)


def test_rows_without_label_are_predicted_but_not_trained_on():
    x, y = _blobs(90)
    y = y.astype(object).copy()
    y.iloc[[1, 2, 3]] = None
    result = out_of_sample(x, y, np.unique(y.dropna()), model=LogisticRegression(max_iter=500))
    assert (result.folds[[1, 2, 3]] == -1).all() and (result.folds >= 0).sum() == 87
    # Blobs are well separated: the unlabelled rows are still predicted as their true class.
    assert list(result.pred_probs[[1, 2, 3]].argmax(axis=1)) == [1, 2, 0]
    assert not result.too_rare[[1, 2, 3]].any()


def test_only_one_trainable_class_gives_class_frequencies():
    x, _ = _blobs(20)
    y = pd.Series(["a"] * 19 + ["b"])
    result = out_of_sample(x, y, np.array(["a", "b"]))
    assert result.n_folds == 0 and (result.folds == -1).all()
    np.testing.assert_allclose(result.pred_probs, np.tile([0.95, 0.05], (20, 1)))


def test_user_model_matches_sklearn_cross_validation_by_hand():
    x, y = _blobs()
    tree = DecisionTreeClassifier(max_depth=2, random_state=0)
    result = out_of_sample(x, y, np.unique(y), model=tree, cv=4)
    for fold in range(4):
        test = result.folds == fold
        fitted = DecisionTreeClassifier(max_depth=2, random_state=0).fit(x[~test], y[~test])
        np.testing.assert_allclose(result.pred_probs[test], fitted.predict_proba(x[test]))


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"model": LinearSVC()}, TypeError, "predict_proba"),
        ({"model": "logistic"}, TypeError, "scikit-learn"),
        ({"cv": 1}, ValueError, "cv="),
        ({"cv": 2.5}, ValueError, "cv="),
    ],
)
def test_bad_model_or_cv_is_refused(kwargs, error, match):
    x, y = _blobs()
    with pytest.raises(error, match=match):
        out_of_sample(x, y, np.unique(y), **kwargs)


def test_unknown_label_is_refused():
    x, y = _blobs()
    with pytest.raises(ValueError, match="not among the classes"):
        out_of_sample(x, y, np.array(["c0", "c1"]))


def test_default_model_is_chosen_by_data_size():
    small = default_model(2_000, 50, 10, smallest_class=200)
    assert isinstance(small, VotingClassifier) and small.voting == "soft"
    assert [name for name, _ in small.estimators] == ["svm", "neighbours", "quadratic"]
    # 50 rows of a class, 40 a fold: fewer than the 50 features, so no class covariances.
    few = default_model(2_000, 50, 10, smallest_class=50)
    assert [name for name, _ in few.estimators] == ["svm", "neighbours"]
    medium = default_model(20_000, 50, 10)
    assert [name for name, _ in medium.estimators] == ["linear", "neighbours"]
    assert isinstance(default_model(100_000, 50, 10), LogisticRegression)


def test_default_detects_injected_noise_on_digits_at_least_as_well_as_hand_built():
    x, y = load_digits(return_X_y=True)
    rng = np.random.default_rng(0)
    flipped = rng.choice(len(y), len(y) // 10, replace=False)
    noisy = y.copy()
    noisy[flipped] = (y[flipped] + rng.integers(1, 10, flipped.size)) % 10
    truth = np.isin(np.arange(len(y)), flipped)

    def f1(found):
        tp = (found & truth).sum()
        return 2 * tp / (found.sum() + truth.sum())

    hand = cross_val_predict(LogisticRegression(max_iter=1000), x, noisy, method="predict_proba")
    df = pd.DataFrame(x, columns=[f"p{i}" for i in range(64)]).assign(y=noisy)
    fm = build_features(df, "y")
    ours = out_of_sample(fm.matrix, df["y"], np.arange(10))
    assert f1(find_label_issues(noisy, ours.pred_probs)) >= f1(find_label_issues(noisy, hand))


def test_default_model_works_on_a_dozen_rows():
    x, _ = _blobs(12)
    y = pd.Series(list("aabbccaabbcc"))
    result = out_of_sample(x, y, np.unique(y))
    assert result.n_folds == 4
    np.testing.assert_allclose(result.pred_probs.sum(axis=1), 1.0)


def test_the_default_gets_class_covariances_only_where_classes_outnumber_features():
    x, y = _blobs(150)  # 50 rows a class, 40 a training fold, 4 features
    assert "quadratic" in dict(out_of_sample(x, y, np.unique(y)).model.estimators)
    wide = np.hstack([x, np.random.default_rng(1).normal(size=(150, 40))])  # 44 features
    assert "quadratic" not in dict(out_of_sample(wide, y, np.unique(y)).model.estimators)


def test_default_model_fits_folds_where_a_class_has_one_training_row():
    # Class "c" has two rows: two folds, so each fold trains on a single "c" row (too few for
    # a covariance) and the SVM's temperature holdout cannot take one either.
    x, _ = _blobs(40)
    y = pd.Series(["a"] * 19 + ["b"] * 19 + ["c"] * 2)
    x[-2:] += 30.0
    result = out_of_sample(x, y, np.unique(y))
    assert result.n_folds == 2
    np.testing.assert_allclose(result.pred_probs.sum(axis=1), 1.0)
    assert np.isfinite(result.pred_probs).all()
