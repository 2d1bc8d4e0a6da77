"""The hover preview of one row of the embedding view: short text fields and a thumbnail."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from dcml_widgets.state.derived import STATUS, status_of
from dcml_widgets.values import is_missing
from dcml_widgets.views._shared.thumbnails import ImageSource
from dcml_widgets.views._shared.values import clip_text, short_text

PREVIEW_FEATURES = 6
"""Feature values shown in a hover preview."""


def find_images(
    frame: pd.DataFrame,
    exclude: list,
    image_column: str | None = None,
    image_shape: tuple[int, int] | None = None,
) -> ImageSource | None:
    """Where the rows' images are, for hover thumbnails (None when the rows are not images).

    Parameters
    ----------
    frame : pandas.DataFrame
        The state's frame.
    exclude : list
        Columns that are never images (the label, the id column).
    image_column : str, optional
        The column holding the images (arrays, PIL images or image paths); found by
        :meth:`ImageSource.detect` when omitted.
    image_shape : tuple of int, optional
        ``(height, width)`` of an image stored as the row's pixel (or numeric) columns.

    Returns
    -------
    ImageSource or None

    Raises
    ------
    KeyError
        If ``image_column`` is not a column.
    ValueError
        If ``image_column`` holds no images, or ``image_shape`` does not fit the columns.
    """
    if image_column is None:
        return ImageSource.detect(frame, exclude=exclude, image_shape=image_shape)
    if image_column not in frame.columns:
        raise KeyError(f"image_column={image_column!r} is not a column of the DataFrame.")
    others = [c for c in frame.columns if c != image_column]
    source = ImageSource.detect(frame, exclude=others)
    if source is None:
        raise ValueError(
            f"image_column={image_column!r} holds no images (2-D/3-D arrays, PIL images or "
            "image file paths); pass another column or leave image_column out."
        )
    return source


def row_preview(state: Any, position: int, images: ImageSource | None) -> tuple[dict, bytes | None]:
    """The hover preview of row ``position``: short text fields and an optional thumbnail.

    Parameters
    ----------
    state : DatasetState
    position : int
        Row position (already checked to be in range).
    images : ImageSource or None
        Where the row's thumbnail comes from.

    Returns
    -------
    (dict, bytes or None)
        ``{"row": {...}, "thumb": "png" or None}`` and the thumbnail's PNG bytes.
    """
    report, classes = state.report, state.classes
    code = int(state.rows.codes_at([position])[0])
    original = int(state.rows.original_codes_at([position])[0])
    fields: dict[str, Any] = {
        "id": clip_text(state.ids[position]),
        "label": clip_text(classes[code]) if code >= 0 else "(missing)",
        "given": clip_text(classes[original]) if original >= 0 else "(missing)",
        "status": STATUS[int(status_of(state.rows.status_bits([position]))[0])],
    }
    if report is not None:
        issues = report.issues
        fields["predicted"] = clip_text(report.predicted.iloc[position])
        has_suggestion = "suggested_label" in issues
        suggested = issues["suggested_label"].iloc[position] if has_suggestion else None
        fields["suggested"] = "" if is_missing(suggested) else clip_text(suggested)
        score = issues["label_score"].iloc[position] if "label_score" in issues else np.nan
        fields["score"] = None if is_missing(score) else round(float(score), 4)
        fields["issues"] = [
            t.replace("_", " ") for t in report.issue_types if report.issue_mask(t)[position]
        ]
    note = state.rows.note_at(position)
    if note:
        fields["note"] = clip_text(note)
    frame = state.frame
    skip = {state.label, state.id_column}
    if images is not None and images.kind != "pixels":  # pixel values still read as features
        skip.update(images.columns)
    shown = [c for c in frame.columns if c not in skip][:PREVIEW_FEATURES]
    values = frame.iloc[position, [frame.columns.get_loc(c) for c in shown]]
    fields["features"] = [
        [clip_text(c, 40), short_text(v)] for c, v in zip(shown, values, strict=True)
    ]
    png = None if images is None else images.png(position)
    return {"row": fields, "thumb": None if png is None else "png"}, png
