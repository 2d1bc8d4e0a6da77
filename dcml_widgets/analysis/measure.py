"""Measure whether edits helped: retrain on the edited labels, compare per class.

:func:`compare` is pure: it takes a report and the current labels and exclusions, and returns
a :class:`Comparison`. ``dw.measure(state)`` (in :mod:`dcml_widgets.session.measuring`) calls
it with the state's current labels.
"""

from __future__ import annotations

import dataclasses
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
from dcml_widgets.analysis.members import (
    fit_full,
    fit_predict_members,
    is_model_list,
    predict_mean,
)
from dcml_widgets.analysis.metrics import confusion_counts, per_class_metrics
from dcml_widgets.analysis.predict import fit_predict_folds
from dcml_widgets.analysis.slice_changes import slice_changes

_METRICS = ("precision", "recall", "f1", "support")


@dataclasses.dataclass(frozen=True)
class Comparison:
    """Per-class metrics before and after the edits.

    Attributes
    ----------
    table : pandas.DataFrame
        Index = class; for each of precision, recall, f1, support: ``<m>_before``,
        ``<m>_after`` and ``<m>_delta`` (after - before).
    accuracy_before, accuracy_after : float
        Overall accuracy before and after.
    on_test : bool
        True when both models were scored on a trusted test set.
    n_edits : int
        Number of edit groups (commands) behind the "after" labels.
    note : str
        How to read the figures (e.g. out-of-sample on the edited labels is optimistic).
    slices : pandas.DataFrame
        Each of ``report.slices`` (its keys) with ``accuracy_before, accuracy_after,
        accuracy_delta`` on its rows (:mod:`~dcml_widgets.analysis.slice_changes`); NaN
        with ``test=``, whose rows are not the report's.
    confusion_before, confusion_after : pandas.DataFrame
        K x K int64 counts, index ``given`` (the label scored against), columns
        ``predicted``, classes in ``table.index`` order. "after" leaves excluded rows out;
        with a test set both count the test rows.
    """

    table: pd.DataFrame
    accuracy_before: float
    accuracy_after: float
    on_test: bool
    n_edits: int
    note: str
    slices: pd.DataFrame = dataclasses.field(default_factory=pd.DataFrame)
    confusion_before: pd.DataFrame = dataclasses.field(default_factory=pd.DataFrame)
    confusion_after: pd.DataFrame = dataclasses.field(default_factory=pd.DataFrame)

    @property
    def accuracy_delta(self) -> float:
        """``accuracy_after - accuracy_before``."""
        return self.accuracy_after - self.accuracy_before

    @property
    def macro_f1_before(self) -> float:
        """Mean F1 over the classes with rows before (NaN when none has)."""
        return _macro_f1(self.table, "before")

    @property
    def macro_f1_after(self) -> float:
        """Mean F1 over the classes with rows after (NaN when none has)."""
        return _macro_f1(self.table, "after")

    @property
    def macro_f1_delta(self) -> float:
        """``macro_f1_after - macro_f1_before``."""
        return self.macro_f1_after - self.macro_f1_before

    def _repr_html_(self) -> str:
        head = (
            f"<p>accuracy {self.accuracy_before:.3f} → {self.accuracy_after:.3f} "
            f"({self.accuracy_delta:+.3f}) after {self.n_edits} edit(s). {self.note}</p>"
        )
        return head + self.table.to_html(float_format=lambda v: f"{v:.3f}")


def _macro_f1(table: pd.DataFrame, side: str) -> float:
    present = table[f"support_{side}"] > 0
    return float(table.loc[present, f"f1_{side}"].mean()) if present.any() else float("nan")


@dataclasses.dataclass(frozen=True)
class _Scored:
    """What both sides were scored on: labels and predictions per row, and how to read them."""

    classes: np.ndarray
    truth_before: np.ndarray
    predicted_before: np.ndarray
    truth_after: np.ndarray
    predicted_after: np.ndarray
    note: str


