"""Expectations: rules inferred from the training rows, every cell checked, pandera's format."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pytest
from pandera.errors import SchemaErrors

import dcml_widgets as dw
from dcml_widgets.analysis.report import AuditReport

QUIET = {"progress": False}
N = 240


def training_rows(seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    df = pd.DataFrame(
        {
            "age": rng.integers(20, 61, size=N),
            "score": rng.random(N),
            "colour": pd.Categorical(rng.choice(["red", "green", "blue"], size=N)),
            "city": rng.choice(["Ghent", "Lyon", "Porto"], size=N),
            "comment": [f"free text number {i}" for i in range(N)],
            "when": pd.Timestamp("2020-01-01") + pd.to_timedelta(rng.integers(0, 365, N), "D"),
            "flag": rng.random(N) < 0.5,
        }
    )
    df["y"] = np.where(df["score"] + rng.normal(0, 0.1, N) > 0.5, "hi", "lo")
    return df


def planted_pool() -> tuple[pd.DataFrame, set]:
    """Ten new rows drawn like the training ones; six cells break a rule, one rule each."""
    pool = training_rows(seed=1).drop(columns="y").iloc[:10].copy()
    pool.index = range(500, 510)
    pool = pool.astype({"flag": object, "score": object, "colour": object})
    pool.loc[500, "age"] = 150
    pool.loc[501, "age"] = -5
    pool.loc[502, "colour"] = "purple"
    pool.loc[503, "city"] = "Atlantis"
    pool.loc[504, "when"] = pd.Timestamp("2035-06-01")
    pool.loc[505, "flag"] = None
    pool.loc[506, "score"] = "n/a"
    pool.loc[506, "city"] = "Atlantis"
    pool.loc[507, "comment"] = "a comment never seen before"  # free text: no value rule
    planted = {
        (500, "age", "less_than_or_equal_to", 150),
        (501, "age", "greater_than_or_equal_to", -5),
        (502, "colour", "isin", "purple"),
        (503, "city", "isin", "Atlantis"),
        (504, "when", "less_than_or_equal_to", pd.Timestamp("2035-06-01")),
        (505, "flag", "not_nullable", None),
        (506, "score", "dtype", "n/a"),
        (506, "city", "isin", "Atlantis"),
    }
    return pool, planted


@pytest.fixture(scope="module")
def analysed():
    df = training_rows()
    pool, planted = planted_pool()
    return df, pool, planted, dw.analyze(df, "y", unlabeled=pool, **QUIET)


def test_planted_values_are_reported_with_their_column_and_rule(analysed):
    _, _, planted, report = analysed
    found = {tuple(row) for row in report.invalid_values.itertuples(index=False)}
    assert found == planted
    assert list(report.invalid_values.columns) == ["id", "column", "rule", "value"]
    flagged = report.issues.index[report.issues["is_invalid_value_issue"]]
    assert sorted(flagged) == [500, 501, 502, 503, 504, 505, 506]
    summary = report.summary.set_index("issue_type")
    assert summary.loc["invalid_value", "num_issues"] == 7
    assert "invalid_value" in report.issue_types


def test_the_score_is_one_minus_failed_over_checked_rules(analysed):
    _, _, _, report = analysed
    # Rules per column, by hand: age, score, when: missing, type, min, max; colour: missing,
    # values; city: missing, type, values; comment, flag: missing, type.
    checked = 4 + 4 + 2 + 3 + 2 + 4 + 2
    score = report.issues["invalid_value_score"]
    assert score[506] == pytest.approx(1 - 2 / checked)
    assert score[500] == pytest.approx(1 - 1 / checked)
    assert (score.drop(range(500, 507)) == 1.0).all()


def test_the_schema_is_pandera_and_enforces_the_same_rules_in_a_pipeline(analysed, tmp_path):
    df, pool, _, report = analysed
    schema = report.expectations
    assert isinstance(schema, pa.DataFrameSchema)
    path = tmp_path / "expectations.yaml"
    path.write_text(schema.to_yaml())
    loaded = pa.DataFrameSchema.from_yaml(path)  # pandera alone, nothing of dcml-widgets
    features = df.drop(columns="y")
    loaded.validate(features)  # the training rows keep every rule, extremes included
    clean = pool.drop(index=range(500, 507)).astype({"score": float, "flag": bool})
    loaded.validate(clean.astype({"colour": "category"}))
    with pytest.raises(SchemaErrors) as caught:
        loaded.validate(pool.loc[[500, 502, 504]].astype({"score": float}), lazy=True)
    failures = caught.value.failure_cases
    broken = set(zip(failures["column"], failures["check"].str.split("(").str[0], strict=True))
    assert {
        ("age", "less_than_or_equal_to"),
        ("colour", "isin"),
        ("when", "less_than_or_equal_to"),
    } <= broken


def test_the_feature_plan_says_what_each_column_must_hold(analysed):
    _, _, _, report = analysed
    expects = report.feature_plan.set_index("column")["expects"]
    assert "one of 3 values: Ghent, Lyon, Porto" in expects["city"]
    assert "never missing" in expects["age"] and "≥" in expects["age"]
    assert "one of" not in expects["comment"]


def test_missing_values_follow_the_training_null_rate(analysed):
    df = training_rows()
    df.loc[df.index[:24], "score"] = np.nan  # 10% missing in training: nullable
    pool = training_rows(seed=2).drop(columns="y").iloc[:60]
    pool.index = range(1000, 1060)
    pool.loc[pool.index[:40], "score"] = np.nan  # 67% missing in the new rows
    report = dw.analyze(df, "y", unlabeled=pool, **QUIET)
    column = report.expectations.columns["score"]
    assert column.nullable and column.metadata["null_rate"] == pytest.approx(0.1)
    assert not (report.invalid_values["column"] == "score").any()
    assert any("'score' is missing in 66.7% of the 60 rows" in n for n in report.notes)


def test_without_raw_columns_there_are_no_expectations():
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(120, 4))
    df = pd.DataFrame({"y": np.where(vectors[:, 0] > 0, "a", "b")})
    report = dw.analyze(df, "y", features=vectors, **QUIET)
    assert report.expectations is None and len(report.invalid_values) == 0
    assert "invalid_value" not in report.issue_types
    assert pd.isna(report.summary.set_index("issue_type").loc["invalid_value", "num_issues"])


def test_saved_reports_keep_the_new_fields_and_old_ones_load(analysed, tmp_path):
    _, _, _, report = analysed
    loaded = AuditReport.load(report.save(tmp_path / "r.dcmlreport"))
    pd.testing.assert_frame_equal(loaded.invalid_values, report.invalid_values)
    pd.testing.assert_frame_equal(loaded.gaps, report.gaps)
    assert loaded.expectations.to_yaml() == report.expectations.to_yaml()
    assert loaded.pool_mask.tolist() == report.pool_mask.tolist()
    # A report saved before these fields existed still loads, with empty defaults.
    import dataclasses

    old = {
        f.name: getattr(report, f.name)
        for f in dataclasses.fields(report)
        if f.name not in ("excluded", "gaps", "invalid_values", "expectations")
    }
    again = AuditReport(**old)
    assert len(again.gaps) == 0 and len(again.invalid_values) == 0
    assert again.expectations is None and not again.excluded_mask.any()
