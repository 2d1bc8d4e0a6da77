"""Image column encoder: grey pixels on a common grid, reduced by PCA."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from dcml_widgets.analysis.features.base import ColumnEncoder
from dcml_widgets.analysis.features.convert import CLIP


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


class ImageEncoder(ColumnEncoder):
    """A column of images (2-D/3-D arrays or PIL images): grey pixels, then PCA."""

    role = "image"

    def __init__(self, *, n_components: int = 32, random_state: int = 0) -> None:
        self.n_components = n_components
        self.random_state = random_state

    def _pixels(self, values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
        missing = (
            values.isna().to_numpy()
            if values.dtype != object
            else np.array([v is None or (isinstance(v, float) and math.isnan(v)) for v in values])
        )
        out = np.zeros((len(values), self.n_pixels), dtype=np.float64)
        for i, value in enumerate(values):
            if not missing[i]:
                out[i] = _image_array(value, self.side).ravel()[: self.n_pixels]
        return out, missing

    def _fit(self, values: pd.Series) -> tuple[np.ndarray, None]:
        # The pixel grid: as given when every image has the same small shape, else 32x32.
        from sklearn.decomposition import PCA

        present = [v for v in values if v is not None and not isinstance(v, float)]
        shapes = {_image_array(v, None).shape for v in present[:200]}
        first = next(iter(shapes))
        same = len(shapes) == 1 and first[0] * first[1] <= 4096
        self.side = None if same else 32
        self.n_pixels = first[0] * first[1] if same else 32 * 32
        pixels, missing = self._pixels(values)
        k = max(1, min(self.n_components, pixels.shape[1], len(values) - 1))
        self.pca = PCA(n_components=k, random_state=self.random_state).fit(pixels[~missing])
        reduced = self.pca.transform(pixels[~missing])
        first_std = reduced[:, 0].std() if reduced.size else 0.0
        self.scale = float(first_std) if first_std > 0 else 1.0
        return missing, None

    def _encode(self, values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
        pixels, missing = self._pixels(values)
        block = np.clip(self.pca.transform(pixels) / self.scale, -CLIP, CLIP)
        block[missing] = 0.0
        return block, missing

    def _value_width(self) -> int:
        return int(self.pca.n_components_)

    def _describe_values(self) -> str:
        grid = "as given" if self.side is None else f"resized to {self.side}x{self.side}"
        return f"grey pixels ({grid}) -> {self.pca.n_components_} PCA dims"
