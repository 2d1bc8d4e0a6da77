"""Out-of-sample predicted probabilities with fixed, stored folds.

:func:`out_of_sample` splits the labelled rows into stratified folds, fits a clone of the
model on all folds but one and predicts the held-out one, so every labelled row gets a
probability vector from a model that never saw it. The folds are returned so the measure step
retrains on exactly the same splits. The default model is
:func:`dcml_widgets.analysis.classifiers.default_model`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from dcml_widgets.analysis.classifiers import default_model
from dcml_widgets.analysis.folds import (
    assign_folds,
    n_folds_for,
    smallest_class,
    split_trainable,
)
from dcml_widgets.analysis.labels import encode_labels
from dcml_widgets.analysis.members import check_models, fit_predict_members, is_model_list


@dataclasses.dataclass(frozen=True)
class Prediction:
    """Out-of-sample probabilities and the splits that produced them.

    Attributes
    ----------
    pred_probs : numpy.ndarray
        ``(N, K)`` float64, rows sum to 1, columns in ``classes`` order. Rows without a label
        (or of a class too rare to split) get the average of the fold models, none of which
        saw them.
    folds : numpy.ndarray
        ``(N,)`` int fold number; ``-1`` for rows not used in training.
    too_rare : numpy.ndarray
        ``(N,)`` bool: the row's class has fewer than two members, so it cannot be judged.
    model : object
        Unfitted estimator template (``sklearn.base.clone``-able), or the list of them when
        several models must agree.
    n_folds : int
        Number of folds (0 when no model could be trained).
    notes : tuple of str
        Things the user should know.
    member_pred_probs : numpy.ndarray or None
        ``(M, N, K)`` float32 out-of-fold probabilities of each of the M models of a model
        list (their mean is :attr:`pred_probs`); ``None`` for a single model.
    """

    pred_probs: np.ndarray
    folds: np.ndarray
    too_rare: np.ndarray
    model: Any
    n_folds: int
    notes: tuple[str, ...] = ()
    member_pred_probs: np.ndarray | None = None


def fit_fold(
    X: np.ndarray, codes: np.ndarray, folds: np.ndarray, fold: int, model: Any
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Fit a clone of ``model`` on every fold but ``fold``; predict the held-out rows.

    One task of :func:`fit_predict_many` (run here or on a cluster's worker).

    Returns
    -------
    (seen, held_out, outside)
        The class codes the clone saw, its probabilities for the rows of ``fold`` and for
        the rows outside every fold (None when there are none).
    """
    from sklearn.base import clone
    from threadpoolctl import threadpool_limits

    outside = folds < 0
    train = (folds != fold) & ~outside & (codes >= 0)
    # Per-fold problems are small: multi-threaded BLAS spins more than it computes here
    # (measured: logistic regression on 16k x 50 took 3.3 s with 2 BLAS threads on a busy
    # 2-core machine, 0.07 s with one).
    with threadpool_limits(limits=1, user_api="blas"):
        fitted = clone(model).fit(X[train], codes[train])
        held_out = fitted.predict_proba(X[folds == fold])
        rest = fitted.predict_proba(X[outside]) if outside.any() else None
    return np.asarray(fitted.classes_, dtype=np.int64), held_out, rest


def fit_predict_many(
    X: np.ndarray,
    codes: np.ndarray,
    folds: np.ndarray,
    n_classes: int,
    models: list[Any],
    *,
    progress: Callable[[int, int], None] | None = None,
) -> list[np.ndarray]:
    """Out-of-fold probabilities of each model on the same folds (folds x models tasks).

    The tasks run where the analysis runs (:func:`dcml_widgets.analysis.compute.current`):
    here, or on a Dask cluster's workers, with the arrays sent there once.

    Parameters
    ----------
    X, codes, folds, n_classes
        As :func:`fit_predict_folds`.
    models : list
        Unfitted estimators, each cloned per fold.
    progress : callable, optional
        ``progress(done, total)`` as tasks finish.

    Returns
    -------
    list of numpy.ndarray
        One ``(N, n_classes)`` float64 array per model, rows summing to 1.
    """
    from dcml_widgets.analysis.compute import current

    n_folds = int(folds.max()) + 1 if folds.size else 0
    items = [{"fold": f, "model": m} for m in models for f in range(n_folds)]
    results = current().map(
        fit_fold,
        {"X": X, "codes": codes, "folds": folds},
        items,
        name="dcml-fit-fold",
        on_done=progress,
    )
    outside = folds < 0
    out = []
    for m in range(len(models)):
        probs = np.zeros((len(X), n_classes), dtype=np.float64)
        for fold in range(n_folds):  # assembled in fold order, wherever the tasks ran
            seen, held_out, rest = results[m * n_folds + fold]
            probs[np.ix_(folds == fold, seen)] += held_out
            if rest is not None:
                probs[np.ix_(outside, seen)] += rest / n_folds
        totals = probs.sum(axis=1, keepdims=True)
        out.append(
            np.divide(probs, totals, out=np.full_like(probs, 1.0 / n_classes), where=totals > 0)
        )
    return out


