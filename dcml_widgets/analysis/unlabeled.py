"""``dw.combine``: labelled rows and unlabelled ones (a pool, production data) in one frame.

``analyze(df, label, unlabeled=U)`` and ``audit(df, label, unlabeled=U)`` analyse exactly
``combine(df, U, label=label)``; the state, its journal fingerprint and ``apply_edits`` all
work on that frame, so a journal written on a pool replays onto ``combine(df, U, ...)``.
"""

from __future__ import annotations

from typing import Any

import pandas as pd


def combine(
    df: pd.DataFrame, unlabeled: pd.DataFrame, *, label: str, id_column: str | None = None
) -> pd.DataFrame:
    """Append unlabelled rows after the labelled ones, ready to analyse together.

    Parameters
    ----------
    df : pandas.DataFrame
        The labelled rows (some labels may be missing too).
    unlabeled : pandas.DataFrame
        Rows without labels: the same feature columns as ``df``; the label column absent or
        entirely missing.
    label : str
        The label column of ``df``.
    id_column : str, optional
        Column holding the row ids in both frames (as given to ``audit``); by default the
        index is the ids.

    Returns
    -------
    pandas.DataFrame
        ``df``'s rows, then ``unlabeled``'s, in order, columns in ``df``'s order. The label
        column has a nullable dtype (integers become ``Int64``, booleans ``boolean``), a
        categorical column present as categorical in either frame stays categorical (union
        of the categories), and ``df.attrs`` is kept. The index is both frames' (with
        ``id_column=``, a fresh ``RangeIndex``). Neither input is modified.

    Raises
    ------
    TypeError
        If either input is not a DataFrame.
    KeyError
        If ``label`` (or ``id_column``) is not a column of ``df``, or a column of ``df`` is
        missing in ``unlabeled``.
    ValueError
        If ``unlabeled`` holds labels, has columns ``df`` lacks, or shares row ids with
        ``df`` (or mixes int and str ids with it).
    """
    for name, frame in (("df", df), ("unlabeled", unlabeled)):
        if not isinstance(frame, pd.DataFrame):
            raise TypeError(
                f"combine() needs {name} as a pandas DataFrame, got {type(frame).__name__}."
            )
    if label not in df.columns:
        raise KeyError(f"Label column {label!r} is not in df; columns are {list(df.columns)[:10]}.")
    if label in unlabeled.columns and unlabeled[label].notna().any():
        n = int(unlabeled[label].notna().sum())
        raise ValueError(
            f"unlabeled= holds {n} label(s) in {label!r}: its rows must have no label (drop the "
            f"column or set it to missing); append labelled rows to df instead."
        )
    missing = [c for c in df.columns if c != label and c not in unlabeled.columns]
    if missing:
        raise KeyError(
            f"unlabeled= lacks column(s) {missing[:10]} that df has; the unlabelled rows need "
            "the same feature columns."
        )
    extra = [c for c in unlabeled.columns if c != label and c not in df.columns]
    if extra:
        raise ValueError(
            f"unlabeled= has column(s) {extra[:10]} that df lacks: the labelled rows would "
            "have them all missing. Drop them (or add them to df)."
        )
    _check_ids(df, unlabeled, id_column)
    pool = unlabeled.drop(columns=[label], errors="ignore")
    parts = {}
    for column in df.columns:
        if column == label:
            parts[column] = _nullable_labels(df[label], len(pool))
        else:
            parts[column] = _concat_column(df[column], pool[column])
    out = pd.DataFrame(parts)
    if id_column is None:
        out.index = df.index.append(pool.index).rename(df.index.name)
    out.attrs = dict(df.attrs)
    return out


def _check_ids(df: pd.DataFrame, pool: pd.DataFrame, id_column: str | None) -> None:
    if id_column is None:
        ours, theirs = df.index, pool.index
    else:
        if id_column not in df.columns:
            raise KeyError(f"id_column={id_column!r} is not a column of df.")
        ours, theirs = pd.Index(df[id_column]), pd.Index(pool[id_column])
    if len(ours) and len(theirs):
        kinds = {
            pd.api.types.is_integer_dtype(ours.dtype),
            pd.api.types.is_integer_dtype(theirs.dtype),
        }
        if len(kinds) > 1:
            raise ValueError(
                "df and unlabeled= mix int and str row ids; give both the same kind of id."
            )
    shared = ours.intersection(theirs)
    if len(shared):
        raise ValueError(
            f"Row ids must be unique across df and unlabeled=; {shared[:3].tolist()} appear "
            "in both. Give the unlabelled rows their own ids (e.g. "
            "unlabeled.index = range(len(df), len(df) + len(unlabeled)))."
        )


def _nullable_labels(labels: pd.Series, n_missing: int) -> pd.Series:
    """The labels followed by ``n_missing`` missing ones, in a dtype that holds both."""
    dtype: Any = labels.dtype
    if dtype.kind == "b":
        dtype = "boolean"
    elif dtype.kind in "iu":
        dtype = "Int64"
    head = labels.astype(dtype).reset_index(drop=True)
    tail = pd.Series([None] * n_missing, dtype=head.dtype)
    return pd.concat([head, tail], ignore_index=True).rename(labels.name)


def _concat_column(ours: pd.Series, theirs: pd.Series) -> pd.Series:
    """One column of both frames; a categorical one stays categorical (union of categories)."""
    ours, theirs = ours.reset_index(drop=True), theirs.reset_index(drop=True)
    if isinstance(ours.dtype, pd.CategoricalDtype) or isinstance(theirs.dtype, pd.CategoricalDtype):
        from pandas.api.types import union_categoricals

        try:
            joined = union_categoricals(
                [ours.astype("category"), theirs.astype("category")], ignore_order=True
            )
        except TypeError:  # categories of different kinds: plain concatenation decides
            pass
        else:
            return pd.Series(joined, name=ours.name)
    return pd.concat([ours, theirs], ignore_index=True)
