"""report.slices: where the model is worse, with intervals that keep chance from findings."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import binom
from sklearn.datasets import load_breast_cancer

import dcml_widgets as dw
from dcml_widgets.analysis.features import build_features
from dcml_widgets.analysis.proportions import difference_interval, wilson_interval
from dcml_widgets.analysis.slices import candidate_columns, find_slices

QUIET = {"progress": False}


def test_newcombe_interval_matches_the_published_example():
    # Newcombe (1998), Statistics in Medicine 17:873, example (a) 56/70 vs 48/80, method 11
    low, high = difference_interval(56, 70, 48, 80)
    assert (low, high) == pytest.approx((0.0428, 0.3422), abs=1e-4)
    # the continuity-corrected Wilson interval, by its closed form
    n, p, z = 263, 81 / 263, 1.959963985
    low = 2 * n * p + z * z - 1 - z * np.sqrt(z * z - 2 - 1 / n + 4 * p * (n * (1 - p) + 1))
    high = 2 * n * p + z * z + 1 + z * np.sqrt(z * z + 2 - 1 / n + 4 * p * (n * (1 - p) - 1))
    expected = (low / (2 * (n + z * z)), high / (2 * (n + z * z)))
    assert wilson_interval(81, 263) == pytest.approx(expected, abs=1e-9)


def test_a_planted_weak_slice_is_first_and_significant_with_figures_by_hand():
    rng = np.random.default_rng(0)
    n = 600
    site = np.array(["a", "b", "c", "tiny"] * 150)
    site[:590][site[:590] == "tiny"] = "a"  # "tiny" keeps 3 rows: below the minimum size
    correct = rng.random(n) < 0.9
    weak = site == "c"
    correct[weak] = rng.random(weak.sum()) < 0.6
    issues = rng.random(n) < 0.1
    compared = np.ones(n, bool)
    compared[:6] = False  # e.g. pool rows: never counted
    found = find_slices(pd.DataFrame({"site": site}), correct, compared, issues)
    table = found.table
    assert table["ci_high"].is_monotonic_increasing
    assert "tiny" not in set(table["value"])
    first = table.iloc[0]
    assert (first["source"], first["column"], first["value"]) == ("column", "site", "c")
    rows = weak & compared
    assert first["n"] == rows.sum()
    assert first["accuracy"] == pytest.approx(correct[rows].mean())
    rest = compared & ~rows
    assert first["accuracy_gap"] == pytest.approx(correct[rows].mean() - correct[rest].mean())
    assert first["label_issue_rate"] == pytest.approx(issues[rows].mean())
    assert first["ci_low"] < first["accuracy_gap"] < first["ci_high"] < 0
    assert first["significant"]
    # the others are better than a rest that holds the weak slice
    assert (table["accuracy_gap"].iloc[1:] > 0).all()
    np.testing.assert_array_equal(found.positions[0], np.flatnonzero(rows))


@pytest.fixture(scope="module")
def cancer():
    """Breast cancer with an i.i.d. 'site' column: nothing to find."""
    df = load_breast_cancer(as_frame=True).frame.rename(columns={"target": "y"})
    df["site"] = np.random.default_rng(0).choice(["s1", "s2", "s3", "s4", "s5"], len(df))
    return df, dw.analyze(df, "y", **QUIET)


def test_no_significant_slice_on_an_iid_split_of_a_real_set(cancer):
    df, report = cancer
    assert set(report.slices.loc[report.slices["source"] == "column", "value"]) == {
        "s1", "s2", "s3", "s4", "s5"
    }  # fmt: skip
    assert not report.slices["significant"].any()
    # Many more i.i.d. splits on the same out-of-sample predictions: a split with any
    # "significant" slice is a false finding; the correction keeps them under 5% of splits.
    # At exactly 5%, 200 splits give more than 10 findings 45% of the time: the bound is the
    # count such a rate exceeds once in a thousand runs (a rate of 16% would fail 98% of runs).
    correct = (report.predicted == report.given).to_numpy()
    issues = report.issues["is_label_issue"].to_numpy(bool)
    false_findings = 0
    for seed in range(1, 201):
        rng = np.random.default_rng(seed)
        split = pd.DataFrame({"g": rng.choice(list("abcdefgh"), len(df))})
        found = find_slices(split, correct, np.ones(len(df), bool), issues)
        assert len(found.table) == 8
        false_findings += bool(found.table["significant"].any())
    assert false_findings <= binom.ppf(0.999, 200, 0.05)


def test_numeric_columns_named_are_binned_into_quantiles_and_false_turns_it_off(cancer):
    df, _ = cancer
    report = dw.analyze(df, "y", slices=["mean radius"], **QUIET)
    by_column = report.slices[report.slices["source"] == "column"]
    assert set(by_column["column"]) == {"mean radius"}
    assert len(by_column) == 4
    assert by_column["n"].sum() == len(df)
    worst = int(by_column.index[0])
    ids = report.slice_ids(worst)
    assert len(ids) == by_column.loc[worst, "n"]
    # the rows of one quantile bin: a contiguous range of radii
    radius = df["mean radius"]
    inside = radius.loc[ids]
    outside = radius.drop(ids)
    assert ((outside < inside.min()) | (outside > inside.max())).all()
    off = dw.analyze(df, "y", slices=False, **QUIET)
    assert off.slices.empty and list(off.slices.columns) == list(report.slices.columns)
    with pytest.raises(KeyError, match="No slice"):
        report.slice_ids(len(report.slices))


def test_bad_slices_options_are_refused_before_any_work(cancer):
    df, _ = cancer
    with pytest.raises(KeyError, match="not in the frame"):
        dw.analyze(df, "y", slices=["nope"], **QUIET)
    with pytest.raises(TypeError, match="slices="):
        dw.analyze(df, "y", slices="site", **QUIET)
    with pytest.raises(ValueError, match="label"):
        dw.analyze(df, "y", slices=["y"], **QUIET)


def test_default_candidates_are_short_categorical_columns_only():
    n = 120
    rng = np.random.default_rng(0)
    df = pd.DataFrame(
        {
            "x": rng.normal(size=n),
            "site": rng.choice(["a", "b"], n),
            "flag": rng.random(n) < 0.5,
            "kind": pd.Categorical(rng.choice(["p", "q", "r"], n)),
            "one": ["same"] * n,
            "many": [f"v{i % 60}" for i in range(n)],
            "comment": [f"a long free text comment number {i} about things" for i in range(n)],
            "rater": rng.choice(["a", "b"], n),
            "y": rng.choice(["u", "v"], n),
        }
    )
    plan = build_features(df, "y", None, exclude=["rater"], random_state=0).plan
    assert candidate_columns(df, "y", plan, skip=["rater"]) == ["site", "flag", "kind"]
