"""cmp.confusion_before / cmp.confusion_after against sklearn's confusion matrix by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.metrics import confusion_matrix

from dcml_widgets.analysis.pipeline import start_analysis
from dcml_widgets.session.measuring import measure
from dcml_widgets.state import DatasetState
from tests.session.test_measure import _frame


@pytest.fixture(scope="module")
def planted():
    df, flipped, truth = _frame(180, 5, n_flipped=24)
    report = start_analysis(df, "y", progress=False).first_look
    return df, flipped, truth, report


def _by_hand_oof(report, labels):
    """Out-of-fold predictions retrained by hand on the report's folds."""
    x, folds = report.model_matrix, report.folds
    predicted = np.empty(len(x), dtype=object)
    for fold in range(folds.max() + 1):
        held = folds == fold
        predicted[held] = clone(report.model).fit(x[~held], labels[~held]).predict(x[held])
    return predicted


def _check_shape(matrix, classes):
    assert matrix.dtypes.map(lambda d: d == np.int64).all()
    assert matrix.index.name == "given" and matrix.columns.name == "predicted"
    assert list(matrix.index) == list(classes) and list(matrix.columns) == list(classes)


def test_confusion_before_and_after_match_sklearn_on_planted_flips(planted):
    df, flipped, truth, report = planted
    state = DatasetState(df, label="y", report=report)
    fix, drop = flipped[:16], flipped[16:]
    state.relabel(list(state.ids[fix]), list(truth[fix]), reason="fix flips")
    state.exclude(list(state.ids[drop]), reason="unsure")
    cmp = measure(state)
    classes = list(cmp.table.index)
    _check_shape(cmp.confusion_before, classes)
    _check_shape(cmp.confusion_after, classes)

    given = df["y"].to_numpy(dtype=object)
    expected_before = confusion_matrix(given, report.predicted.to_numpy(), labels=classes)
    np.testing.assert_array_equal(cmp.confusion_before.to_numpy(), expected_before)

    labels = given.copy()
    labels[fix] = truth[fix]
    keep = np.ones(len(df), bool)
    keep[drop] = False
    train = pd.Series(labels, index=report.ids)
    # Excluded rows are neither trained on nor counted: retrain on the kept rows' folds.
    x, folds = report.model_matrix, report.folds
    predicted = np.empty(len(x), dtype=object)
    for fold in range(folds.max() + 1):
        held = folds == fold
        fitted = clone(report.model).fit(x[~held & keep], train[~held & keep])
        predicted[held] = fitted.predict(x[held])
    expected_after = confusion_matrix(labels[keep], predicted[keep], labels=classes)
    np.testing.assert_array_equal(cmp.confusion_after.to_numpy(), expected_after)
    # What a user reads off it: the cells add up to the rows scored, and fixing flips moved
    # counts onto the diagonal.
    assert cmp.confusion_after.to_numpy().sum() == len(df) - len(drop)
    assert cmp.confusion_before.to_numpy().sum() == len(df)
    diag_before = np.trace(cmp.confusion_before) / len(df)
    diag_after = np.trace(cmp.confusion_after) / (len(df) - len(drop))
    assert diag_before == pytest.approx(cmp.accuracy_before)
    assert diag_after == pytest.approx(cmp.accuracy_after)
    assert diag_after > diag_before


def test_with_a_test_set_both_matrices_count_the_test_rows(planted):
    df, flipped, truth, report = planted
    test_df, _, _ = _frame(150, 9)
    state = DatasetState(df, label="y", report=report)
    state.relabel(list(state.ids[flipped]), list(truth[flipped]))
    cmp = measure(state, test=test_df)
    classes = list(cmp.table.index)
    x_test = report.options["_encoder"].transform(test_df)
    y_test = test_df["y"].to_numpy()
    for side, y in (("before", df["y"]), ("after", state.labels)):
        fitted = clone(report.model).fit(report.model_matrix, y.to_numpy())
        expected = confusion_matrix(y_test, fitted.predict(x_test), labels=classes)
        matrix = getattr(cmp, f"confusion_{side}")
        _check_shape(matrix, classes)
        np.testing.assert_array_equal(matrix.to_numpy(), expected)
        assert matrix.to_numpy().sum(axis=1).tolist() == cmp.table[f"support_{side}"].tolist()


def test_unchanged_labels_give_the_same_matrix_twice(planted):
    df, _, _, report = planted
    cmp = measure(DatasetState(df, label="y", report=report))
    pd.testing.assert_frame_equal(cmp.confusion_before, cmp.confusion_after)
    hand = confusion_matrix(df["y"], _by_hand_oof(report, df["y"]), labels=list(report.classes))
    np.testing.assert_array_equal(cmp.confusion_after.to_numpy(), hand)
