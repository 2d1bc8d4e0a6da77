"""self_check=True: planted label errors on a clean set are found, and the figures obey their
definitions (recomputed here from the planted rows and the flags)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import GaussianNB

from dcml_widgets.analysis.pipeline import analyze


def _clean(n=400, seed=0):
    """Four well separated classes, no wrong label: a strong model's easy case."""
    rng = np.random.default_rng(seed)
    truth = np.arange(n) % 4
    x = rng.normal(0, 6, (4, 5))[truth] + rng.normal(size=(n, 5))
    df = pd.DataFrame(x, columns=[f"f{i}" for i in range(5)], index=[f"r{i}" for i in range(n)])
    df["y"] = np.array(["w", "x", "y", "z"], dtype=object)[truth]
    df.loc[df.index[:6], "y"] = None
    return df


@pytest.fixture(scope="module")
def checked():
    df = _clean()
    return df, analyze(df, "y", self_check=True, random_state=3, progress=False)


def test_planted_errors_on_a_clean_set_are_found(checked):
    _, report = checked
    check = report.self_check
    assert check.recall >= 0.85  # measured 0.95 (19 of 20)
    assert check.precision >= 0.8  # measured 1.0
    assert check["recall"] == check.recall and check.rate == 0.05 and check.seed == 3


def test_the_figures_obey_their_definitions(checked):
    df, report = checked
    check = report.self_check
    issues = report.issues
    before = issues["is_label_issue"].to_numpy(bool)
    eligible = report.given.notna().to_numpy() & ~issues["is_too_rare"].to_numpy() & ~before
    assert check.n_planted == round(0.05 * eligible.sum())
    planted = check.planted
    assert len(planted) == check.n_planted and planted.index.is_unique
    positions = report.ids.get_indexer(planted.index)
    assert eligible[positions].all()
    assert (planted.to_numpy() != report.given.iloc[positions].to_numpy()).all()
    assert set(planted) <= set(report.classes)
    found = set(check.flagged)
    hits = len(found & set(planted.index))
    assert check.n_found == hits
    assert check.recall == pytest.approx(hits / len(planted))
    assert check.precision == pytest.approx(min(1.0, hits / (len(found) - before.sum())))
    assert check.flagged.isin(report.ids).all()
    # The main run is untouched: its labels and flags are those of the given data.
    pd.testing.assert_series_equal(report.given, df["y"])


def test_the_progress_bar_names_the_stage_and_the_draw_is_reproducible(checked):
    df, report = checked
    assert "self-check" in report.timings
    again = analyze(df, "y", self_check=True, random_state=3, progress=False)
    pd.testing.assert_series_equal(again.self_check.planted, report.self_check.planted)
    other = analyze(df, "y", self_check=True, random_state=4, progress=False)
    assert not other.self_check.planted.index.equals(report.self_check.planted.index)


def test_off_by_default_and_a_model_list_is_rerun_as_a_list():
    df = _clean(200, seed=1)
    assert analyze(df, "y", progress=False).self_check is None
    models = [LogisticRegression(max_iter=300), GaussianNB()]
    report = analyze(df, "y", model=models, self_check=True, progress=False)
    # 5% of 194 labelled rows; measured 8 of 10 found.
    assert report.self_check.n_planted == 10 and report.self_check.recall >= 0.6


def test_self_check_must_be_a_bool():
    with pytest.raises(TypeError, match="self_check= must be True or False"):
        analyze(_clean(60), "y", self_check="yes", progress=False)
