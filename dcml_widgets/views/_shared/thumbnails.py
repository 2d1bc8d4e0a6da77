"""Row images found in a DataFrame, encoded on demand as small PNG thumbnails."""

from __future__ import annotations

import io
import math
import re
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

#: Longest side of a thumbnail in pixels (smaller images are kept as they are).
THUMB_SIZE = 64
_PIXEL = re.compile(r"^(?:pixel|pix|px)_?(\d+)$", re.IGNORECASE)
_EXTENSIONS = (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".webp", ".tif", ".tiff")
_SAMPLE = 20
_CACHE = 1024


def _pixel_columns(frame: pd.DataFrame) -> list:
    named = [(int(m.group(1)), c) for c in frame.columns if (m := _PIXEL.match(str(c)))]
    return [c for _, c in sorted(named)]


def _column_kind(values: pd.Series) -> str | None:
    """``array``, ``pil`` or ``path`` when a sample of the column's values are images."""
    sample = values.dropna().head(_SAMPLE).tolist()
    if not sample:
        return None
    if all(isinstance(v, np.ndarray) and v.ndim in (2, 3) and v.size for v in sample):
        return "array"
    try:
        from PIL import Image
    except ImportError:  # pillow is a dependency; without it there are no thumbnails
        return None
    if all(isinstance(v, Image.Image) for v in sample):
        return "pil"
    if all(isinstance(v, (str, Path)) and str(v).lower().endswith(_EXTENSIONS) for v in sample):
        return "path"
    return None


def _to_uint8(array: np.ndarray) -> np.ndarray:
    """Scale one image to uint8 (min–max per image unless it already is 0..255 uint8)."""
    a = np.asarray(array)
    if a.dtype == np.uint8:
        return a
    a = a.astype(np.float64)
    finite = np.isfinite(a)
    if not finite.any():
        return np.zeros(a.shape, dtype=np.uint8)
    lo, hi = a[finite].min(), a[finite].max()
    scaled = (a - lo) / (hi - lo) * 255.0 if hi > lo else np.zeros_like(a)
    return np.where(finite, scaled, 0).round().astype(np.uint8)


class ImageSource:
    """Where a frame keeps its images, and a cache of their PNG thumbnails.

    Parameters
    ----------
    frame : pandas.DataFrame
    kind : str
        ``pixels`` (flattened pixel columns), ``array`` (a column of 2-D/3-D arrays),
        ``pil`` (PIL images) or ``path`` (image file paths).
    columns : list
        The columns holding the image (one, or all pixel columns).
    shape : tuple of int, optional
        Image shape for ``pixels``.
    """

    def __init__(
        self, frame: pd.DataFrame, kind: str, columns: list, shape: tuple | None = None
    ) -> None:
        self.frame = frame
        self.kind = kind
        self.columns = list(columns)
        self.shape = shape
        self._locs = [frame.columns.get_loc(c) for c in self.columns]
        self._cache: OrderedDict[int, bytes | None] = OrderedDict()

    @classmethod
    def detect(
        cls,
        frame: pd.DataFrame,
        exclude: Sequence = (),
        image_shape: Sequence[int] | None = None,
    ) -> ImageSource | None:
        """Find the images of ``frame`` (or None when its rows are not images).

        Parameters
        ----------
        frame : pandas.DataFrame
        exclude : sequence
            Columns that are never images (the label, the id column).
        image_shape : sequence of int, optional
            Shape of one image stored as flattened pixel columns (e.g. ``(8, 8)``).

        Raises
        ------
        ValueError
            If ``image_shape`` does not match the pixel columns.
        """
        candidates = [c for c in frame.columns if c not in set(exclude)]
        pixels = [c for c in _pixel_columns(frame) if c in candidates]
        if image_shape is not None:
            shape = tuple(int(s) for s in image_shape)
            if len(shape) not in (2, 3) or min(shape) < 1:
                raise ValueError(f"image_shape must be (height, width[, channels]), got {shape}.")
            size = int(np.prod(shape))
            if len(pixels) != size:
                numeric = [c for c in candidates if pd.api.types.is_numeric_dtype(frame[c])]
                if len(numeric) != size:
                    raise ValueError(
                        f"image_shape={shape} needs {size} pixel columns; found "
                        f"{len(pixels)} named like pixel_0 and {len(numeric)} numeric columns. "
                        "Name the pixel columns pixel_0, pixel_1, ... or fix image_shape."
                    )
                pixels = numeric
            return cls(frame, "pixels", pixels, shape)
        side = math.isqrt(len(pixels))
        if len(pixels) >= 4 and side * side == len(pixels):
            return cls(frame, "pixels", pixels, (side, side))
        for c in candidates:
            if pd.api.types.is_object_dtype(frame[c]) or pd.api.types.is_string_dtype(frame[c]):
                kind = _column_kind(frame[c])
                if kind is not None:
                    return cls(frame, kind, [c])
        return None

    def _image(self, position: int) -> np.ndarray | None:
        from PIL import Image

        if self.kind == "pixels":
            # One row by position: selecting the columns first would copy them for all rows.
            row = self.frame.iloc[position, self._locs].to_numpy(dtype=np.float64)
            return _to_uint8(row.reshape(self.shape))
        value = self.frame.iloc[position, self._locs[0]]
        if self.kind == "array":
            return _to_uint8(value) if isinstance(value, np.ndarray) else None
        if self.kind == "pil":
            image = value.copy() if isinstance(value, Image.Image) else None  # never the user's
        else:
            if not isinstance(value, (str, Path)):
                return None
            try:
                with Image.open(value) as opened:
                    opened.draft("RGB", (THUMB_SIZE, THUMB_SIZE))  # fast JPEG downscale
                    image = opened.copy()
            except (OSError, ValueError):
                return None  # unreadable file: shown as a missing thumbnail
        if image is None:
            return None
        image.thumbnail((THUMB_SIZE, THUMB_SIZE))
        if image.mode not in ("L", "LA", "RGB", "RGBA"):
            gray = image.getbands() in (("1",), ("I",), ("F",), ("L",))
            image = image.convert("L" if gray else "RGBA" if image.mode == "P" else "RGB")
        return np.asarray(image)

    def png(self, position: int) -> bytes | None:
        """PNG bytes of the thumbnail of the row at ``position`` (None when it has none)."""
        position = int(position)
        if position in self._cache:
            self._cache.move_to_end(position)
            return self._cache[position]
        data = self._encode(position)
        self._cache[position] = data
        if len(self._cache) > _CACHE:
            self._cache.popitem(last=False)
        return data

    def _encode(self, position: int) -> bytes | None:
        from PIL import Image

        pixels = self._image(position)
        if pixels is None:
            return None
        if pixels.ndim == 3 and pixels.shape[2] == 1:
            pixels = pixels[:, :, 0]
        image = Image.fromarray(np.ascontiguousarray(pixels))
        if max(image.size) > THUMB_SIZE:
            image.thumbnail((THUMB_SIZE, THUMB_SIZE))
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", optimize=False)
        return buffer.getvalue()
