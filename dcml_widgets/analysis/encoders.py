"""Column encoders: one small class per column role, each fitted once and reusable.

Every encoder turns one raw :class:`pandas.Series` into a float32 block ``(n, k)`` with only
finite values. ``fit`` learns from the training frame; ``transform`` applies exactly the same
mapping to any other frame with that column (e.g. a trusted test set), so unseen levels,
missing values and unparseable entries never crash and never shift columns.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

# Values beyond this after scaling are clipped so a single absurd entry cannot overflow
# float32 or swamp every distance.
_CLIP = 1e4


def to_float(values: pd.Series, *, from_text: bool = False) -> np.ndarray:
    """Return a column as float64 with NaN for missing, unparseable or infinite entries.

    Parameters
    ----------
    values : pandas.Series
        A numeric, boolean, timedelta or (with ``from_text``) text column.
    from_text : bool
        Parse strings as numbers (``"1.5"`` -> 1.5; anything unparseable -> NaN).

    Returns
    -------
    numpy.ndarray
        ``(n,)`` float64.
    """
    if pd.api.types.is_timedelta64_dtype(values.dtype):
        out = values.dt.total_seconds().to_numpy(dtype=np.float64, na_value=np.nan)
    elif from_text:
        out = pd.to_numeric(values, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    else:
        out = values.to_numpy(dtype=np.float64, na_value=np.nan)
    out = np.array(out, dtype=np.float64, copy=True)
    out[~np.isfinite(out)] = np.nan
    return out


def to_text(values: pd.Series) -> pd.Series:
    """Return a column as strings with missing entries kept as missing (``None``).

    Parameters
    ----------
    values : pandas.Series

    Returns
    -------
    pandas.Series
        Object series of ``str`` or ``None``.
    """
    mask = values.isna().to_numpy()
    out = values.astype(object).map(str)
    out = out.astype(object)
    out[mask] = None
    return out


def to_datetime(values: pd.Series, fmt: str | None = None) -> pd.Series:
    """Parse a column into timezone-naive UTC ``datetime64[ns]`` (unparseable -> NaT).

    Parameters
    ----------
    values : pandas.Series
        Datetime or date-like text column.
    fmt : str, optional
        ``strftime`` format of the text; ``None`` parses each entry on its own (slower).

    Returns
    -------
    pandas.Series
    """
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        parsed = values
    else:
        text = to_text(values)
        parsed = pd.to_datetime(text, errors="coerce", format=fmt or "mixed", utc=True)
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_convert("UTC").dt.tz_localize(None)
    return parsed.astype("datetime64[ns]")


class _Scaler:
    """Median imputation, optional signed-log, standardisation; shared by numeric-like roles."""

    def fit(self, x: np.ndarray, *, allow_log: bool = True) -> _Scaler:
        finite = x[~np.isnan(x)]
        self.log = False
        if allow_log and finite.size > 2:
            std = finite.std()
            if std > 0:
                skew = float(np.mean(((finite - finite.mean()) / std) ** 3))
                self.log = abs(skew) > 2.0
        y = self._shape(finite)
        self.median = float(np.median(y)) if y.size else 0.0
        self.mean = float(y.mean()) if y.size else 0.0
        std = float(y.std()) if y.size else 0.0
        self.scale = std if std > 0 else 1.0
        return self

    def _shape(self, x: np.ndarray) -> np.ndarray:
        return np.sign(x) * np.log1p(np.abs(x)) if self.log else x

    def transform(self, x: np.ndarray) -> np.ndarray:
        y = self._shape(x)
        y = np.where(np.isnan(y), self.median, y)
        return np.clip((y - self.mean) / self.scale, -_CLIP, _CLIP)


class NumericEncoder:
    """Numbers (or numbers stored as text): median-imputed, skewed ones signed-log, scaled.

    A missing-value indicator column is added when the training column had missing values.
    """

    role = "numeric"

    def __init__(self, *, from_text: bool = False) -> None:
        self.from_text = from_text

    def fit(self, values: pd.Series) -> NumericEncoder:
        """Learn imputation and scaling from a training column."""
        x = to_float(values, from_text=self.from_text)
        self.n_missing = int(np.isnan(x).sum())
        self.indicator = self.n_missing > 0
        self.scaler = _Scaler().fit(x)
        return self

    @property
    def width(self) -> int:
        """Number of output columns."""
        return 2 if self.indicator else 1

    def transform(self, values: pd.Series) -> np.ndarray:
        """Encode a column as ``(n, width)`` float32."""
        x = to_float(values, from_text=self.from_text)
        cols = [self.scaler.transform(x)]
        if self.indicator:
            cols.append(np.isnan(x).astype(np.float64))
        return np.column_stack(cols).astype(np.float32)

    def describe(self) -> str:
        """Say how the column was encoded."""
        parts = ["text parsed as numbers" if self.from_text else "numbers"]
        parts.append("signed-log, scaled" if self.scaler.log else "scaled")
        if self.indicator:
            parts.append(f"{self.n_missing} missing: median-imputed + indicator")
        return "; ".join(parts)


class BooleanEncoder:
    """Two-valued column (or one value plus missing): 1 where the value equals ``positive``."""

    role = "boolean"

    def __init__(self, positive: Any, negative: Any | None) -> None:
        self.positive = positive
        self.negative = negative

    def fit(self, values: pd.Series) -> BooleanEncoder:
        """Note whether a missing indicator is needed."""
        self.n_missing = int(values.isna().sum())
        # With one observed value, "missing" is the other level: no separate indicator.
        self.indicator = self.n_missing > 0 and self.negative is not None
        return self

    @property
    def width(self) -> int:
        """Number of output columns."""
        return 2 if self.indicator else 1

    def transform(self, values: pd.Series) -> np.ndarray:
        """Encode a column as ``(n, width)`` float32 of 0/1."""
        missing = values.isna().to_numpy()
        text = to_text(values)
        hit = (text == str(self.positive)).to_numpy(dtype=bool) & ~missing
        cols = [hit.astype(np.float32)]
        if self.indicator:
            cols.append(missing.astype(np.float32))
        return np.column_stack(cols)

    def describe(self) -> str:
        """Say how the column was encoded."""
        if self.negative is None:
            return f"1 = {self.positive!s}, 0 = missing ({self.n_missing} rows)"
        detail = f"1 = {self.positive!s}, 0 = {self.negative!s}"
        if self.indicator:
            detail += f"; {self.n_missing} missing: indicator"
        return detail


class CategoricalEncoder:
    """Unordered levels: one-hot of the frequent levels, rare and unseen ones grouped."""

    role = "categorical"

    def __init__(self, *, max_levels: int = 30, min_count: int = 5) -> None:
        self.max_levels = max_levels
        self.min_count = min_count

    def fit(self, values: pd.Series) -> CategoricalEncoder:
        """Choose the kept levels (most frequent first)."""
        text = to_text(values)
        counts = text.value_counts(dropna=True)
        kept = counts[counts >= self.min_count].index[: self.max_levels]
        if len(kept) == 0:
            kept = counts.index[: min(self.max_levels, 2)]
        self.levels = list(kept)
        self.n_levels = len(counts)
        self.n_grouped = int(len(counts) - len(self.levels))
        self.other = self.n_grouped > 0
        self.n_missing = int(text.isna().sum())
        self.indicator = self.n_missing > 0
        return self

    @property
    def width(self) -> int:
        """Number of output columns."""
        return len(self.levels) + int(self.other) + int(self.indicator)

    def transform(self, values: pd.Series) -> np.ndarray:
        """Encode a column as a ``(n, width)`` float32 one-hot block."""
        text = to_text(values)
        missing = text.isna().to_numpy()
        codes = pd.Categorical(text, categories=self.levels).codes.astype(np.int64)
        n = len(text)
        out = np.zeros((n, self.width), dtype=np.float32)
        known = codes >= 0
        out[np.flatnonzero(known), codes[known]] = 1.0
        col = len(self.levels)
        if self.other:
            out[(~known) & (~missing), col] = 1.0
            col += 1
        if self.indicator:
            out[missing, col] = 1.0
        return out

    def describe(self) -> str:
        """Say how the column was encoded."""
        detail = f"{self.n_levels} levels: one-hot of {len(self.levels)}"
        if self.other:
            detail += f", {self.n_grouped} rare levels grouped as other"
        if self.indicator:
            detail += f"; {self.n_missing} missing: indicator"
        return detail


class OrdinalEncoder:
    """Ordered categorical: the level's rank, scaled, with a missing indicator."""

    role = "ordinal"

    def __init__(self, categories: list[Any]) -> None:
        self.categories = list(categories)

    def _ranks(self, values: pd.Series) -> np.ndarray:
        cat = pd.Categorical(values, categories=self.categories, ordered=True)
        codes = cat.codes.astype(np.float64)
        codes[codes < 0] = np.nan
        return codes

    def fit(self, values: pd.Series) -> OrdinalEncoder:
        """Learn imputation and scaling of the ranks."""
        ranks = self._ranks(values)
        self.n_missing = int(np.isnan(ranks).sum())
        self.indicator = self.n_missing > 0
        self.scaler = _Scaler().fit(ranks, allow_log=False)
        return self

    @property
    def width(self) -> int:
        """Number of output columns."""
        return 2 if self.indicator else 1

    def transform(self, values: pd.Series) -> np.ndarray:
        """Encode a column as ``(n, width)`` float32."""
        ranks = self._ranks(values)
        cols = [self.scaler.transform(ranks)]
        if self.indicator:
            cols.append(np.isnan(ranks).astype(np.float64))
        return np.column_stack(cols).astype(np.float32)

    def describe(self) -> str:
        """Say how the column was encoded."""
        detail = f"{len(self.categories)} ordered levels: rank, scaled"
        if self.indicator:
            detail += f"; {self.n_missing} missing: median-imputed + indicator"
        return detail