def fit_predict_folds(
    X: np.ndarray,
    codes: np.ndarray,
    folds: np.ndarray,
    n_classes: int,
    model: Any,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> np.ndarray:
    """Train one clone per fold on the other folds and predict the held-out rows.

    Rows with fold ``-1`` are never trained on; they get the average of the fold models'
    probabilities. Classes a fold model never saw get probability 0 from it.

    Parameters
    ----------
    X : numpy.ndarray
        ``(N, d)`` model matrix.
    codes : numpy.ndarray
        ``(N,)`` class positions (``-1`` = no label; such rows must have fold ``-1``).
    folds : numpy.ndarray
        ``(N,)`` fold number per row, ``-1`` = not trained on.
    n_classes : int
        Number of probability columns.
    model : sklearn estimator
        Template; cloned per fold.
    progress : callable, optional
        Called as ``progress(done, total)`` after each fold.

    Returns
    -------
    numpy.ndarray
        ``(N, n_classes)`` float64 probabilities, rows summing to 1.
    """
    return fit_predict_many(X, codes, folds, n_classes, [model], progress=progress)[0]


def out_of_sample(
    X: np.ndarray,
    y: pd.Series,
    classes: np.ndarray,
    *,
    model: Any = None,
    cv: int = 5,
    random_state: int = 0,
    progress: Callable[[int, int], None] | None = None,
) -> Prediction:
    """Out-of-sample probabilities for every row, from stratified folds that are kept.

    Folds = ``min(cv, smallest class size)`` over classes with at least two members. Rows of a
    class with a single member are ``too_rare``: not trained on, predicted like unlabelled
    rows, and not to be judged.

    Parameters
    ----------
    X : numpy.ndarray
        ``(N, d)`` model matrix.
    y : pandas.Series or array-like
        Labels, NaN = missing.
    classes : numpy.ndarray
        ``np.unique`` of the present labels; the probability columns follow it.
    model : sklearn classifier or list of them, optional
        Used as given (cloned per fold); ``None`` = :func:`default_model`. A list of two or
        more: each member on the same folds, the probabilities their mean.
    cv : int
        Requested number of folds (>= 2).
    random_state : int
        Seed for the fold split and the default model.
    progress : callable, optional
        ``progress(done, total)`` after each fold.

    Returns
    -------
    Prediction

    Raises
    ------
    TypeError
        If ``model`` (or a member) is not a probabilistic scikit-learn classifier.
    ValueError
        If ``cv`` < 2, ``X`` and ``y`` differ in length, or a model list has one member.
    """
    X = np.asarray(X)
    classes = np.asarray(classes)
    if isinstance(cv, bool) or not isinstance(cv, (int, np.integer)) or cv < 2:
        raise ValueError(f"cv= must be an integer >= 2 (number of folds); got {cv!r}.")
    if len(X) != len(y):
        raise ValueError(f"X has {len(X)} rows but y has {len(y)}.")
    codes = encode_labels(y, classes)
    n_classes = len(classes)
    counts = np.bincount(codes[codes >= 0], minlength=n_classes)
    train_codes, too_rare = split_trainable(codes, n_classes)
    rare_classes = np.flatnonzero(counts == 1)
    notes: list[str] = []
    if rare_classes.size:
        names = ", ".join(map(str, classes[rare_classes][:10]))
        notes.append(
            f"{rare_classes.size} class(es) have a single row ({names}): too rare to judge; "
            "those rows are marked is_too_rare."
        )
    n_missing = int((codes < 0).sum())
    if n_missing:
        notes.append(f"{n_missing} rows have no label: left out of training, still predicted.")
    if model is None:
        model = default_model(
            len(X),
            X.shape[1] if X.ndim == 2 else 1,
            n_classes,
            random_state,
            smallest_class=smallest_class(train_codes),
        )
    else:
        check_models(model)

    n_folds = n_folds_for(train_codes, cv)
    if n_folds == 0:
        notes.append(
            "Fewer than two classes have two or more rows: no model could be trained; "
            "probabilities are the class frequencies."
        )
        prior = counts / max(counts.sum(), 1)
        probs = np.tile(prior, (len(X), 1)).astype(np.float64)
        folds = np.full(len(X), -1, dtype=np.int64)
        return Prediction(probs, folds, too_rare, model, 0, tuple(notes))

    if n_folds < cv:
        smallest = int(counts[counts >= 2].min())
        notes.append(f"{n_folds} folds instead of {cv}: the smallest class has {smallest} rows.")
    folds = assign_folds(train_codes, n_folds, random_state)
    if is_model_list(model):
        probs, members = fit_predict_members(
            X, train_codes, folds, n_classes, list(model), progress=progress
        )
        return Prediction(probs, folds, too_rare, model, n_folds, tuple(notes), members)
    probs = fit_predict_folds(X, train_codes, folds, n_classes, model, progress=progress)
    return Prediction(probs, folds, too_rare, model, n_folds, tuple(notes))
