"""build_features: every column role, messy frames, the fitted encoder, and bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dcml_widgets.analysis.features import GIVEN_ARRAY, build_features

N = 300


def _roles(fm) -> dict:
    return dict(zip(fm.plan["column"], fm.plan["role"], strict=True))


@pytest.fixture(scope="module")
def messy():
    rng = np.random.default_rng(0)
    y = rng.choice(["cat", "dog", "bird"], N)
    words = ["good", "bad", "fast", "slow", "cheap", "pricey", "loud", "quiet", "red", "blue"]
    df = pd.DataFrame(
        {
            "y": y,
            "num": rng.normal(size=N),
            "num_nan": np.where(rng.random(N) < 0.2, np.nan, rng.normal(size=N)),
            "heavy": rng.lognormal(0, 3, N),
            "with_inf": np.where(rng.random(N) < 0.05, np.inf, rng.normal(size=N)),
            "row_number": np.arange(N) + 1000,
            "customer_id": rng.permutation(10**6)[:N],
            "code": [f"u{i:05d}x" for i in rng.permutation(N)],
            "const": 7,
            "empty": np.nan,
            "flag": rng.random(N) < 0.5,
            "flag_na": pd.array(
                np.where(rng.random(N) < 0.1, None, rng.random(N) < 0.5), dtype="boolean"
            ),
            "yesno": rng.choice(["yes", "no"], N),
            "only_yes": np.where(rng.random(N) < 0.5, "yes", None),
            "colour": rng.choice(list("abcdefg"), N),
            "city": np.where(
                rng.random(N) < 0.05, [f"rare{i}" for i in range(N)], rng.choice(list("xyz"), N)
            ),
            "size": pd.Categorical(
                rng.choice(["S", "M", "L", "XL"], N), categories=["S", "M", "L", "XL"], ordered=True
            ),
            "when": pd.Timestamp("2020-01-01")
            + pd.to_timedelta(rng.integers(0, 1000, N), unit="D"),
            "when_text": (
                pd.Timestamp("2021-06-01") + pd.to_timedelta(rng.integers(0, 900, N), unit="D")
            ).strftime("%Y-%m-%d"),
            "numbers_as_text": [
                str(v) if rng.random() > 0.03 else "n/a" for v in rng.normal(size=N)
            ],
            "review": [" ".join(rng.choice(words, 7)) for _ in range(N)],
            "species": pd.Series(y).map({"cat": "C", "dog": "D", "bird": "B"}),
            "mixed": [1, "a", 2.5, None] * (N // 4),
            "lists": [[1, 2]] * N,
            "picture": [rng.random((8, 8)) for _ in range(N)],
        }
    )
    return df


@pytest.fixture(scope="module")
def messy_features(messy):
    return build_features(messy, "y")


EXPECTED_ROLES = {
    "num": "numeric",
    "num_nan": "numeric",
    "heavy": "numeric",
    "with_inf": "numeric",
    "row_number": "id",
    "customer_id": "id",
    "code": "id",
    "const": "constant",
    "empty": "all_missing",
    "flag": "boolean",
    "flag_na": "boolean",
    "yesno": "boolean",
    "only_yes": "boolean",
    "colour": "categorical",
    "city": "categorical",
    "size": "ordinal",
    "when": "datetime",
    "when_text": "datetime",
    "numbers_as_text": "numeric",
    "review": "text",
    "species": "leak",
    "mixed": "categorical",
    "lists": "unsupported",
    "picture": "image",
}


@pytest.mark.parametrize("column", sorted(EXPECTED_ROLES))
def test_each_column_gets_its_role(messy_features, column):
    assert _roles(messy_features)[column] == EXPECTED_ROLES[column]


def test_plan_has_one_row_per_input_column_and_says_why(messy, messy_features):
    plan = messy_features.plan
    assert list(plan.columns) == ["column", "role", "detail"]
    assert list(plan["column"]) == [c for c in messy.columns if c != "y"]
    assert plan["detail"].str.len().gt(0).all()
    dropped = plan[plan["role"].isin(["id", "constant", "all_missing", "leak", "unsupported"])]
    assert dropped["detail"].str.contains("dropped").all()
    assert "label" in plan.set_index("column").loc["species", "detail"]


def test_matrix_is_finite_float32_with_expected_width(messy, messy_features):
    x = messy_features.matrix
    assert x.dtype == np.float32 and x.shape[0] == N and np.isfinite(x).all()
    # Widths that follow from the data by hand: colour 7 levels (no missing) -> 7 columns;
    # num -> 1; num_nan -> value + missing indicator; size -> 1 (no missing).
    details = messy_features.plan.set_index("column")["detail"]
    assert details["colour"].endswith("-> 7 dims")
    assert details["num"].endswith("-> 1 dims")
    assert details["num_nan"].endswith("-> 2 dims")
    assert details["size"].endswith("-> 1 dims")
    widths = details.str.extract(r"-> (\d+) dims$")[0].dropna().astype(int)
    assert widths.sum() == x.shape[1]


def test_numeric_is_scaled_and_missing_gets_indicator(messy, messy_features):
    x = messy_features.encoder.transform(messy)
    enc = messy_features.encoder
    start = 0
    blocks = {}
    for column, encoder in zip(enc.columns, enc.encoders, strict=True):
        blocks[column] = x[:, start : start + encoder.width]
        start += encoder.width
    num = blocks["num"][:, 0]
    assert abs(num.mean()) < 1e-5 and abs(num.std() - 1) < 1e-4
    indicator = blocks["num_nan"][:, 1]
    np.testing.assert_array_equal(indicator, messy["num_nan"].isna().to_numpy(dtype=np.float32))
    np.testing.assert_array_equal(blocks["flag"][:, 0], messy["flag"].to_numpy(dtype=np.float32))
    ranks = blocks["size"][:, 0]
    order = messy["size"].cat.codes.to_numpy()
    assert np.all(np.diff(ranks[np.argsort(order, kind="stable")]) >= -1e-6)


def test_encoder_reproduces_matrix_and_handles_unseen_values(messy, messy_features):
    again = messy_features.encoder.transform(messy)
    np.testing.assert_allclose(again, messy_features.matrix, atol=1e-5)
    new = messy.head(5).copy()
    new["colour"] = ["never-seen", None, "a", "b", "zzz"]
    new["num"] = [np.nan, 1e300, -np.inf, 0.0, 1.0]
    new["when_text"] = ["garbage", "2022-01-01", None, "2021-07-01", "2021-08-01"]
    out = messy_features.encoder.transform(new.drop(columns=["y", "species", "row_number"]))
    assert out.shape == (5, messy_features.matrix.shape[1])
    assert np.isfinite(out).all()


def test_encoder_names_missing_columns(messy_features, messy):
    with pytest.raises(KeyError, match="num_nan"):
        messy_features.encoder.transform(messy.drop(columns=["num_nan"]))


def test_features_list_uses_only_those_columns(messy):
    fm = build_features(messy, "y", ["num", "colour"])
    assert list(fm.plan["column"]) == ["num", "colour"]
    assert fm.matrix.shape == (N, 1 + 7)


def test_exclude_keeps_annotator_columns_out(messy):
    fm = build_features(messy, "y", exclude=["num", "colour"])
    assert "num" not in set(fm.plan["column"]) and "colour" not in set(fm.plan["column"])


def test_given_array_is_the_matrix():
    df = pd.DataFrame({"y": [0, 1] * 10, "a": range(20)})
    vectors = np.arange(60, dtype=np.float64).reshape(20, 3)
    fm = build_features(df, "y", vectors)
    np.testing.assert_array_equal(fm.matrix, vectors.astype(np.float32))
    assert fm.plan.to_dict("records") == [
        {"column": GIVEN_ARRAY, "role": "given", "detail": "3 dims, used as given"}
    ]
    with pytest.raises(ValueError, match="array"):
        fm.encoder.transform(df)


@pytest.mark.parametrize(
    ("features", "error", "match"),
    [
        (np.zeros((5, 2)), ValueError, "shape"),
        (np.full((20, 2), np.nan), ValueError, "NaN"),
        (np.array([["a", "b"]] * 20), TypeError, "real numbers"),
        (["nope"], KeyError, "nope"),
        (["y"], ValueError, "label"),
    ],
)
def test_bad_features_are_refused(features, error, match):
    df = pd.DataFrame({"y": [0, 1] * 10, "a": np.arange(20.0)})
    with pytest.raises(error, match=match):
        build_features(df, "y", features)


def test_missing_label_column_is_a_key_error():
    with pytest.raises(KeyError, match="label"):
        build_features(pd.DataFrame({"a": [1, 2]}), "label")


def test_nothing_usable_left_says_what_to_do():
    df = pd.DataFrame({"y": [0, 1] * 20, "id": range(40), "c": 1})
    with pytest.raises(ValueError, match="features="):
        build_features(df, "y")


def test_leak_tolerates_a_few_disagreements_but_not_a_real_feature():
    rng = np.random.default_rng(1)
    y = rng.integers(0, 3, 1000)
    copy = y.copy()
    copy[:10] = (copy[:10] + 1) % 3  # 99% agreement: still the label under another name
    weak = np.where(rng.random(1000) < 0.8, y, rng.integers(0, 3, 1000))  # a strong feature
    df = pd.DataFrame({"y": y, "copy": [f"k{v}" for v in copy], "weak": [f"w{v}" for v in weak]})
    roles = _roles(build_features(df, "y"))
    assert roles == {"copy": "leak", "weak": "categorical"}
    # One extra single-member class (e.g. a relabel) does not hide the leak.
    df.loc[0, "y"] = 99
    assert _roles(build_features(df, "y"))["copy"] == "leak"


def test_hundreds_of_columns_and_tiny_classes():
    rng = np.random.default_rng(2)
    n = 200
    data = {f"n{i}": rng.normal(size=n) for i in range(250)}
    data.update({f"c{i}": rng.choice([f"v{j}" for j in range(40)], n) for i in range(100)})
    data["y"] = ["big"] * (n - 2) + ["tiny1", "tiny2"]
    df = pd.DataFrame(data)
    fm = build_features(df, "y")
    assert len(fm.plan) == 350
    assert np.isfinite(fm.matrix).all()
    # The one-hot budget keeps hundreds of categorical columns affordable.
    assert fm.matrix.shape[1] <= 250 + 100 * 31


def test_pandas_nullable_and_timezone_dtypes():
    n = 60
    df = pd.DataFrame(
        {
            "y": ["a", "b", "c"] * (n // 3),
            "ints": pd.array([1, None, 3, 4, 5, 6] * (n // 6), dtype="Int64"),
            "floats": pd.array([0.5, None, 2.5, 7.25] * (n // 4), dtype="Float64"),
            "text": pd.array(["x", "y", None, "z"] * (n // 4), dtype="string"),
            "tz": pd.date_range("2024-01-01", periods=n, freq="h", tz="Europe/Berlin"),
            "span": pd.to_timedelta(np.arange(n) % 7, unit="D"),
        }
    )
    fm = build_features(df, "y")
    roles = _roles(fm)
    assert roles == {
        "ints": "numeric",
        "floats": "numeric",
        "text": "categorical",
        "tz": "datetime",
        "span": "numeric",
    }
    assert np.isfinite(fm.matrix).all()


COLUMN_KINDS = ("float", "int", "bool", "category", "text_numbers", "dates", "words", "empty")


def _column(kind: str, rng: np.random.Generator, n: int, missing: float) -> pd.Series:
    gaps = rng.random(n) < missing
    if kind == "float":
        values = pd.Series(rng.normal(size=n) * 10.0 ** rng.integers(-3, 6))
    elif kind == "int":
        values = pd.Series(rng.integers(-5, 50, n)).astype("Int64")
    elif kind == "bool":
        values = pd.Series(rng.random(n) < 0.5, dtype="boolean")
    elif kind == "category":
        values = pd.Series(rng.choice(["a", "b", "c", "d"], n), dtype=object)
    elif kind == "text_numbers":
        values = pd.Series([f"{v:.2f}" for v in rng.normal(size=n)], dtype=object)
    elif kind == "dates":
        days = rng.integers(0, 400, n)
        values = pd.Series(pd.Timestamp("2022-01-01") + pd.to_timedelta(days, unit="D"))
    elif kind == "words":
        values = pd.Series([" ".join(rng.choice(list("pqrstuvw"), 4)) for _ in range(n)])
    else:
        values = pd.Series([None] * n, dtype=object)
    return values.mask(gaps)


@settings(max_examples=25, deadline=None)
@given(
    kinds=st.lists(st.sampled_from(COLUMN_KINDS), min_size=1, max_size=6),
    n=st.integers(min_value=8, max_value=80),
    missing=st.sampled_from([0.0, 0.1, 0.5]),
    seed=st.integers(0, 10_000),
)
def test_any_mix_of_columns_gives_a_finite_reproducible_matrix(kinds, n, missing, seed):
    rng = np.random.default_rng(seed)
    df = pd.DataFrame(
        {f"{kind}_{i}": _column(kind, rng, n, missing) for i, kind in enumerate(kinds)}
    )
    df["y"] = rng.choice(["u", "v"], n)
    try:
        fm = build_features(df, "y")
    except ValueError as exc:  # every column dropped: the error must say what to do
        assert "features=" in str(exc)
        return
    assert len(fm.plan) == len(kinds)
    assert fm.matrix.shape[0] == n and np.isfinite(fm.matrix).all()
    np.testing.assert_allclose(fm.encoder.transform(df), fm.matrix, atol=1e-4)


def test_pure_noise_text_column_does_not_swamp_informative_numbers():
    # The dashboard author's case: a free-text note with a random sheet number carries no
    # label information; it must not cost the classifier accuracy on the digits demo.
    from dcml_widgets.analysis.predict import out_of_sample
    from dcml_widgets.datasets import demo

    df = demo(600, noise=0.0, seed=1)
    rng = np.random.default_rng(3)
    sheets = rng.integers(1, 40, len(df))
    noisy = df.assign(note=[f"{n}, sheet {s}" for n, s in zip(df["note"], sheets, strict=True)])
    assert _roles(build_features(noisy, "digit"))["note"] == "text"
    classes = np.unique(df["digit"])

    def accuracy(frame: pd.DataFrame) -> float:
        fm = build_features(frame, "digit")
        probs = out_of_sample(fm.matrix, frame["digit"], classes).pred_probs
        return float((classes[probs.argmax(axis=1)] == frame["digit"].to_numpy()).mean())

    without_text = accuracy(df.drop(columns=["note"]))
    assert without_text > 0.9
    assert accuracy(noisy) >= without_text - 0.02