class DatetimeEncoder:
    """Dates and times (or date-like text): numeric parts, each scaled, plus a missing flag."""

    role = "datetime"

    def __init__(self, fmt: str | None = None) -> None:
        self.fmt = fmt

    @staticmethod
    def _parts(parsed: pd.Series) -> dict[str, np.ndarray]:
        dt = parsed.dt
        days = parsed.to_numpy(dtype="datetime64[ns]").astype(np.int64) / 86_400e9
        parts = {
            "days": days,
            "year": dt.year.to_numpy(dtype=np.float64, na_value=np.nan),
            "month": dt.month.to_numpy(dtype=np.float64, na_value=np.nan),
            "day": dt.day.to_numpy(dtype=np.float64, na_value=np.nan),
            "dayofweek": dt.dayofweek.to_numpy(dtype=np.float64, na_value=np.nan),
            "hour": (dt.hour + dt.minute / 60.0).to_numpy(dtype=np.float64, na_value=np.nan),
        }
        missing = parsed.isna().to_numpy()
        for values in parts.values():
            values[missing] = np.nan
        return parts

    def fit(self, values: pd.Series) -> DatetimeEncoder:
        """Learn which parts vary and how to scale them."""
        parsed = to_datetime(values, self.fmt)
        self.n_missing = int(parsed.isna().sum())
        self.n_unparsed = int(self.n_missing - values.isna().sum())
        self.indicator = self.n_missing > 0
        self.scalers: dict[str, _Scaler] = {}
        for name, x in self._parts(parsed).items():
            finite = x[~np.isnan(x)]
            if finite.size and finite.min() != finite.max():
                self.scalers[name] = _Scaler().fit(x, allow_log=False)
        return self

    @property
    def width(self) -> int:
        """Number of output columns."""
        return max(len(self.scalers), 1) + int(self.indicator)

    def transform(self, values: pd.Series) -> np.ndarray:
        """Encode a column as ``(n, width)`` float32."""
        parsed = to_datetime(values, self.fmt)
        parts = self._parts(parsed)
        cols = [scaler.transform(parts[name]) for name, scaler in self.scalers.items()]
        if not cols:
            cols = [np.zeros(len(parsed))]
        if self.indicator:
            cols.append(parsed.isna().to_numpy().astype(np.float64))
        return np.column_stack(cols).astype(np.float32)

    def describe(self) -> str:
        """Say how the column was encoded."""
        source = "date-like text" if not self.fmt and self.fmt is not None else "dates"
        if self.fmt:
            source = f"date-like text ({self.fmt})"
        detail = f"{source}: parts {', '.join(self.scalers) or 'none vary'}, scaled"
        if self.indicator:
            detail += f"; {self.n_missing} missing"
            if self.n_unparsed > 0:
                detail += f" ({self.n_unparsed} unparseable)"
            detail += ": indicator"
        return detail


