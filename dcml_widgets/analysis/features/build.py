"""Raw, messy DataFrame -> finite float32 model matrix, with a record of every decision.

:func:`build_features` decides each column's role (see
:mod:`.roles`), drops identifiers, constants, empty columns and
copies of the label, encodes the rest, and returns a :class:`FeatureMatrix`: the matrix, the
plan (``column, role, detail`` per input column) and the fitted :class:`FeatureEncoder` that
applies the same encoding to a new frame (e.g. a trusted test set).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from dcml_widgets.analysis.features.base import ColumnEncoder
from dcml_widgets.analysis.features.categorical import CategoricalEncoder
from dcml_widgets.analysis.features.convert import to_text
from dcml_widgets.analysis.features.roles import DROPPED_ROLES, RoleDecision, decide_role

GIVEN_ARRAY = "<given array>"
# Total one-hot budget over all categorical columns, so hundreds of them stay affordable.
_ONE_HOT_BUDGET = 3000
_LEAK_AGREEMENT = 0.98


class FeatureEncoder:
    """The fitted encoding of one frame's columns; applies it unchanged to new frames.

    Attributes
    ----------
    columns : list
        Input columns that produce model-matrix columns, in matrix order.
    encoders : list of ColumnEncoder
        One fitted encoder per entry of ``columns``.
    width : int
        Number of model-matrix columns.
    """

    def __init__(self, columns: list[Any], encoders: list[ColumnEncoder], *, given: bool = False):
        self.columns = columns
        self.encoders = encoders
        self.given = given
        self.width = int(sum(e.width for e in encoders))

    def transform(self, df: pd.DataFrame) -> np.ndarray:
        """Encode a frame with the same columns as the training frame.

        Parameters
        ----------
        df : pandas.DataFrame
            Must hold every column in :attr:`columns` (other columns are ignored).

        Returns
        -------
        numpy.ndarray
            ``(len(df), width)`` float32, finite.

        Raises
        ------
        ValueError
            If the features were given as an array (there are no columns to encode).
        KeyError
            If a column the encoding needs is missing.
        """
        if self.given:
            raise ValueError(
                "The model matrix was given as an array (features=array), so a new frame "
                "cannot be encoded: analyse with column features to score a test frame."
            )
        if not isinstance(df, pd.DataFrame):
            raise TypeError(f"Expected a pandas DataFrame, got {type(df).__name__}.")
        missing = [c for c in self.columns if c not in df.columns]
        if missing:
            raise KeyError(
                f"The frame lacks column(s) {missing} that the features were built from; "
                "pass a frame with the same columns as the analysed one."
            )
        out = np.empty((len(df), self.width), dtype=np.float32)
        start = 0
        for column, encoder in zip(self.columns, self.encoders, strict=True):
            block = encoder.transform(df[column])
            out[:, start : start + block.shape[1]] = block
            start += block.shape[1]
        return out


@dataclasses.dataclass(frozen=True)
class FeatureMatrix:
    """A model matrix and the record of how it was made.

    Attributes
    ----------
    matrix : numpy.ndarray
        ``(N, d)`` float32, finite.
    plan : pandas.DataFrame
        One row per input column: ``column, role, detail``.
    encoder : FeatureEncoder
        Fitted; ``encoder.transform(df)`` encodes a new frame the same way.
    """

    matrix: np.ndarray
    plan: pd.DataFrame
    encoder: FeatureEncoder


def _label_leak(column: pd.Series, label: pd.Series) -> str | None:
    """Why ``column`` is the label under another name, or ``None`` if it is not.

    A leak: each of the column's values points to its own class, and that mapping gives the
    row's label for at least 98% of the rows (so a few edited labels or one extra rare class
    do not hide it).
    """
    n_levels = column.nunique()
    if n_levels < 2 or n_levels > label.nunique():
        return None
    both = column.notna().to_numpy() & label.notna().to_numpy()
    if both.sum() < 2:
        return None
    try:
        col_codes, col_levels = pd.factorize(to_text(column[both]))
    except TypeError:
        return None
    lab_codes, lab_levels = pd.factorize(label[both])
    m, k = len(col_levels), len(lab_levels)
    table = np.bincount(col_codes * k + lab_codes, minlength=m * k).reshape(m, k)
    majority = table.argmax(axis=1)
    if len(np.unique(majority)) != m:
        return None
    agreement = table.max(axis=1).sum() / both.sum()
    if agreement < _LEAK_AGREEMENT:
        return None
    how = "equals" if agreement == 1.0 else f"agrees on {agreement:.1%} of rows with"
    return f"{how} the label under another name (one value per class): dropped"


def _plan_row(column: Any, decision: RoleDecision) -> dict[str, Any]:
    return {"column": column, "role": decision.role, "detail": decision.detail}


def _given_array(features: Any, n_rows: int) -> FeatureMatrix:
    matrix = np.asarray(features)
    if matrix.ndim != 2 or matrix.shape[0] != n_rows:
        raise ValueError(
            f"features= as an array must have shape (N, d) with N = {n_rows} rows; "
            f"got shape {matrix.shape}."
        )
    if not np.issubdtype(matrix.dtype, np.number) or np.issubdtype(
        matrix.dtype, np.complexfloating
    ):
        raise TypeError(f"features= array must be real numbers; got dtype {matrix.dtype}.")
    matrix = matrix.astype(np.float32)
    if not np.isfinite(matrix).all():
        raise ValueError(
            "features= array holds NaN or infinite values; impute them first, "
            "or pass column names and let dcml-widgets encode the frame."
        )
    plan = pd.DataFrame(
        [
            {
                "column": GIVEN_ARRAY,
                "role": "given",
                "detail": f"{matrix.shape[1]} dims, used as given",
            }
        ]
    )
    return FeatureMatrix(matrix, plan, FeatureEncoder([], [], given=True))


def _select_columns(
    df: pd.DataFrame, label: str, features: Sequence[Any] | None, exclude: Sequence[str]
) -> list[Any]:
    if features is None:
        skip = {label, *exclude}
        return [c for c in df.columns if c not in skip]
    columns = list(features)
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise KeyError(f"features= names column(s) {missing} that the frame does not have.")
    if label in columns:
        raise ValueError(f"features= must not include the label column {label!r}.")
    if len(set(map(str, columns))) != len(columns):
        raise ValueError("features= lists a column more than once.")
    return columns


def build_features(
    df: pd.DataFrame,
    label: str,
    features: Any = None,
    *,
    exclude: Sequence[str] = (),
    random_state: int = 0,
    allow_empty: bool = False,
    images: bool = True,
) -> FeatureMatrix:
    """Turn a raw labelled frame into a model matrix, recording each column's role.

    Roles: numeric (imputed, scaled), boolean, categorical (one-hot, rare levels grouped),
    ordinal (ordered categorical), datetime (numeric parts, also for date-like text), text
    (TF-IDF -> SVD), image (pixels -> PCA); dropped: id, constant, all_missing, leak (the label
    under another name), unsupported. Missing values get indicator columns.

    Parameters
    ----------
    df : pandas.DataFrame
        The raw frame, label column included.
    label : str
        The label column (never a feature).
    features : None, list of column names, or array-like (N, d)
        ``None``: every column but the label and ``exclude``. A list: exactly those columns.
        An array: the user's own vectors, used as the matrix.
    exclude : sequence of str
        Columns never used as features (e.g. annotator columns).
    random_state : int
        Seed for the text and image reductions.
    allow_empty : bool
        Return an ``(N, 0)`` matrix instead of raising when no usable column is left (the
        caller has the user's own ``pred_probs``).
    images : bool
        Encode image columns (arrays, PIL images, image paths) as features; False leaves
        them to be shown (thumbnails) and says so in the plan.

    Returns
    -------
    FeatureMatrix

    Raises
    ------
    KeyError
        If ``label`` or a listed feature column is not in the frame.
    ValueError
        If a features array has the wrong shape or non-finite values, or no usable feature
        is left (unless ``allow_empty``).
    """
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"Expected a pandas DataFrame, got {type(df).__name__}.")
    if label not in df.columns:
        raise KeyError(f"Label column {label!r} is not in the frame; columns: {list(df.columns)}.")
    if features is not None and not isinstance(features, (list, tuple, pd.Index)):
        return _given_array(features, len(df))
    columns = _select_columns(df, label, features, exclude)
    labels = df[label]
    decisions = []
    for column in columns:
        values = df[column]
        decision = decide_role(str(column), values)
        if decision.encoder is not None and decision.role in ("categorical", "boolean", "numeric"):
            leak = _label_leak(values, labels)
            if leak is not None:
                decision = RoleDecision("leak", leak)
        decisions.append(decision)

    n_categorical = sum(d.role == "categorical" for d in decisions)
    max_levels = int(np.clip(_ONE_HOT_BUDGET // max(n_categorical, 1), 3, 30))
    min_count = int(min(10, max(2, len(df) // 200)))
    for decision in decisions:
        if decision.role == "categorical":
            decision.encoder = CategoricalEncoder(max_levels=max_levels, min_count=min_count)
        elif decision.role == "image" and not images:
            decision.encoder = None
            decision.detail = (
                "shown as thumbnails, not a feature: pred_probs= came from a model of its own "
                "(pass features= to use the pixels or your embeddings)"
            )
        elif decision.role in ("text", "image"):
            decision.encoder.random_state = random_state

    kept_columns, fitted, blocks = [], [], []
    for column, decision in zip(columns, decisions, strict=True):
        if decision.encoder is None:
            continue
        values = df[column]
        encoder = decision.encoder
        try:
            block = encoder.fit_transform(values)
        except ValueError as exc:  # e.g. text with an empty vocabulary
            decision.role, decision.encoder = "unsupported", None
            decision.detail = f"could not be encoded ({exc}): dropped"
            continue
        decision.detail = f"{encoder.describe()} -> {block.shape[1]} dims"
        kept_columns.append(column)
        fitted.append(encoder)
        blocks.append(block)

    plan = pd.DataFrame(
        [_plan_row(c, d) for c, d in zip(columns, decisions, strict=True)],
        columns=["column", "role", "detail"],
    )
    if not blocks and allow_empty:
        empty = np.zeros((len(df), 0), dtype=np.float32)
        return FeatureMatrix(empty, plan, FeatureEncoder([], []))
    if not blocks:
        dropped = plan[plan["role"].isin(DROPPED_ROLES)]
        raise ValueError(
            "No usable feature column is left after dropping "
            f"{dict(zip(dropped['column'], dropped['role'], strict=True))}; pass features= "
            "with the columns to use, or an (N, d) array of your own vectors."
        )
    matrix = np.empty((len(df), sum(b.shape[1] for b in blocks)), dtype=np.float32)
    start = 0
    for block in blocks:
        matrix[:, start : start + block.shape[1]] = block
        start += block.shape[1]
    return FeatureMatrix(matrix, plan, FeatureEncoder(kept_columns, fitted))
