"""dw.combine and analyze(unlabeled=): the pool joins the labelled rows, checked first."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import dcml_widgets as dw


def frames():
    df = pd.DataFrame(
        {"x": [0.1, 0.2, 0.3], "kind": pd.Categorical(["a", "b", "a"]), "y": [0, 1, 0]},
        index=pd.Index([10, 11, 12], name="row"),
    )
    df.attrs["note"] = "kept"
    pool = pd.DataFrame({"x": [0.4, 0.5], "kind": ["c", "a"]}, index=[20, 21])
    return df, pool


def test_pool_rows_follow_the_labelled_ones_with_missing_nullable_labels():
    df, pool = frames()
    out = dw.combine(df, pool, label="y")
    assert list(out.index) == [10, 11, 12, 20, 21] and out.index.name == "row"
    assert list(out.columns) == ["x", "kind", "y"]
    assert str(out["y"].dtype) == "Int64"
    assert out["y"].tolist()[:3] == [0, 1, 0] and out["y"].iloc[3:].isna().all()
    assert out["x"].tolist() == [0.1, 0.2, 0.3, 0.4, 0.5]
    # A categorical column stays one, with the pool's new value among its categories.
    assert isinstance(out["kind"].dtype, pd.CategoricalDtype)
    assert out["kind"].tolist() == ["a", "b", "a", "c", "a"]
    assert out.attrs == {"note": "kept"}
    assert "y" not in pool.columns and len(df) == 3  # inputs untouched


@pytest.mark.parametrize(
    ("labels", "dtype"),
    [([True, False, True], "boolean"), (["p", "q", "p"], None), ([0.0, 1.0, 0.0], "float64")],
)
def test_label_dtypes_become_nullable(labels, dtype):
    df, pool = frames()
    out = dw.combine(df.assign(y=labels), pool.assign(y=None), label="y")
    assert out["y"].iloc[:3].tolist() == labels and out["y"].iloc[3:].isna().all()
    if dtype is not None:
        assert str(out["y"].dtype) == dtype


def test_refusals_say_what_is_wrong():
    df, pool = frames()
    with pytest.raises(ValueError, match="unique across"):
        dw.combine(df, pool.set_axis([12, 30]), label="y")
    with pytest.raises(ValueError, match="holds 1 label"):
        dw.combine(df, pool.assign(y=[1, None]), label="y")
    with pytest.raises(KeyError, match="kind"):
        dw.combine(df, pool.drop(columns="kind"), label="y")
    with pytest.raises(ValueError, match="extra"):
        dw.combine(df, pool.assign(extra=1), label="y")
    with pytest.raises(ValueError, match="mix int and str"):
        dw.combine(df, pool.set_axis(["a", "b"]), label="y")
    with pytest.raises(KeyError, match="nope"):
        dw.combine(df, pool, label="nope")
    with pytest.raises(TypeError):
        dw.combine(df, pool.to_numpy(), label="y")


def test_id_column_ids_must_be_unique_across_and_the_index_is_fresh():
    df, pool = frames()
    df = df.reset_index()
    pool = pool.reset_index(names="row")
    out = dw.combine(df, pool, label="y", id_column="row")
    assert out["row"].tolist() == [10, 11, 12, 20, 21]
    assert out.index.equals(pd.RangeIndex(5))
    with pytest.raises(ValueError, match="unique across"):
        dw.combine(df, pool.assign(row=[10, 40]), label="y", id_column="row")


def test_analyze_with_unlabeled_is_analyze_of_the_combined_frame():
    rng = np.random.default_rng(0)
    df = pd.DataFrame({"a": rng.normal(size=120), "b": rng.normal(size=120)})
    df["y"] = np.where(df["a"] > 0, "pos", "neg")
    pool = pd.DataFrame({"a": rng.normal(size=40), "b": rng.normal(size=40)}, index=range(200, 240))
    via_option = dw.analyze(df, "y", unlabeled=pool, progress=False)
    by_hand = dw.analyze(dw.combine(df, pool, label="y"), "y", progress=False)
    assert via_option is by_hand  # the same analysis: one cache entry
    assert list(via_option.ids) == [*range(120), *range(200, 240)]
    assert via_option.pool_mask.tolist() == [False] * 120 + [True] * 40
    assert (via_option.folds[120:] == -1).all() and (via_option.folds[:120] >= 0).all()
    assert not via_option.issues["is_label_issue"].iloc[120:].any()
    with pytest.raises(KeyError, match="lacks column"):
        dw.analyze(df, "y", unlabeled=pool[["a"]], progress=False)