class TextEncoder:
    """Free text: TF-IDF reduced by truncated SVD to a few dozen dimensions."""

    role = "text"

    def __init__(self, *, n_components: int = 32, random_state: int = 0) -> None:
        self.n_components = n_components
        self.random_state = random_state

    def fit(self, values: pd.Series) -> TextEncoder:
        """Fit the vocabulary and the SVD basis."""
        from sklearn.decomposition import TruncatedSVD
        from sklearn.feature_extraction.text import TfidfVectorizer

        text = to_text(values)
        self.n_missing = int(text.isna().sum())
        self.indicator = self.n_missing > 0
        docs = text.fillna("").tolist()
        min_df = 2 if len(docs) >= 1000 else 1
        self.tfidf = TfidfVectorizer(
            min_df=min_df, max_features=20_000, sublinear_tf=True, dtype=np.float32
        )
        tfidf = self.tfidf.fit_transform(docs)
        vocab = tfidf.shape[1]
        k = min(self.n_components, vocab - 1, len(docs) - 1)
        self.svd = None
        if k >= 1:
            self.svd = TruncatedSVD(n_components=k, n_iter=4, random_state=self.random_state)
            reduced = self.svd.fit_transform(tfidf)
        else:
            reduced = tfidf.toarray()
        first = reduced[:, 0].std() if reduced.size else 0.0
        # Scale the whole block by its leading component so the block keeps its spectrum.
        self.mean = reduced.mean(axis=0)
        self.scale = float(first) if first > 0 else 1.0
        self.vocab = vocab
        return self

    @property
    def width(self) -> int:
        """Number of output columns."""
        k = self.svd.n_components if self.svd is not None else self.vocab
        return k + int(self.indicator)

    def transform(self, values: pd.Series) -> np.ndarray:
        """Encode a column as ``(n, width)`` float32."""
        text = to_text(values)
        tfidf = self.tfidf.transform(text.fillna("").tolist())
        reduced = self.svd.transform(tfidf) if self.svd is not None else tfidf.toarray()
        block = np.clip((reduced - self.mean) / self.scale, -_CLIP, _CLIP)
        if self.indicator:
            block = np.column_stack([block, text.isna().to_numpy().astype(np.float64)])
        return np.asarray(block, dtype=np.float32)

    def describe(self) -> str:
        """Say how the column was encoded."""
        k = self.svd.n_components if self.svd is not None else self.vocab
        detail = f"TF-IDF ({self.vocab} terms) -> {k} SVD dims"
        if self.indicator:
            detail += f"; {self.n_missing} missing: indicator"
        return detail


