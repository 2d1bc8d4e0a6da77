"""Multi-annotator agreement: Krippendorff's alpha, consensus, annotator quality (cleanlab)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dcml_widgets.analysis.agreement import annotator_agreement, krippendorff_alpha_nominal

nan = np.nan
# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", nominal example:
# 4 coders, 12 units, missing values; published alpha = 0.743.
KRIPPENDORFF_EXAMPLE = pd.DataFrame(
    {
        "A": [1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
        "B": [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
        "C": [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
        "D": [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan],
    }
)


def test_alpha_matches_the_published_example():
    result = annotator_agreement(KRIPPENDORFF_EXAMPLE, np.array([1.0, 2, 3, 4, 5]))
    assert result.statistic == "krippendorff_alpha"
    assert result.value == pytest.approx(0.743, abs=5e-4)


def test_alpha_is_one_for_perfect_agreement_and_nan_without_pairs():
    codes = np.array([[0, 0], [1, 1], [2, 2]])
    assert krippendorff_alpha_nominal(codes, 3) == pytest.approx(1.0)
    assert np.isnan(krippendorff_alpha_nominal(np.array([[0, -1], [-1, 1]]), 2))


def test_majority_vote_consensus_and_agreement_by_hand():
    result = annotator_agreement(KRIPPENDORFF_EXAMPLE, np.array([1.0, 2, 3, 4, 5]))
    assert result.method == "majority_vote"
    row = result.per_row
    # Unit 2: labels 2, 2, 3, 2 -> consensus 2 with 3 of 4 agreeing.
    assert row.loc[1, "consensus_label"] == 2 and row.loc[1, "agreement"] == pytest.approx(0.75)
    assert row.loc[11, "num_annotations"] == 1 and row.loc[11, "agreement"] == 1.0
    # Coder C disagrees with the majority on units 2, 6 and 8 (of 10 labelled).
    assert result.annotator_quality.loc["C", "agreement_with_consensus"] == pytest.approx(0.7)
    assert result.annotator_quality.loc["C", "num_examples_labeled"] == 10


@pytest.fixture(scope="module")
def crowd():
    """Five annotators on 200 rows; annotator 'sloppy' is right only 40% of the time."""
    rng = np.random.default_rng(0)
    n, k = 200, 3
    truth = rng.integers(0, k, n)
    accuracy = {"ann1": 0.9, "ann2": 0.9, "ann3": 0.85, "ann4": 0.9, "sloppy": 0.4}
    columns = {}
    for name, acc in accuracy.items():
        wrong = rng.random(n) > acc
        labels = np.where(wrong, (truth + rng.integers(1, k, n)) % k, truth).astype(float)
        labels[rng.random(n) < 0.3] = nan  # not everyone labels every row
        columns[name] = labels
    annotations = pd.DataFrame(columns, index=[f"r{i}" for i in range(n)])
    probs = np.full((n, k), 0.1)
    probs[np.arange(n), truth] = 0.8
    return annotations, truth, probs


def test_crowdlab_consensus_finds_truth_and_ranks_the_sloppy_annotator_last(crowd):
    annotations, truth, probs = crowd
    result = annotator_agreement(annotations, np.array([0.0, 1.0, 2.0]), pred_probs=probs)
    assert result.method == "crowdlab"
    labelled = result.per_row["num_annotations"] > 0
    consensus = result.per_row.loc[labelled, "consensus_label"].astype(float).to_numpy()
    assert np.mean(consensus == truth[labelled.to_numpy()]) > 0.95
    quality = result.annotator_quality["annotator_quality"]
    assert quality.idxmin() == "sloppy"
    assert list(result.per_row.index) == list(annotations.index)
    assert result.per_row["consensus_quality"].between(0, 1).all()
    assert 0.3 < result.value < 0.9


def test_rows_without_annotation_get_no_consensus(crowd):
    annotations, _, probs = crowd
    annotations = annotations.copy()
    annotations.iloc[0] = nan
    result = annotator_agreement(annotations, np.array([0.0, 1.0, 2.0]), pred_probs=probs)
    assert pd.isna(result.per_row.iloc[0]["consensus_label"])
    assert result.per_row.iloc[0]["num_annotations"] == 0
    assert any("no annotation" in note for note in result.notes)


def test_string_labels_work():
    annotations = pd.DataFrame(
        {"a": ["cat", "dog", "cat", None], "b": ["cat", "dog", "dog", "dog"]}
    )
    result = annotator_agreement(annotations, np.array(["cat", "dog"]))
    assert list(result.per_row["consensus_label"]) == ["cat", "dog", "cat", "dog"]


def test_unknown_label_names_the_annotator():
    annotations = pd.DataFrame({"a": ["cat", "dog"], "b": ["cat", "cow"]})
    with pytest.raises(ValueError, match="'b'"):
        annotator_agreement(annotations, np.array(["cat", "dog"]))


def test_bad_input_is_refused():
    with pytest.raises(TypeError, match="DataFrame"):
        annotator_agreement(np.zeros((3, 2)), np.array([0, 1]))
    with pytest.raises(ValueError, match="shape"):
        annotator_agreement(
            pd.DataFrame({"a": [0, 1], "b": [0, 1]}), np.array([0, 1]), pred_probs=np.ones((3, 2))
        )