def _table(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    columns = {}
    for metric in _METRICS:
        columns[f"{metric}_before"] = before[metric]
        columns[f"{metric}_after"] = after[metric]
        columns[f"{metric}_delta"] = after[metric] - before[metric]
    table = pd.DataFrame(columns, index=before.index)
    for kind in ("before", "after", "delta"):
        table[f"support_{kind}"] = table[f"support_{kind}"].astype(np.int64)
    return table


def _aligned(values: pd.Series, ids: pd.Index, name: str) -> pd.Series:
    if not isinstance(values, pd.Series):
        raise TypeError(f"{name} must be a pandas Series indexed by row id.")
    missing = ids.difference(values.index)
    if len(missing):
        raise ValueError(
            f"{name} lacks {len(missing)} of the report's row ids (e.g. {list(missing[:3])}); "
            "measure with the state the report was made for."
        )
    return values.reindex(ids)


def _all_classes(report: Any, *label_sets: pd.Series) -> np.ndarray:
    extra = set()
    for labels in label_sets:
        extra.update(pd.unique(labels.dropna()))
    known = list(report.classes)
    new = [c for c in extra if c not in set(known)]
    try:
        new = sorted(new)
    except TypeError:
        new = sorted(new, key=str)
    return np.asarray(known + new, dtype=object if new else np.asarray(known).dtype)


def _model(report: Any, given: pd.Series, classes: np.ndarray) -> Any:
    if report.model is not None:
        return report.model
    x = report.model_matrix
    trained, _ = split_trainable(encode_labels(given, classes), len(classes))
    smallest = smallest_class(trained)
    return default_model(x.shape[0], x.shape[1], len(classes), smallest_class=smallest)


def _predict_labels(fitted: list[Any], x: np.ndarray, classes: np.ndarray) -> np.ndarray:
    return classes[predict_mean(fitted, x, len(classes)).argmax(axis=1)]


def _on_test(
    report: Any, x: np.ndarray, given: pd.Series, edited: pd.Series, test: pd.DataFrame
) -> _Scored:
    if not isinstance(test, pd.DataFrame):
        raise TypeError(f"test= must be a pandas DataFrame; got {type(test).__name__}.")
    if report.label not in test.columns:
        raise KeyError(f"test= frame has no label column {report.label!r}.")
    encoder = report.options.get("_encoder") if report.options else None
    if encoder is None:
        raise ValueError(
            "This report carries no feature encoder, so the test frame cannot be encoded; "
            "re-run dw.analyze() on the frame to measure against a test set."
        )
    test = test[test[report.label].notna()]
    if len(test) == 0:
        raise ValueError("test= frame has no labelled rows.")
    x_test = encoder.transform(test)
    classes = _all_classes(report, given, edited, test[report.label])
    model = _model(report, given, classes)
    before = _predict_labels(fit_full(x, encode_labels(given, classes), model), x_test, classes)
    after = _predict_labels(fit_full(x, encode_labels(edited, classes), model), x_test, classes)
    y_test = test[report.label].to_numpy()
    note = (
        f"Both models scored on the trusted test set ({len(test)} rows): trained on the "
        f"original labels (before) and on the edited labels without excluded rows (after)."
    )
    return _Scored(classes, y_test, before, y_test, after, note)


def _folds_for(trainable: np.ndarray, base: np.ndarray, cv: int, random_state: int) -> np.ndarray:
    """The report's folds where it has them; rows new to training join them round-robin."""
    folds = base.copy()
    n_folds = int(folds.max()) + 1 if folds.size else 0
    if n_folds < 2:
        n_folds = n_folds_for(trainable, cv)
        if n_folds < 2:
            return np.full(len(trainable), -1, dtype=np.int64)
        return assign_folds(trainable, n_folds, random_state)
    fresh = np.flatnonzero((folds < 0) & (trainable >= 0))
    folds[fresh] = np.arange(fresh.size) % n_folds
    return np.where(trainable >= 0, folds, -1)


def _oof_predictions(
    x: np.ndarray,
    codes: np.ndarray,
    base: np.ndarray,
    classes: np.ndarray,
    model: Any,
    options: dict,
) -> np.ndarray:
    trainable, _ = split_trainable(codes, len(classes))
    seed = int(options.get("random_state", 0) or 0)
    cv = options.get("cv", 5)
    folds = _folds_for(trainable, base, cv if isinstance(cv, int) and cv >= 2 else 5, seed)
    if folds.max(initial=-1) < 1 or len(np.unique(trainable[trainable >= 0])) < 2:
        return np.full(len(x), None, dtype=object)
    if is_model_list(model):
        probs, _ = fit_predict_members(x, trainable, folds, len(classes), list(model))
    else:
        probs = fit_predict_folds(x, trainable, folds, len(classes), model)
    return classes[probs.argmax(axis=1)]


def _out_of_sample(report: Any, x: np.ndarray, given: pd.Series, edited: pd.Series) -> _Scored:
    classes = _all_classes(report, given, edited)
    model = _model(report, given, classes)
    base = np.asarray(report.folds, dtype=np.int64)
    options = report.options or {}
    own_probs = options.get("pred_probs") is None and report.model is not None
    if own_probs and base.max(initial=-1) >= 1:
        # The report's probabilities are exactly this retrain on the original labels.
        predicted_before = classes[np.asarray(report.pred_probs).argmax(axis=1)]
    else:
        predicted_before = _oof_predictions(
            x, encode_labels(given, classes), base, classes, model, options
        )
    predicted_after = _oof_predictions(
        x, encode_labels(edited, classes), base, classes, model, options
    )
    note = (
        "Out-of-sample on the same folds, each scored against its own labels: the after "
        "figures are measured against the edited labels, so they are optimistic. Pass "
        "test= (a trusted labelled frame) for an unbiased comparison."
    )
    return _Scored(
        classes, given.to_numpy(), predicted_before, edited.to_numpy(), predicted_after, note
    )


def compare(
    report: Any,
    labels: pd.Series,
    excluded: pd.Series,
    *,
    test: pd.DataFrame | None = None,
    n_edits: int = 0,
) -> Comparison:
    """Retrain the report's model on the current labels and compare with the original.

    A model list is retrained as a list (each member on the same folds, their mean).

    Without ``test``: the report's out-of-sample predictions on the original labels (before)
    against a retrain with the report's folds on the current labels, excluded rows dropped
    (after) — each scored against its own labels, which flatters the edited ones. With a
    trusted ``test`` frame: one model trained on the original labels and one on the edited
    labels (excluded rows dropped), both scored on the test set.

    Parameters
    ----------
    report : AuditReport
        The analysis the edits started from.
    labels : pandas.Series
        Current labels, index = the report's ids (NaN = unlabelled).
    excluded : pandas.Series
        Bool, index = the report's ids; True rows are left out of the "after" model.
    test : pandas.DataFrame, optional
        Trusted labelled frame with the analysed feature columns and the label column.
    n_edits : int
        Number of edit groups behind ``labels`` (reported as is).

    Returns
    -------
    Comparison

    Raises
    ------
    TypeError, KeyError, ValueError
        If the labels do not cover the report's ids, or the test frame is unusable.
    ValueError
        If the report was analysed from ``pred_probs=`` alone (no features to retrain on).
    """
    if getattr(report, "embedding_input", "features") == "pred_probs":
        raise ValueError(
            "measure() needs features= or a model: this report was analysed from pred_probs= "
            "alone, so nothing can be retrained on the edited labels. Re-run "
            "dw.analyze(df, label, pred_probs=..., features=...) with your embeddings (an "
            "(N, d) array) or feature columns."
        )
    ids = report.ids
    labels = _aligned(labels, ids, "labels")
    excluded = _aligned(excluded, ids, "excluded").fillna(False).astype(bool)
    x = np.asarray(report.model_matrix)
    given = report.given.reindex(ids)
    # "Before" is what the report trained on: rows it was told to exclude are not in it.
    left_out = getattr(report, "excluded", None)
    if left_out is not None and np.any(left_out):
        given = given.astype(object).where(~np.asarray(left_out, dtype=bool), None)
    edited = labels.astype(object).where(~excluded.to_numpy(), None)
    edited = edited.where(edited.notna(), None)
    if test is not None:
        scored = _on_test(report, x, given, edited, test)
        changes = slice_changes(report, None, None, None, None)
    else:
        scored = _out_of_sample(report, x, given, edited)
        changes = slice_changes(
            report,
            pd.Series(scored.truth_before),
            scored.predicted_before,
            pd.Series(scored.truth_after),
            scored.predicted_after,
        )
    classes = scored.classes
    before, acc_b = per_class_metrics(scored.truth_before, scored.predicted_before, classes)
    after, acc_a = per_class_metrics(scored.truth_after, scored.predicted_after, classes)
    return Comparison(
        table=_table(before, after),
        accuracy_before=float(acc_b),
        accuracy_after=float(acc_a),
        on_test=test is not None,
        n_edits=int(n_edits),
        note=scored.note,
        slices=changes,
        confusion_before=confusion_counts(scored.truth_before, scored.predicted_before, classes),
        confusion_after=confusion_counts(scored.truth_after, scored.predicted_after, classes),
    )
