"""The measure step: compare() and dw.measure(state) on real reports with known flipped rows."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone

from dcml_widgets.analysis.measure import Comparison, compare
from dcml_widgets.analysis.pipeline import start_analysis
from dcml_widgets.session.measuring import measure
from dcml_widgets.state import DatasetState


def _frame(n, seed, n_flipped=0):
    """Overlapping Gaussian classes (so a model makes mistakes) with known flipped rows."""
    rng = np.random.default_rng(seed)
    truth = np.arange(n) % 3
    centers = np.array([[0, 0, 0], [2.5, 0, 0], [0, 2.5, 0]])
    x = centers[truth] + rng.normal(size=(n, 3))
    labels = truth.copy()
    flipped = np.sort(rng.choice(n, n_flipped, replace=False)) if n_flipped else np.array([], int)
    labels[flipped] = (labels[flipped] + 1) % 3
    df = pd.DataFrame(x, columns=["a", "b", "c"])
    df["colour"] = rng.choice(["red", "green", "blue"], n)
    df["y"] = [f"k{v}" for v in labels]
    return df, flipped, np.array([f"k{v}" for v in truth], dtype=object)


@pytest.fixture(scope="module")
def noisy():
    df, flipped, truth = _frame(240, 0, n_flipped=30)
    report = start_analysis(df, "y", progress=False).first_look
    return df, flipped, truth, report


def _no_exclusions(report):
    return pd.Series(False, index=report.ids)


def test_fixing_flipped_labels_raises_out_of_sample_accuracy(noisy):
    _df, flipped, truth, report = noisy
    labels = report.given.copy()
    labels.iloc[flipped] = truth[flipped]
    cmp = compare(report, labels, _no_exclusions(report), n_edits=4)
    assert isinstance(cmp, Comparison)
    assert not cmp.on_test and cmp.n_edits == 4 and "optimistic" in cmp.note
    assert cmp.accuracy_before == pytest.approx(report.accuracy)
    assert cmp.accuracy_after > cmp.accuracy_before + 0.05
    # Independent expectation: retrain by hand on the report's folds with the fixed labels.
    x, folds = report.model_matrix, report.folds
    predicted = np.empty(len(x), dtype=object)
    for fold in range(folds.max() + 1):
        test = folds == fold
        fitted = clone(report.model).fit(x[~test], labels[~test])
        predicted[test] = fitted.predict(x[test])
    assert cmp.accuracy_after == pytest.approx(np.mean(predicted == labels.to_numpy()))
    table = cmp.table
    assert list(table.index) == list(report.classes)
    for m in ("precision", "recall", "f1", "support"):
        np.testing.assert_allclose(
            table[f"{m}_delta"], table[f"{m}_after"] - table[f"{m}_before"], atol=1e-12
        )
    np.testing.assert_array_equal(table["support_after"], labels.value_counts().sort_index())


def test_unchanged_labels_measure_no_change(noisy):
    _, _, _, report = noisy
    cmp = compare(report, report.given, _no_exclusions(report))
    assert cmp.accuracy_after == pytest.approx(cmp.accuracy_before)
    assert np.allclose(cmp.table.filter(like="_delta"), 0)


def test_excluded_rows_are_left_out(noisy):
    _, flipped, _, report = noisy
    excluded = _no_exclusions(report)
    excluded.iloc[flipped] = True
    cmp = compare(report, report.given, excluded)
    assert cmp.table["support_after"].sum() == report.n_rows - len(flipped)
    assert cmp.accuracy_after > cmp.accuracy_before


def test_trusted_test_set_scores_both_models_on_it(noisy):
    _df, flipped, truth, report = noisy
    test_df, _, _ = _frame(300, 1)
    labels = report.given.copy()
    labels.iloc[flipped] = truth[flipped]
    cmp = compare(report, labels, _no_exclusions(report), test=test_df)
    assert cmp.on_test and "test set (300 rows)" in cmp.note
    expected_support = test_df["y"].value_counts().sort_index().to_numpy()
    np.testing.assert_array_equal(cmp.table["support_before"], expected_support)
    np.testing.assert_array_equal(cmp.table["support_after"], expected_support)
    # Independent expectation: fit by hand on each label set, score on the encoded test set.
    x_test = report.options["_encoder"].transform(test_df)
    for side, y in (("before", report.given), ("after", labels)):
        fitted = clone(report.model).fit(report.model_matrix, y.to_numpy())
        expected = np.mean(fitted.predict(x_test) == test_df["y"].to_numpy())
        assert getattr(cmp, f"accuracy_{side}") == pytest.approx(expected)
    assert cmp.accuracy_after >= cmp.accuracy_before


def test_new_class_and_newly_labelled_rows_do_not_crash():
    df, _, _ = _frame(120, 2)
    df.loc[[5, 6], "y"] = None
    report = start_analysis(df, "y", progress=False).first_look
    assert (report.folds[[5, 6]] == -1).all()
    labels = report.given.astype(object).copy()
    labels.iloc[5] = "k0"  # labelled now: joins a fold
    labels.iloc[6] = "k1"
    labels.iloc[7] = "brand-new"  # a class with one member: too rare to train on
    cmp = compare(report, labels, _no_exclusions(report))
    assert "brand-new" in cmp.table.index
    assert cmp.table.loc["brand-new", "support_after"] == 1
    assert cmp.table["support_after"].sum() == 120
    assert np.isfinite(cmp.accuracy_after)


def test_bad_input_is_refused(noisy):
    df, _, _, report = noisy
    with pytest.raises(ValueError, match="row ids"):
        compare(report, report.given.iloc[:10], _no_exclusions(report))
    with pytest.raises(TypeError, match="Series"):
        compare(report, report.given.to_numpy(), _no_exclusions(report))
    with pytest.raises(KeyError, match="label column"):
        compare(report, report.given, _no_exclusions(report), test=df.drop(columns=["y"]))
    with pytest.raises(KeyError, match="colour"):
        compare(report, report.given, _no_exclusions(report), test=df.drop(columns=["colour"]))
    with pytest.raises(TypeError, match="DataFrame"):
        compare(report, report.given, _no_exclusions(report), test=df.to_numpy())


def test_features_given_as_array_cannot_score_a_test_frame():
    df, _, _ = _frame(90, 3)
    vectors = df[["a", "b", "c"]].to_numpy()
    report = start_analysis(df, "y", features=vectors, progress=False).first_look
    with pytest.raises(ValueError, match="features="):
        compare(report, report.given, _no_exclusions(report), test=df)


def test_measure_state_counts_edit_groups_and_matches_compare(noisy):
    df, flipped, truth, report = noisy
    state = DatasetState(df, label="y", report=report)
    k0 = flipped[truth[flipped] == "k0"]
    rest = flipped[truth[flipped] != "k0"]
    state.relabel(list(state.ids[k0]), "k0")  # one command for many rows
    for row in rest[:5]:
        state.relabel(state.ids[row], truth[row])
    state.exclude(list(state.ids[rest[5:]]))
    cmp = measure(state)
    assert cmp.n_edits == 1 + 5 + 1
    assert cmp.accuracy_after > cmp.accuracy_before
    expected = compare(report, state.labels, state.excluded)
    assert cmp.accuracy_after == pytest.approx(expected.accuracy_after)
    pd.testing.assert_frame_equal(cmp.table, expected.table)


def test_measure_needs_a_report():
    df, _, _ = _frame(30, 4)
    with pytest.raises(ValueError, match="report"):
        measure(DatasetState(df, label="y"))
