"""The pipeline's model stage: out-of-sample probabilities trained here, or the user's own.

:func:`predictions` returns one :class:`ModelStage` whichever way the probabilities came:
from the model (or the model list) on stored folds, or from ``pred_probs=`` (checked, put in
the report's class order). :func:`report_options` records the options a report ran with.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from dcml_widgets.analysis.labels import encode_labels


@dataclasses.dataclass(frozen=True)
class ModelStage:
    """What the model stage hands on.

    Attributes
    ----------
    pred_probs : numpy.ndarray
        ``(N, K)`` out-of-sample probabilities, columns in :attr:`classes` order.
    classes : numpy.ndarray
        The report's classes (``np.unique`` of the labels, and of ``classes=`` when given).
    folds : numpy.ndarray
        ``(N,)`` fold per row, ``-1`` = not trained on.
    too_rare : numpy.ndarray
        ``(N,)`` bool rows of single-member classes.
    model : object
        The model (or list) trained, or kept for ``measure()``; ``None`` with pred_probs alone.
    member_pred_probs : numpy.ndarray or None
        ``(M, N, K)`` per-member probabilities of a model list.
    notes : tuple of str
    """

    pred_probs: np.ndarray
    classes: np.ndarray
    folds: np.ndarray
    too_rare: np.ndarray
    model: Any
    member_pred_probs: np.ndarray | None
    notes: tuple[str, ...]


def predictions(
    X: np.ndarray,
    labels: pd.Series,
    classes: np.ndarray,
    *,
    model: Any,
    cv: int,
    pred_probs: Any,
    given_classes: Any,
    random_state: int,
    progress: Callable[[int, int], None] | None = None,
) -> ModelStage:
    """Out-of-sample probabilities for every row.

    Parameters
    ----------
    X : numpy.ndarray
        ``(N, d)`` model matrix; ``d = 0`` when there are no features (``pred_probs=`` alone).
    labels : pandas.Series
        Given labels (NaN = missing).
    classes : numpy.ndarray
        ``np.unique`` of the present labels.
    model, cv, pred_probs, given_classes
        ``analyze()``'s ``model=``, ``cv=``, ``pred_probs=`` and ``classes=``.
    random_state : int
    progress : callable, optional
        ``progress(done, total)`` per trained fold.

    Returns
    -------
    ModelStage
    """
    from dcml_widgets.analysis import folds as folding
    from dcml_widgets.analysis import predict

    if pred_probs is None:
        result = predict.out_of_sample(
            X, labels, classes, model=model, cv=cv, random_state=random_state, progress=progress
        )
        # validate_labels already said which rows have no label and what happens to them.
        kept = tuple(note for note in result.notes if "no label" not in note)
        return ModelStage(
            result.pred_probs,
            classes,
            result.folds,
            result.too_rare,
            result.model,
            result.member_pred_probs,
            kept,
        )

    from dcml_widgets.analysis.classifiers import default_model
    from dcml_widgets.analysis.given_probs import check_pred_probs
    from dcml_widgets.analysis.members import check_models

    given = check_pred_probs(pred_probs, classes, classes=given_classes, ids=labels.index)
    classes = given.classes
    codes = encode_labels(labels, classes)
    train, too_rare = folding.split_trainable(codes, len(classes))
    folds = np.full(len(labels), -1, dtype=np.int64)
    notes = [*given.notes, "pred_probs= given: no classifier was trained for them."]
    if X.shape[1] == 0:
        notes.append(
            "pred_probs= alone (no feature column): the neighbour graph and the layout are "
            "built on sqrt(pred_probs) and outliers come from the probabilities; "
            "near_duplicate and underperforming_group are not assessed (they need features=)."
        )
        return ModelStage(given.pred_probs, classes, folds, too_rare, None, None, tuple(notes))
    # Kept for measure(): it retrains this model on the features, on these folds.
    n_folds = folding.n_folds_for(train, cv) if isinstance(cv, int) and cv >= 2 else 0
    if n_folds:
        folds = folding.assign_folds(train, n_folds, random_state)
    if model is None:
        model = default_model(
            X.shape[0],
            X.shape[1],
            len(classes),
            random_state,
            smallest_class=folding.smallest_class(train),
        )
    else:
        check_models(model)
    return ModelStage(given.pred_probs, classes, folds, too_rare, model, None, tuple(notes))


def report_options(
    *,
    label: str,
    features: Any,
    layout: Any,
    model: Any,
    cv: int,
    pred_probs: Any,
    classes: Any,
    annotations: pd.DataFrame | None,
    random_state: int | None,
    self_check: bool,
    encoder: Any,
) -> dict[str, Any]:
    """The options a report ran with, arrays and models named rather than stored.

    Parameters
    ----------
    label, features, layout, model, cv, pred_probs, classes, random_state, self_check
        As given to ``analyze()``.
    annotations : pandas.DataFrame or None
        The annotator columns used.
    encoder : FeatureEncoder
        The fitted feature encoding (kept under ``"_encoder"`` to encode a test frame).

    Returns
    -------
    dict
    """
    features_opt: list[str] | str | None
    model_opt: list[str] | str | None
    if features is None or isinstance(features, list | tuple | pd.Index):
        features_opt = None if features is None else [str(c) for c in features]
    else:
        features_opt = "<given array>"
    if model is None:
        model_opt = None
    elif isinstance(model, list | tuple):
        model_opt = [type(m).__name__ for m in model]
    else:
        model_opt = type(model).__name__
    return {
        "label": label,
        "features": features_opt,
        "layout": None if layout is None else "<given array>",
        "model": model_opt,
        "cv": cv,
        "pred_probs": None if pred_probs is None else "<given array>",
        "classes": None if classes is None else list(classes),
        "annotators": None if annotations is None else [str(c) for c in annotations.columns],
        "random_state": random_state,
        "self_check": bool(self_check),
        "_encoder": encoder,
    }