def _image_array(value: Any, side: int | None) -> np.ndarray:
    """One image (PIL or array, grey or colour) as a 2-D float array, resized if asked."""
    if hasattr(value, "convert") and hasattr(value, "size"):  # PIL image
        img = value.convert("L")
        if side is not None:
            img = img.resize((side, side))
        return np.asarray(img, dtype=np.float64)
    arr = np.asarray(value, dtype=np.float64)
    if arr.ndim == 3:
        arr = arr.mean(axis=2)
    if side is not None and arr.shape != (side, side):
        from PIL import Image

        lo, hi = float(np.nanmin(arr)), float(np.nanmax(arr))
        span = hi - lo if hi > lo else 1.0
        img = Image.fromarray(((arr - lo) / span * 255).astype(np.uint8))
        arr = np.asarray(img.resize((side, side)), dtype=np.float64) / 255 * span + lo
    return arr


class ImageEncoder:
    """A column of images (2-D/3-D arrays or PIL images): grey pixels, then PCA."""

    role = "image"

    def __init__(self, *, n_components: int = 32, random_state: int = 0) -> None:
        self.n_components = n_components
        self.random_state = random_state

    def _pixels(self, values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
        missing = values.isna().to_numpy() if values.dtype != object else np.array(
            [v is None or (isinstance(v, float) and math.isnan(v)) for v in values]
        )
        out = np.zeros((len(values), self.n_pixels), dtype=np.float64)
        for i, value in enumerate(values):
            if not missing[i]:
                out[i] = _image_array(value, self.side).ravel()[: self.n_pixels]
        return out, missing

    def fit(self, values: pd.Series) -> ImageEncoder:
        """Decide the pixel grid and fit the PCA basis."""
        from sklearn.decomposition import PCA

        present = [v for v in values if v is not None and not isinstance(v, float)]
        shapes = {_image_array(v, None).shape for v in present[:200]}
        first = next(iter(shapes))
        same = len(shapes) == 1 and first[0] * first[1] <= 4096
        self.side = None if same else 32
        self.n_pixels = first[0] * first[1] if same else 32 * 32
        pixels, missing = self._pixels(values)
        self.n_missing = int(missing.sum())
        self.indicator = self.n_missing > 0
        k = max(1, min(self.n_components, pixels.shape[1], len(values) - 1))
        self.pca = PCA(n_components=k, random_state=self.random_state).fit(pixels[~missing])
        reduced = self.pca.transform(pixels[~missing])
        first_std = reduced[:, 0].std() if reduced.size else 0.0
        self.scale = float(first_std) if first_std > 0 else 1.0
        return self

    @property
    def width(self) -> int:
        """Number of output columns."""
        return self.pca.n_components_ + int(self.indicator)

    def transform(self, values: pd.Series) -> np.ndarray:
        """Encode a column as ``(n, width)`` float32."""
        pixels, missing = self._pixels(values)
        block = np.clip(self.pca.transform(pixels) / self.scale, -_CLIP, _CLIP)
        block[missing] = 0.0
        if self.indicator:
            block = np.column_stack([block, missing.astype(np.float64)])
        return np.asarray(block, dtype=np.float32)

    def describe(self) -> str:
        """Say how the column was encoded."""
        grid = "as given" if self.side is None else f"resized to {self.side}x{self.side}"
        detail = f"grey pixels ({grid}) -> {self.pca.n_components_} PCA dims"
        if self.indicator:
            detail += f"; {self.n_missing} missing: indicator"
        return detail
