"""Several models that must agree: each trained on the same stored folds, their mean used.

A cross-validation consistency check: when different kinds of model keep disagreeing with a
label out of sample, the label is likely wrong. ``model=[a, b, ...]`` fits every member on
the report's folds; the report's probabilities are the members' mean, and
``num_models_disagreeing`` counts, per labelled row, the members whose out-of-fold prediction
differs from the given label.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd


def is_model_list(model: Any) -> bool:
    """Whether ``model=`` was given as a list (or tuple) of models.

    Parameters
    ----------
    model : object

    Returns
    -------
    bool
    """
    return isinstance(model, list | tuple)


def check_model(model: Any, where: str = "model=") -> None:
    """Refuse anything that is not a probabilistic scikit-learn classifier.

    Parameters
    ----------
    model : object
    where : str
        How to name it in the message (e.g. ``"model=[1]"``).

    Raises
    ------
    TypeError
    """
    if not (hasattr(model, "fit") and hasattr(model, "get_params")):
        raise TypeError(
            f"{where} must be a scikit-learn classifier (with fit and get_params); "
            f"got {type(model).__name__}."
        )
    if not hasattr(model, "predict_proba"):
        raise TypeError(
            f"{where} {type(model).__name__} has no predict_proba; pass a probabilistic "
            "classifier, e.g. wrap it in sklearn.calibration.CalibratedClassifierCV."
        )


def check_models(model: Any) -> list[Any]:
    """The members of ``model=``: one estimator, or a list of at least two.

    Parameters
    ----------
    model : estimator or list of estimators

    Returns
    -------
    list
        ``[model]`` for a single estimator, else the members in order.

    Raises
    ------
    ValueError
        If a list holds fewer than two models.
    TypeError
        If a member is not a probabilistic scikit-learn classifier (the message gives its
        position).
    """
    if not is_model_list(model):
        check_model(model)
        return [model]
    members = list(model)
    if len(members) < 2:
        raise ValueError(
            f"model= as a list needs at least two classifiers that must agree; got "
            f"{len(members)}. Pass a single classifier as model=clf."
        )
    for position, member in enumerate(members):
        check_model(member, f"model=[{position}]")
    return members


def fit_predict_members(
    X: np.ndarray,
    codes: np.ndarray,
    folds: np.ndarray,
    n_classes: int,
    models: list[Any],
    *,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Out-of-fold probabilities of every member on the same folds, and their mean.

    Parameters
    ----------
    X, codes, folds, n_classes
        As :func:`dcml_widgets.analysis.predict.fit_predict_folds`.
    models : list
        Unfitted estimators (cloned per fold).
    progress : callable, optional
        ``progress(done, total)`` over all members' folds.

    Returns
    -------
    mean : numpy.ndarray
        ``(N, n_classes)`` float64, rows summing to 1.
    per_member : numpy.ndarray
        ``(len(models), N, n_classes)`` float32.
    """
    from dcml_widgets.analysis.predict import fit_predict_many

    each = fit_predict_many(X, codes, folds, n_classes, models, progress=progress)
    per_member = np.stack(each).astype(np.float32)
    mean = np.mean(each, axis=0)
    return mean / mean.sum(axis=1, keepdims=True), per_member


def disagreement_counts(per_member: np.ndarray, codes: np.ndarray, index: pd.Index) -> pd.Series:
    """Per row, how many members' out-of-fold prediction differs from the given label.

    Parameters
    ----------
    per_member : numpy.ndarray
        ``(M, N, K)`` members' probabilities.
    codes : numpy.ndarray
        ``(N,)`` given labels as class positions, ``-1`` = unlabelled.
    index : pandas.Index
        Row ids.

    Returns
    -------
    pandas.Series
        Int64, ``<NA>`` where the row has no label.
    """
    predicted = per_member.argmax(axis=2)
    counts = (predicted != codes[None, :]).sum(axis=0)
    out = pd.Series(counts, index=index, dtype="Int64", name="num_models_disagreeing")
    out[codes < 0] = pd.NA
    return out


def fit_full(X: np.ndarray, codes: np.ndarray, model: Any) -> list[Any]:
    """Fit ``model`` (or each member of a list) on every row with ``codes >= 0``.

    Parameters
    ----------
    X : numpy.ndarray
    codes : numpy.ndarray
        Class positions, ``-1`` = not trained on.
    model : estimator or list of estimators

    Returns
    -------
    list
        The fitted clones.
    """
    from sklearn.base import clone
    from threadpoolctl import threadpool_limits

    train = codes >= 0
    members = list(model) if is_model_list(model) else [model]
    # One BLAS thread: see predict.fit_predict_folds.
    with threadpool_limits(limits=1, user_api="blas"):
        return [clone(m).fit(X[train], codes[train]) for m in members]


def predict_mean(fitted: list[Any], X: np.ndarray, n_classes: int) -> np.ndarray:
    """Mean predicted probabilities of fitted members, columns = all ``n_classes``.

    Parameters
    ----------
    fitted : list
        Fitted estimators, trained on class positions.
    X : numpy.ndarray
    n_classes : int

    Returns
    -------
    numpy.ndarray
        ``(len(X), n_classes)`` float64.
    """
    from threadpoolctl import threadpool_limits

    out = np.zeros((len(X), n_classes), dtype=np.float64)
    for member in fitted:
        with threadpool_limits(limits=1, user_api="blas"):
            proba = member.predict_proba(X)
        out[:, np.asarray(member.classes_, dtype=np.int64)] += proba / len(fitted)
    return out
