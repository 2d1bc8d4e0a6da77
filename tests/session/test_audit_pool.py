"""audit(unlabeled=): a pool of unlabelled rows in the dashboard, its journal and its exports."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pytest
from pandera.errors import SchemaErrors

import dcml_widgets as dw

QUIET = {"progress": False}
pytestmark = pytest.mark.filterwarnings("ignore:journal=None:UserWarning")


@pytest.fixture(scope="module")
def data():
    df = dw.datasets.demo(n_rows=300, seed=2)
    pool = dw.datasets.demo_pool(n_rows=100, seed=2, train_rows=300)
    return df, pool


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_dashboard_holds_the_combined_frame_and_pool_rows_are_labelled_like_any(data, workdir):
    df, pool = data
    dash = dw.audit(df, label="digit", unlabeled=pool, **QUIET)
    try:
        report = dash.wait(300)
        state = dash.state
        pd.testing.assert_frame_equal(state.frame, dw.combine(df, pool, label="digit"))
        assert list(state.ids) == [*df.index, *pool.index]
        assert state.labels.loc[pool.index].isna().all()
        assert report.pool_mask.tolist() == [False] * 300 + [True] * 100
        # The sideways scanner's rows are the gap; the planted values are invalid.
        sideways = pool.attrs["sideways"]["rows"]
        flagged = report.issues.index[report.issues["is_underrepresented_issue"]]
        assert len(flagged) >= 0.8 * len(sideways) and set(flagged) <= set(sideways)
        found = set(zip(report.invalid_values["id"], report.invalid_values["column"], strict=True))
        assert {(p["id"], p["column"]) for p in pool.attrs["planted_invalid"]} <= found
        # Labelling a pool row is a relabel from missing: one undo step, journaled.
        first, second = pool.index[:2]
        truth = pool.attrs["true_label"]
        state.relabel(first, truth[0])
        state.relabel(second, truth[1])
        assert state.labels.loc[[first, second]].tolist() == truth[:2]
        edit = state.edits.iloc[-1]
        assert edit["row"] == second and pd.isna(edit["old"]) and edit["new"] == truth[1]
        state.undo()
        assert pd.isna(state.labels.loc[second]) and state.labels.loc[first] == truth[0]
        state.redo()
        state.exclude([int(df.index[0])])
        replayed = dw.apply_edits(dw.combine(df, pool, label="digit"), dash.journal_path)
        pd.testing.assert_frame_equal(replayed, state.to_dataframe())
        assert replayed.loc[[first, second], "digit"].tolist() == truth[:2]
        # Re-run: labelled pool rows are trained on, the excluded row is excluded, not pool.
        after = dash.rerun(progress=False)
        positions = after.ids.get_indexer([first, second])
        assert (after.folds[positions] >= 0).all()
        assert after.pool_mask.sum() == 98
        assert after.excluded_mask[0] and after.excluded_mask.sum() == 1
        assert after.given.iloc[0] == df["digit"].iloc[0]
        journal = dash.journal_path
    finally:
        dash.close()
    # The same data and pool again resumes the journal; a new pool is new data.
    again = dw.audit(df, label="digit", unlabeled=pool, **QUIET)
    try:
        assert again.journal_path == journal and again.state.resumed_edits == 5
    finally:
        again.close()
    other = dw.audit(df, label="digit", unlabeled=pool.iloc[:50], **QUIET)
    try:
        assert other.journal_path != journal and other.state.resumed_edits == 0
    finally:
        other.close()


def test_gaps_and_expectations_export_for_the_next_step(data, workdir):
    df, pool = data
    dash = dw.audit(df, label="digit", unlabeled=pool, journal=None, **QUIET)
    try:
        report = dash.wait(300)
        gaps = pd.read_csv(dash.export_gaps(), index_col="gap")
        assert list(gaps.columns) == ["size", "nearest_classes", "example_ids", "x", "y"]
        assert gaps["size"].tolist() == report.gaps["size"].tolist()
        first = [int(i) for i in gaps.loc[0, "example_ids"].split(";")]
        assert first == list(report.gaps.loc[0, "example_ids"])
        assert gaps.loc[0, "x"] == pytest.approx(report.gaps.loc[0, "x"])
        path = dash.export_expectations(workdir / "rules.yaml")
        schema = pa.DataFrameSchema.from_yaml(path)
        features = df.drop(columns="digit")
        schema.validate(features)
        planted = pool.attrs["planted_invalid"][0]
        with pytest.raises(SchemaErrors) as caught:
            schema.validate(pool.loc[[planted["id"]]], lazy=True)
        failures = caught.value.failure_cases
        assert planted["column"] in set(failures["column"])
    finally:
        dash.close()


def test_expectations_cannot_be_exported_without_raw_columns(workdir):
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(80, 3))
    df = pd.DataFrame({"y": np.where(vectors[:, 0] > 0, "a", "b")})
    dash = dw.audit(df, label="y", features=vectors, journal=None, **QUIET)
    try:
        with pytest.raises(ValueError, match="no expectations"):
            dash.export_expectations()
        assert len(pd.read_csv(dash.export_gaps())) == 0
    finally:
        dash.close()


def test_an_id_column_works_with_a_pool(workdir):
    df = dw.datasets.demo(n_rows=120, seed=3).reset_index()
    pool = dw.datasets.demo_pool(n_rows=30, seed=3, train_rows=120).reset_index()
    dash = dw.audit(df, label="digit", unlabeled=pool, id_column="row", journal=None, **QUIET)
    try:
        assert list(dash.state.ids) == [*df["row"], *pool["row"]]
        assert dash.wait(300).pool_mask.sum() == 30
    finally:
        dash.close()
    with pytest.raises(ValueError, match="unique across"):
        dw.audit(
            df,
            label="digit",
            unlabeled=pool.assign(row=df["row"][:30].to_numpy()),
            id_column="row",
            journal=None,
            **QUIET,
        )
