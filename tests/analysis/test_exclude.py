"""analyze(exclude=): analysed, never trained on or label-checked, never pool."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression

import dcml_widgets as dw
from tests.factories import blobs_frame

QUIET = {"progress": False, "model": LogisticRegression(max_iter=500)}


@pytest.fixture(scope="module")
def frame():
    df, flipped = blobs_frame(n=200, n_classes=3, n_flipped=12, seed=4)
    return df, list(flipped)


def test_excluded_rows_are_analysed_but_not_trained_on_or_label_checked(frame):
    df, flipped = frame
    out = flipped[:6]
    report = dw.analyze(df, "y", exclude=out, **QUIET)
    positions = report.ids.get_indexer(out)
    assert report.excluded_mask[positions].all() and report.excluded_mask.sum() == 6
    assert (report.folds[positions] == -1).all()
    assert not report.issues.loc[out, "is_label_issue"].any()
    assert report.issues.loc[out, "label_score"].isna().all()
    assert report.given.loc[out].tolist() == df.loc[out, "y"].tolist()  # labels kept
    assert report.issues.loc[out, "given_label"].tolist() == df.loc[out, "y"].tolist()
    assert not report.pool_mask.any()  # excluded rows are never pool
    assert report.metrics["support"].sum() == len(df) - 6
    assert any("6 excluded rows" in note for note in report.notes)
    # Never trained on: the model sees exactly what it sees with those labels removed.
    blanked = df.assign(y=df["y"].astype(object).where(~df.index.isin(out), None))
    by_hand = dw.analyze(blanked, "y", **QUIET)
    np.testing.assert_allclose(report.pred_probs, by_hand.pred_probs, atol=1e-12)
    assert by_hand.pool_mask.sum() == 6  # the blanked rows look like pool rows there


def test_exclude_is_part_of_the_cache_key_and_order_does_not_matter(frame):
    df, flipped = frame
    a = dw.analyze(df, "y", exclude=[flipped[1], flipped[0]], **QUIET)
    b = dw.analyze(df, "y", exclude=flipped[:2], **QUIET)
    c = dw.analyze(df, "y", **QUIET)
    assert a is b and a is not c


def test_unknown_excluded_ids_are_refused(frame):
    df, _ = frame
    with pytest.raises(KeyError, match="9999"):
        dw.analyze(df, "y", exclude=[0, 9999], **QUIET)


def test_excluding_a_whole_class_leaves_it_out_of_the_classes(frame):
    df, _ = frame
    rows = df.index[df["y"] == df["y"].iloc[0]].tolist()
    report = dw.analyze(df, "y", exclude=rows, **QUIET)
    assert df["y"].iloc[0] not in list(report.classes)
    assert report.given.loc[rows].notna().all()
    with pytest.raises(ValueError, match="single class"):
        keep = df.index[df["y"] == df["y"].iloc[0]]
        dw.analyze(df, "y", exclude=df.index.difference(keep).tolist(), **QUIET)


def test_int_labels_stay_ints_with_exclusions():
    rng = np.random.default_rng(0)
    df = pd.DataFrame({"a": rng.normal(size=90), "b": rng.normal(size=90)})
    df["y"] = (df["a"] > 0).astype(int)
    report = dw.analyze(df, "y", exclude=[0, 1], **QUIET)
    assert list(report.classes) == [0, 1]
    assert report.given.dtype == np.int64 and report.given.loc[[0, 1]].notna().all()
