"""Coverage: pool rows the training rows do not reach, found on the shared graph."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_digits, load_wine
from sklearn.neighbors import NearestNeighbors

import dcml_widgets as dw
from dcml_widgets.analysis.pipeline import start_analysis

QUIET = {"progress": False}


def islands(seed: int = 0):
    """Class a near (0, 0), class b near (6, 6), and 40 unlabelled rows near (12, 12): a
    region no labelled row reaches; 30 more unlabelled rows sit among the labelled ones."""
    rng = np.random.default_rng(seed)
    a = rng.normal(0, 1, size=(150, 2))
    b = rng.normal(6, 1, size=(150, 2))
    island = rng.normal(12, 0.7, size=(40, 2))
    mixed = np.vstack([rng.normal(0, 1, size=(15, 2)), rng.normal(6, 1, size=(15, 2))])
    df = pd.DataFrame(np.vstack([a, b]), columns=["u", "v"])
    df["y"] = ["a"] * 150 + ["b"] * 150
    pool = pd.DataFrame(np.vstack([island, mixed]), columns=["u", "v"])
    pool.index = range(1000, 1070)
    return df, pool


@pytest.fixture(scope="module")
def island_report():
    df, pool = islands()
    return df, pool, dw.analyze(df, "y", unlabeled=pool, **QUIET)


def test_a_region_of_unlabelled_rows_is_one_gap_with_sensible_neighbours(island_report):
    _, pool, report = island_report
    island = list(range(1000, 1040))
    assert len(report.gaps) == 1
    gap = report.gaps.loc[0]
    assert report.gaps.index.name == "gap"
    assert gap["size"] == 40
    flagged = report.issues.index[report.issues["is_underrepresented_issue"]]
    assert sorted(flagged) == island
    assert (report.issues.loc[island, "gap"] == 0).all()
    assert (report.issues["gap"].drop(island) == -1).all()
    assert (report.issues.loc[island, "underrepresented_score"] < 0.5).all()
    assert gap["nearest_classes"] == ("b",)  # b's blob lies between a's and the island
    assert len(gap["example_ids"]) == 5 and set(gap["example_ids"]) <= set(island)
    # The first example is the member nearest the island's centre (by hand, on the inputs).
    members = pool.loc[island, ["u", "v"]].to_numpy()
    nearest = island[int(np.argmin(((members - members.mean(0)) ** 2).sum(1)))]
    assert gap["example_ids"][0] == nearest
    # Its map position is that of the first example, on the final (UMAP) layout.
    assert report.embedding_method == "umap"
    position = report.ids.get_loc(gap["example_ids"][0])
    assert (gap["x"], gap["y"]) == pytest.approx(tuple(report.embedding[position]))
    summary = report.summary.set_index("issue_type").loc["underrepresented"]
    assert summary["num_issues"] == 40
    assert "underrepresented" in report.issue_types


def test_the_score_is_the_labelled_share_of_the_neighbours_over_the_overall_share(
    island_report,
):
    _, _, report = island_report
    # An independent neighbour search on the same matrix (sklearn, exact): 14 others.
    x = report.model_matrix
    found = NearestNeighbors(n_neighbors=15).fit(x).kneighbors(x, return_distance=False)[:, 1:]
    labelled = report.given.notna().to_numpy()
    by_hand = np.clip(labelled[found].mean(1) / labelled.mean(), 0, 1)
    score = report.issues["underrepresented_score"].to_numpy()
    assert np.mean(np.abs(score - by_hand) < 1e-9) > 0.97  # ties may order differently
    assert score.min() >= 0 and score.max() <= 1


def test_gaps_sit_on_each_layout_the_first_look_and_the_final_one():
    df, pool = islands(seed=1)
    pending = start_analysis(df, "y", unlabeled=pool, random_state=1, **QUIET)
    first, final = pending.first_look, pending.finish()
    assert first.embedding_method == "pca" and final.embedding_method == "umap"
    for report in (first, final):
        position = report.ids.get_loc(report.gaps.loc[0, "example_ids"][0])
        assert report.gaps.loc[0, ["x", "y"]].tolist() == pytest.approx(
            report.embedding[position].tolist()
        )
    assert first.gaps[["size", "nearest_classes", "example_ids"]].equals(
        final.gaps[["size", "nearest_classes", "example_ids"]]
    )


def test_a_class_present_only_in_the_pool_is_a_gap():
    digits = load_digits(as_frame=True)
    df = digits.frame.rename(columns={"target": "digit"})
    rng = np.random.default_rng(0)
    to_pool = (df["digit"] == 9).to_numpy() | (rng.random(len(df)) < 0.15)
    train, pool = df[~to_pool], df[to_pool].drop(columns="digit")
    report = dw.analyze(train, "digit", unlabeled=pool, **QUIET)
    nines = df.index[df["digit"] == 9]
    flagged = report.issues.index[report.issues["is_underrepresented_issue"]]
    assert len(report.gaps) >= 1
    biggest = report.gaps.loc[0]
    members = report.issues.index[report.issues["gap"] == 0]
    assert biggest["size"] == len(members) >= 0.6 * len(nines)
    assert np.isin(members, nines).mean() > 0.95
    assert np.isin(flagged, nines).mean() > 0.9
    assert set(biggest["example_ids"]) <= set(nines)
    # Nearest classes, by hand: the class of each nine's nearest training row (pixels).
    pixels = df.drop(columns="digit").to_numpy(float)
    search = NearestNeighbors(n_neighbors=1).fit(pixels[~to_pool])
    nearest = train["digit"].to_numpy()[search.kneighbors(pixels[nines], return_distance=False)]
    assert 9 not in biggest["nearest_classes"] and len(biggest["nearest_classes"]) <= 3
    assert np.bincount(nearest.ravel()).argmax() in biggest["nearest_classes"]


@pytest.mark.parametrize("loader", [load_digits, load_wine])
def test_an_iid_pool_has_no_gap_and_almost_no_invalid_value(loader):
    data = loader(as_frame=True)
    df = data.frame.rename(columns={"target": "y"})
    to_pool = np.random.default_rng(7).random(len(df)) < 0.3
    train, pool = df[~to_pool], df[to_pool].drop(columns="y")
    report = dw.analyze(train, "y", unlabeled=pool, **QUIET)
    assert report.pool_mask.sum() == to_pool.sum()
    assert len(report.gaps) == 0
    assert not report.issues["is_underrepresented_issue"].any()
    invalid = report.issues["is_invalid_value_issue"].to_numpy()
    assert invalid.mean() <= 0.01 and invalid[report.pool_mask].mean() <= 0.02
    assert not invalid[~report.pool_mask].any()  # the training rows keep their own rules


def test_without_a_pool_coverage_is_not_assessed():
    df, _ = islands()
    report = dw.analyze(df, "y", **QUIET)
    summary = report.summary.set_index("issue_type")
    assert pd.isna(summary.loc["underrepresented", "num_issues"])
    assert np.isnan(summary.loc["underrepresented", "score"])
    assert "underrepresented" not in report.issue_types
    assert len(report.gaps) == 0 and list(report.gaps.columns) == [
        "size",
        "nearest_classes",
        "example_ids",
        "x",
        "y",
    ]
    assert (report.issues["underrepresented_score"] == 1.0).all()


def test_excluded_rows_are_never_pool_and_never_underrepresented():
    df, pool = islands()
    combined = dw.combine(df, pool, label="y")
    island = list(range(1000, 1040))
    report = dw.analyze(combined, "y", exclude=island, **QUIET)
    assert not report.pool_mask[report.ids.get_indexer(island)].any()
    assert report.pool_mask.sum() == 30
    assert not report.issues.loc[island, "is_underrepresented_issue"].any()
    assert len(report.gaps) == 0
