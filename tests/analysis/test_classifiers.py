"""The default model's members on real data: calibrated, shaped, and robust to tiny classes."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from sklearn.datasets import load_breast_cancer, load_digits, load_wine
from sklearn.discriminant_analysis import QuadraticDiscriminantAnalysis
from sklearn.metrics import log_loss
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from dcml_widgets.analysis.classifiers import RegularisedQDA, TemperedSVC


def _split(loader, seed=0):
    x, y = loader(return_X_y=True)
    x = StandardScaler().fit_transform(x)
    return train_test_split(x, y, test_size=0.3, stratify=y, random_state=seed)


@pytest.mark.parametrize("loader", [load_digits, load_breast_cancer])
def test_tempered_svm_predicts_like_the_svm_with_a_fitted_temperature(loader):
    x_train, x_test, y_train, y_test = _split(loader)
    model = TemperedSVC().fit(x_train, y_train)
    proba = model.predict_proba(x_test)
    assert proba.shape == (len(x_test), len(np.unique(y_train)))
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    # The same classifier as scikit-learn's SVM on every row...
    svm = SVC(kernel="rbf", gamma="scale").fit(x_train, y_train)
    assert (model.predict(x_test) == svm.predict(x_test)).mean() == 1.0
    # ...with probabilities whose fitted temperature beats the raw decision values (T = 1)
    # on rows neither fit saw.
    raw = TemperedSVC().fit(x_train, y_train)
    raw.temperature_ = 1.0
    assert model.temperature_ != 1.0
    assert log_loss(y_test, proba) < log_loss(y_test, raw.predict_proba(x_test))
    assert log_loss(y_test, proba) < log_loss(y_test, np.full_like(proba, 1 / proba.shape[1]))


def test_tempered_svm_keeps_temperature_one_when_no_class_can_spare_a_row():
    x = np.array([[0.0], [0.2], [3.0], [3.1]])
    model = TemperedSVC().fit(x, np.array([0, 0, 1, 1]))
    assert model.temperature_ == 1.0
    assert model.predict(np.array([[0.1], [2.9]])).tolist() == [0, 1]


def test_quadratic_member_is_scikit_learns_qda_where_that_can_fit():
    x, y = load_wine(return_X_y=True)
    x = StandardScaler().fit_transform(x)
    ours = RegularisedQDA(reg_param=0.1).fit(x, y).predict_proba(x)
    theirs = QuadraticDiscriminantAnalysis(reg_param=0.1).fit(x, y).predict_proba(x)
    np.testing.assert_allclose(ours, theirs, atol=1e-12)


def test_quadratic_member_fits_classes_scikit_learn_refuses():
    # One row of class 2, three rows of class 3 with 5 features: scikit-learn's QDA raises on
    # both; shrinkage makes both covariances well defined.
    rng = np.random.default_rng(0)
    centres = np.array([0.0, 4.0, 9.0, -6.0])
    y = np.array([0] * 30 + [1] * 30 + [2] + [3] * 3)
    x = centres[y][:, None] + rng.normal(size=(len(y), 5))
    with pytest.raises((ValueError, np.linalg.LinAlgError)):
        QuadraticDiscriminantAnalysis(reg_param=0.1).fit(x, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model = RegularisedQDA().fit(x, y)
    proba = model.predict_proba(x)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert (model.predict(x) == y).all()
