"""dw.datasets.demo() and demo_pool(): small digits frames whose planted problems are known."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_digits

import dcml_widgets as dw


def test_demo_has_the_documented_shape_and_columns():
    df = dw.datasets.demo()
    assert df.shape == (800, 68)
    assert list(df.columns[:64]) == [f"pixel_{i}" for i in range(64)]
    assert list(df.columns[64:]) == ["writer", "note", "scanner", "digit"]
    assert list(df["scanner"].cat.categories) == ["S1", "S2", "S3", "S4"]
    assert len(df.attrs["flipped"]) == 64
    assert df.index.equals(pd.RangeIndex(800, name="row"))
    assert set(df["digit"].unique()) == set(range(10))
    assert df["note"].map(type).eq(str).all()


def test_flipped_rows_are_exactly_the_rows_whose_label_differs_from_the_truth():
    df, flipped = dw.datasets.demo(n_rows=500, noise=0.1, seed=3, return_flipped=True)
    truth = np.asarray(df.attrs["true_label"])
    differs = df.index[df["digit"].to_numpy() != truth]
    assert list(flipped) == list(differs) == df.attrs["flipped"]
    assert len(flipped) == 50


def test_pixels_and_true_labels_come_from_sklearn_digits_but_for_what_was_planted():
    df = dw.datasets.demo(n_rows=200, seed=1)
    digits = load_digits()
    lookup = {
        tuple(row): int(t) for row, t in zip(digits.data.astype(int), digits.target, strict=True)
    }
    pixels = df[[f"pixel_{i}" for i in range(64)]].to_numpy()
    weak = set(df.attrs["weak_slice"]["rows"])
    copies = {copy: kept for kept, copy in df.attrs["conflicting_pairs"]}
    plain = [r for r in range(200) if r not in weak and r not in copies]
    assert len(plain) > 100
    assert [lookup[tuple(pixels[r])] for r in plain] == [df.attrs["true_label"][r] for r in plain]
    # The weak scanner's rows are exactly its rows, and they are noisy: most are no digit.
    assert weak == set(np.flatnonzero(df["scanner"] == "S4"))
    noisy = [r for r in weak if r not in copies and tuple(pixels[r]) not in lookup]
    assert len(noisy) >= 0.9 * len(weak - set(copies))
    assert pixels.min() >= 0 and pixels.max() <= 16


def test_planted_pairs_are_near_copies_of_a_correct_row_with_a_wrong_label():
    df = dw.datasets.demo()
    truth = np.asarray(df.attrs["true_label"])
    pairs = df.attrs["conflicting_pairs"]
    assert len(pairs) == 6
    pixels = df[[f"pixel_{i}" for i in range(64)]].to_numpy()
    for kept, copy in pairs:
        assert copy in df.attrs["flipped"] and kept not in df.attrs["flipped"]
        assert truth[kept] == truth[copy] == df.loc[kept, "digit"] != df.loc[copy, "digit"]
        difference = pixels[kept] - pixels[copy]
        assert np.count_nonzero(difference) == 1 and difference.sum() == 1
        for column in ("writer", "note", "scanner"):
            assert df.loc[kept, column] == df.loc[copy, column]


def test_demo_is_deterministic_and_seed_dependent():
    a = dw.datasets.demo(n_rows=300, seed=5)
    b = dw.datasets.demo(n_rows=300, seed=5)
    c = dw.datasets.demo(n_rows=300, seed=6)
    pd.testing.assert_frame_equal(a, b)
    assert a.attrs["flipped"] == b.attrs["flipped"] != c.attrs["flipped"]


def test_no_noise_means_no_flips_and_every_class_present_when_small():
    df = dw.datasets.demo(n_rows=40, noise=0.0)
    assert df.attrs["flipped"] == []
    assert df["digit"].tolist() == df.attrs["true_label"]
    assert df["digit"].nunique() == 10


@pytest.mark.parametrize("kwargs", [{"n_rows": 5}, {"n_rows": 5000}, {"noise": 0.9}])
def test_bad_arguments_are_refused(kwargs):
    with pytest.raises(ValueError):
        dw.datasets.demo(**kwargs)


def test_annotator_columns_are_right_as_often_as_documented():
    df = dw.datasets.demo(n_rows=1500, n_annotators=3, seed=4)
    truth = np.asarray(df.attrs["true_label"])
    plain = dw.datasets.demo(n_rows=1500, seed=4)
    pd.testing.assert_frame_equal(
        df.drop(columns=["annotator_1", "annotator_2", "annotator_3"]), plain
    )
    for i, accuracy in [(1, 0.95), (2, 0.85), (3, 0.75)]:
        said = df[f"annotator_{i}"]
        assert said.notna().mean() == pytest.approx(0.7, abs=0.05)
        given = said.dropna()
        right = (given.to_numpy(dtype=int) == truth[given.index]).mean()
        assert right == pytest.approx(accuracy, abs=0.04)


def test_demo_pool_is_new_digits_with_a_sideways_scanner_and_planted_values():
    df = dw.datasets.demo()
    pool = dw.datasets.demo_pool()
    assert pool.shape == (300, 67) and "digit" not in pool.columns
    assert list(pool.columns) == [c for c in df.columns if c != "digit"]
    assert pool.index.equals(pd.RangeIndex(100_000, 100_300, name="row"))
    pd.testing.assert_frame_equal(pool, dw.datasets.demo_pool())
    sideways = pool.attrs["sideways"]["rows"]
    assert len(sideways) == 60
    assert set(pool.index[pool["scanner"] == "S5"]) == set(sideways)
    assert "S5" not in set(df["scanner"])
    # Ordinary pool rows are digits demo() did not draw; sideways ones are rotated digits.
    digits = load_digits()
    source = {tuple(r): i for i, r in enumerate(digits.data.astype(int))}
    pixels = pool[[f"pixel_{i}" for i in range(64)]]
    planted_rows = {p["id"] for p in pool.attrs["planted_invalid"]}
    demo_rows = {tuple(r) for r in df[pixels.columns].to_numpy()}
    ordinary = pool.index[(pool["scanner"] != "S4") & ~pool.index.isin([*sideways, *planted_rows])]
    for row in ordinary:
        values = tuple(pixels.loc[row].astype(int))
        assert values in source and values not in demo_rows
        assert digits.target[source[values]] == pool.attrs["true_label"][row - 100_000]
    turned = np.rot90(pixels.loc[sideways].to_numpy().reshape(-1, 8, 8), k=-1, axes=(1, 2))
    assert all(tuple(r) in source for r in turned.reshape(-1, 64).astype(int))
    # Each planted value is where attrs says, and only there.
    planted = pool.attrs["planted_invalid"]
    assert {p["rule"] for p in planted} == {
        "less_than_or_equal_to",
        "greater_than_or_equal_to",
        "isin",
        "not_nullable",
    }
    for p in planted:
        value = pool.loc[p["id"], p["column"]]
        assert (pd.isna(value) and p["value"] is None) or value == p["value"]
    assert pixels.isna().sum().sum() == 1 and (pool["writer"] == "w99").sum() == 2


def test_demo_test_is_new_correctly_labelled_digits_from_the_training_scanners():
    df, test = dw.datasets.demo(), dw.datasets.demo_test()
    pool = dw.datasets.demo_pool(400)
    assert list(test.columns) == list(df.columns)
    assert set(test.index) <= set(pool.index) and test.index.min() >= 100_000
    assert set(test["scanner"]) <= {"S1", "S2", "S3", "S4"}
    assert not set(test.index) & {cell["id"] for cell in pool.attrs["planted_invalid"]}
    pixels = [f"pixel_{i}" for i in range(64)]
    assert (test[pixels].dtypes == np.int64).all()
    assert test[pixels].to_numpy().min() >= 0 and test[pixels].to_numpy().max() <= 16
    # Undegraded scanners' rows are scikit-learn digits, labelled with their true digit, and
    # none is a row demo() trains on.
    digits = load_digits()
    truth = {
        tuple(img.astype(int)): int(t) for img, t in zip(digits.data, digits.target, strict=True)
    }
    clean = test[test["scanner"] != "S4"]
    assert len(clean) > 150
    assert [truth[tuple(r)] for r in clean[pixels].to_numpy()] == clean["digit"].tolist()
    trained = {tuple(r) for r in df.loc[df["scanner"] != "S4", pixels].to_numpy()}
    assert not any(tuple(r) in trained for r in clean[pixels].to_numpy())
    pd.testing.assert_frame_equal(test, dw.datasets.demo_test())


@pytest.mark.parametrize("kwargs", [{"n_rows": 5}, {"n_rows": 1000}, {"train_rows": 1790}])
def test_demo_pool_refuses_sizes_it_cannot_draw(kwargs):
    with pytest.raises(ValueError):
        dw.datasets.demo_pool(**kwargs)


def test_the_demo_lessons_are_found_by_the_audit():
    df = dw.datasets.demo()
    report = dw.analyze(df, "digit", unlabeled=dw.datasets.demo_pool(), progress=False)
    truth = np.asarray(df.attrs["true_label"])
    predicted = report.predicted.loc[df.index].to_numpy().astype(int)
    weak = np.isin(df.index, df.attrs["weak_slice"]["rows"])
    # The noisy scanner is the slice the model does worse on (against the true digits).
    right = predicted == truth
    assert right[weak].mean() < right[~weak].mean() - 0.08
    near = report.issues["is_near_duplicate_issue"]
    assert all(near[kept] and near[copy] for kept, copy in df.attrs["conflicting_pairs"])
    assert all(df.loc[k, "digit"] != df.loc[c, "digit"] for k, c in df.attrs["conflicting_pairs"])
    # Each planted pair is one conflict group of its own, and nothing else conflicts.
    groups = report.issues["conflict_group"]
    pairs = df.attrs["conflicting_pairs"]
    assert all(groups[k] == groups[c] >= 0 for k, c in pairs)
    assert len({groups[k] for k, _ in pairs}) == len(pairs)
    flagged = report.issues.index[report.issues["is_conflicting_label_issue"]]
    assert sorted(flagged) == sorted(r for pair in pairs for r in pair)
    # The noisy scanner is the worst slice, and a significant one.
    worst = report.slices.iloc[0]
    assert (worst["column"], worst["value"], worst["significant"]) == ("scanner", "S4", True)
    assert set(report.slice_ids(0)) == set(df.attrs["weak_slice"]["rows"])
    pool = report.issues.index[report.pool_mask]
    assert len(pool) == 300 and len(report.gaps) == 1
    members = report.issues.index[report.issues["gap"] == 0]
    assert set(members) <= set(dw.datasets.demo_pool().attrs["sideways"]["rows"])
