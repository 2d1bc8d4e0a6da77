"""Stratified folds that are stored with the report, so every retrain uses the same splits.

:func:`split_trainable` sets aside rows that cannot be judged, :func:`n_folds_for` picks how
many folds the classes allow, and :func:`assign_folds` deals the rows into them.
"""

from __future__ import annotations

import numpy as np


def assign_folds(codes: np.ndarray, n_folds: int, random_state: int = 0) -> np.ndarray:
    """Stratified fold number per row; ``-1`` for rows with ``codes < 0``.

    Parameters
    ----------
    codes : numpy.ndarray
        Class position per row (``-1`` = not to be trained on).
    n_folds : int
        Number of folds (>= 2; every class in training must have at least that many rows).
    random_state : int

    Returns
    -------
    numpy.ndarray
        ``(N,)`` int64.
    """
    from sklearn.model_selection import StratifiedKFold

    folds = np.full(len(codes), -1, dtype=np.int64)
    rows = np.flatnonzero(codes >= 0)
    splitter = StratifiedKFold(n_splits=n_folds, shuffle=True, random_state=random_state)
    for fold, (_, test) in enumerate(splitter.split(np.zeros(len(rows)), codes[rows])):
        folds[rows[test]] = fold
    return folds


def split_trainable(codes: np.ndarray, n_classes: int) -> tuple[np.ndarray, np.ndarray]:
    """Set aside rows whose class has a single member: they cannot be held out and judged.

    Parameters
    ----------
    codes : numpy.ndarray
        ``(N,)`` class positions, ``-1`` = no label.
    n_classes : int
        Number of classes.

    Returns
    -------
    train_codes : numpy.ndarray
        ``codes`` with the single-member rows set to ``-1`` (not trained on).
    too_rare : numpy.ndarray
        ``(N,)`` bool: the labelled rows of single-member classes.
    """
    counts = np.bincount(codes[codes >= 0], minlength=n_classes)
    too_rare = (codes >= 0) & np.isin(codes, np.flatnonzero(counts == 1))
    return np.where(too_rare, -1, codes), too_rare


def smallest_class(train_codes: np.ndarray) -> int:
    """Rows of the smallest class trained on (0 when nothing is).

    Parameters
    ----------
    train_codes : numpy.ndarray
        ``(N,)`` class positions, ``-1`` = not trained on.

    Returns
    -------
    int
    """
    counts = np.bincount(train_codes[train_codes >= 0])
    present = counts[counts > 0]
    return int(present.min()) if present.size else 0


def n_folds_for(train_codes: np.ndarray, cv: int) -> int:
    """Folds a split can use: ``min(cv, smallest class)``, or 0 with fewer than two classes.

    Parameters
    ----------
    train_codes : numpy.ndarray
        Class positions of the rows to train on (``-1`` = left out), as from
        :func:`split_trainable`, so every present class has at least two rows.
    cv : int
        Requested number of folds.

    Returns
    -------
    int
        0 when fewer than two classes can be trained on (no model can be fitted).
    """
    counts = np.bincount(train_codes[train_codes >= 0])
    counts = counts[counts > 0]
    if counts.size < 2:
        return 0
    return int(min(cv, counts.min()))
