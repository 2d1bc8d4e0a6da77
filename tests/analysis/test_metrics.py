"""per_class_metrics against figures worked out by hand."""

from __future__ import annotations

import numpy as np
import pytest

from dcml_widgets.analysis.metrics import per_class_metrics


def test_figures_match_a_hand_count():
    y_true = ["a", "a", "a", "b", "b", "c", None]
    y_pred = ["a", "a", "b", "b", "a", "a", "c"]  # the unlabelled last row is ignored
    table, accuracy = per_class_metrics(y_true, y_pred, ["a", "b", "c", "d"])
    # a: tp 2, predicted 4, true 3; b: tp 1, predicted 2, true 2; c: tp 0; d: absent.
    assert table.loc["a", "precision"] == pytest.approx(2 / 4)
    assert table.loc["a", "recall"] == pytest.approx(2 / 3)
    assert table.loc["a", "f1"] == pytest.approx(2 * 0.5 * (2 / 3) / (0.5 + 2 / 3))
    assert table.loc["b", "precision"] == pytest.approx(0.5)
    assert table.loc["b", "recall"] == pytest.approx(0.5)
    assert table.loc[["c", "d"], ["precision", "recall", "f1"]].eq(0).all().all()
    assert list(table["support"]) == [3, 2, 1, 0]
    assert accuracy == pytest.approx(3 / 6)
    assert list(table.index) == ["a", "b", "c", "d"]


def test_numeric_labels_and_float_nan():
    y_true = np.array([0, 1, 1, np.nan])
    y_pred = np.array([0, 1, 0, 1])
    table, accuracy = per_class_metrics(y_true, y_pred, np.array([0, 1]))
    assert accuracy == pytest.approx(2 / 3)
    assert list(table["support"]) == [1, 2]


def test_no_labelled_row_gives_nan_accuracy():
    table, accuracy = per_class_metrics([None, None], ["a", "b"], ["a", "b"])
    assert np.isnan(accuracy) and (table["support"] == 0).all()


def test_length_mismatch_is_refused():
    with pytest.raises(ValueError, match="rows"):
        per_class_metrics(["a"], ["a", "b"], ["a", "b"])
