"""The new report fields survive save/load, old saved reports still load, and every new option
is part of the cache key."""

from __future__ import annotations

import dataclasses
import json
import pickle
import zipfile

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import GaussianNB

from dcml_widgets.analysis.cache import cache_key
from dcml_widgets.analysis.pipeline import analyze
from dcml_widgets.analysis.report import AuditReport


def _frame(n=120, seed=0):
    rng = np.random.default_rng(seed)
    truth = np.arange(n) % 3
    df = pd.DataFrame(
        rng.normal(0, 5, (3, 3))[truth] + rng.normal(size=(n, 3)), columns=list("abc")
    )
    df["y"] = np.array(["p", "q", "r"], dtype=object)[truth]
    return df


def test_save_and_load_keep_the_new_fields(tmp_path):
    report = analyze(
        _frame(),
        "y",
        model=[LogisticRegression(max_iter=300), GaussianNB()],
        self_check=True,
        progress=False,
    )
    loaded = AuditReport.load(report.save(tmp_path / "r.dcmlreport"))
    assert loaded.embedding_input == "features"
    np.testing.assert_array_equal(loaded.member_pred_probs, report.member_pred_probs)
    assert loaded.self_check.recall == report.self_check.recall
    pd.testing.assert_series_equal(loaded.self_check.planted, report.self_check.planted)
    pd.testing.assert_series_equal(
        loaded.issues["num_models_disagreeing"], report.issues["num_models_disagreeing"]
    )
    assert loaded.options["self_check"] is True


def test_a_report_saved_before_the_new_fields_still_loads(tmp_path):
    report = analyze(_frame(), "y", progress=False)
    new = {"embedding_input", "member_pred_probs", "self_check"}
    old_fields = {
        f.name: getattr(report, f.name) for f in dataclasses.fields(report) if f.name not in new
    }
    path = tmp_path / "old.dcmlreport"
    with zipfile.ZipFile(path, "w") as zf:  # the format as version 1 wrote it
        zf.writestr("header.json", json.dumps({"format": "dcml-report", "version": 1}))
        zf.writestr("report.pkl", pickle.dumps(old_fields))
    loaded = AuditReport.load(path)
    assert loaded.embedding_input == "features"
    assert loaded.self_check is None and loaded.member_pred_probs is None
    np.testing.assert_array_equal(loaded.pred_probs, report.pred_probs)


def test_every_new_option_changes_the_cache_key():
    df = _frame()
    probs = np.full((len(df), 3), 1 / 3)
    base = {"label": "y", "pred_probs": probs, "classes": None, "self_check": False}
    variants = [
        base,
        {**base, "classes": ["p", "q", "r"]},
        {**base, "classes": ["r", "q", "p"]},
        {**base, "self_check": True},
        {**base, "model": [LogisticRegression(), GaussianNB()]},
    ]
    keys = [cache_key(df, v) for v in variants]
    assert None not in keys and len(set(keys)) == len(keys)
    assert cache_key(df, {**base, "classes": [1, 2]}) != cache_key(
        df, {**base, "classes": ["1", "2"]}
    )


def test_the_same_options_return_the_cached_report_and_new_ones_do_not():
    df = _frame()
    first = analyze(df, "y", self_check=True, progress=False)
    assert analyze(df, "y", self_check=True, progress=False) is first
    assert analyze(df, "y", progress=False).self_check is None
