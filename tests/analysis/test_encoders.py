"""The shared encoder contract: every column encoder is a ColumnEncoder and keeps its promises."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import numpy as np
import pandas as pd
import pytest

from dcml_widgets.analysis import features
from dcml_widgets.analysis.features.base import ColumnEncoder
from dcml_widgets.analysis.features.categorical import CategoricalEncoder, OrdinalEncoder
from dcml_widgets.analysis.features.dates import DatetimeEncoder
from dcml_widgets.analysis.features.image import ImageEncoder
from dcml_widgets.analysis.features.numeric import BooleanEncoder, NumericEncoder
from dcml_widgets.analysis.features.text import TextEncoder

N = 40
_rng = np.random.default_rng(0)
_WORDS = ["red", "green", "blue", "fast", "slow", "big", "small", "old", "new", "odd"]
_DAYS = pd.Timestamp("2021-01-01") + pd.to_timedelta(_rng.integers(0, 500, N), unit="D")


def _gaps(values: list, every: int = 7) -> list:
    return [None if i % every == 3 else v for i, v in enumerate(values)]


# (encoder factory, training column, new column with missing and unseen values, which rows
# of the new column are missing -- worked out by hand, or None when missing is a level).
CASES = {
    "numeric": (
        NumericEncoder,
        _gaps(list(_rng.normal(size=N))),
        [np.nan, 1e300, -np.inf, 2.0],
        [1, 0, 1, 0],
    ),
    "numeric_text": (
        lambda: NumericEncoder(from_text=True),
        _gaps([f"{v:.2f}" for v in _rng.normal(size=N)]),
        ["n/a", None, "1.5", "-3"],
        [1, 1, 0, 0],
    ),
    "boolean": (
        lambda: BooleanEncoder("yes", "no"),
        _gaps(list(_rng.choice(["yes", "no"], N))),
        ["maybe", None, "yes", "no"],
        [0, 1, 0, 0],
    ),
    "boolean_one_level": (
        lambda: BooleanEncoder(1.0, None, numeric=True),
        _gaps([1.0] * N),
        [np.nan, 1.0, 0.0, 1.0],
        None,
    ),
    "categorical": (
        lambda: CategoricalEncoder(min_count=2),
        _gaps([*_rng.choice(list("abcd"), N - 1), "rare"]),
        ["never-seen", None, "a", "rare"],
        [0, 1, 0, 0],
    ),
    "ordinal": (
        lambda: OrdinalEncoder(["S", "M", "L"]),
        _gaps(list(_rng.choice(["S", "M", "L"], N))),
        ["XXL", None, "S", "L"],
        [1, 1, 0, 0],
    ),
    "datetime": (
        DatetimeEncoder,
        _gaps(list(_DAYS)),
        [pd.NaT, pd.Timestamp("1990-05-05"), pd.Timestamp("2021-03-01"), pd.NaT],
        [1, 0, 0, 1],
    ),
    "datetime_text": (
        lambda: DatetimeEncoder("%Y-%m-%d", from_text=True),
        _gaps([d.strftime("%Y-%m-%d") for d in _DAYS]),
        ["garbage", None, "2030-12-31", "2021-02-02"],
        [1, 1, 0, 0],
    ),
    "text": (
        TextEncoder,
        _gaps([" ".join(_rng.choice(_WORDS, 5)) for _ in range(N)]),
        ["words never seen", None, "red fast", ""],
        [0, 1, 0, 0],
    ),
    "image": (
        ImageEncoder,
        _gaps([_rng.random((4, 4)) for _ in range(N)]),
        [None, _rng.random((4, 4)), np.zeros((4, 4)), None],
        [1, 0, 0, 1],
    ),
}


def _series(values: list) -> pd.Series:
    if all(isinstance(v, pd.Timestamp) or v is None or v is pd.NaT for v in values):
        return pd.Series(pd.to_datetime(values))
    return pd.Series(values, dtype=object if not isinstance(values[0], float) else None)


def test_every_encoder_class_in_the_package_is_a_column_encoder_with_a_case_here():
    found = set()
    for info in pkgutil.iter_modules(features.__path__):
        module = importlib.import_module(f"{features.__name__}.{info.name}")
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__name__.endswith("Encoder") and cls.__module__ == module.__name__:
                found.add(cls)
    found.discard(features.FeatureEncoder)  # the whole-frame encoder, not a column encoder
    concrete = {cls for cls in found if not inspect.isabstract(cls)}
    assert concrete, "no column encoder found"
    assert all(issubclass(cls, ColumnEncoder) for cls in found)
    covered = {type(factory()) for factory, *_ in CASES.values()}
    assert concrete == covered


@pytest.mark.parametrize("case", sorted(CASES))
def test_encoder_gives_width_finite_float32_columns_and_a_true_missing_indicator(case):
    factory, train, new, new_missing = CASES[case]
    train, new = _series(train), _series(new)
    encoder = factory().fit(train)
    assert encoder.role in case
    out = encoder.transform(new)
    assert out.dtype == np.float32 and out.shape == (len(new), encoder.width)
    assert np.isfinite(out).all()
    assert encoder.n_missing == train.isna().sum()
    if new_missing is None:  # one value plus missing: missing is the 0 level, no indicator
        assert not encoder.indicator and encoder.width == 1
        np.testing.assert_array_equal(out[:, 0], (new == 1.0).to_numpy(dtype=np.float32))
        assert "0 = missing" in encoder.describe()
    else:
        assert encoder.indicator
        np.testing.assert_array_equal(out[:, -1], np.asarray(new_missing, dtype=np.float32))
        assert f"{encoder.n_missing} missing" in encoder.describe()
    # fit_transform (which may reuse fitting's own pass) encodes like fit, then transform.
    block = factory().fit_transform(train)
    np.testing.assert_allclose(block, encoder.transform(train), atol=1e-5)
    assert block.dtype == np.float32 and block.shape == (len(train), encoder.width)
