"""cmp.slices: each of the report's slices, accuracy before and after the edits."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone

from dcml_widgets.analysis.measure import compare
from dcml_widgets.analysis.pipeline import start_analysis
from tests.session.test_measure import _frame


@pytest.fixture(scope="module")
def noisy():
    df, flipped, truth = _frame(240, 0, n_flipped=30)
    return df, flipped, truth, start_analysis(df, "y", progress=False).first_look


def test_each_slice_is_measured_before_and_after_by_hand(noisy):
    _df, flipped, truth, report = noisy
    assert set(report.slices["column"]) >= {"colour"}  # a default candidate column
    labels = report.given.copy()
    labels.iloc[flipped] = truth[flipped]
    excluded = pd.Series(False, index=report.ids)
    excluded.iloc[:12] = True  # excluded rows leave the "after" figures
    cmp = compare(report, labels, excluded)
    table = cmp.slices
    keys = ["source", "column", "value"]
    pd.testing.assert_frame_equal(table[keys], report.slices[keys].reset_index(drop=True))
    # by hand: the report's predictions vs given labels, and a retrain on the fixed labels
    x, folds = report.model_matrix, report.folds
    after = labels.astype(object).where(~excluded, None)
    keep = after.notna().to_numpy()
    predicted = np.empty(len(x), dtype=object)
    for fold in range(folds.max() + 1):
        test = folds == fold
        fitted = clone(report.model).fit(x[~test & keep], after[~test & keep].astype(str))
        predicted[test] = fitted.predict(x[test])
    for i in range(len(report.slices)):
        rows = report.slice_positions[i]
        before = (report.predicted.to_numpy()[rows] == report.given.to_numpy()[rows]).mean()
        mine = rows[keep[rows]]
        expected_after = (predicted[mine] == after.to_numpy()[mine]).mean()
        assert table.loc[i, "accuracy_before"] == pytest.approx(before)
        assert table.loc[i, "accuracy_after"] == pytest.approx(expected_after)
        assert table.loc[i, "accuracy_delta"] == pytest.approx(expected_after - before)
    assert (table["accuracy_delta"] > 0).mean() > 0.5  # fixing labels helps most slices


def test_with_a_test_set_the_report_slices_are_not_measured(noisy):
    _df, _flipped, _truth, report = noisy
    test_df, _, _ = _frame(90, 1)
    cmp = compare(report, report.given, pd.Series(False, index=report.ids), test=test_df)
    assert len(cmp.slices) == len(report.slices)
    assert cmp.slices[["accuracy_before", "accuracy_after"]].isna().all().all()
