"""The analysis pipeline: :func:`analyze`, and :func:`start_analysis` for a staged first look.

Stages: features -> out-of-sample model -> one kNN graph -> Datalab issues -> PCA first look
(-> :class:`PendingAnalysis` ``.first_look``) -> UMAP on the same graph (``.finish()``).
Results are cached in-process by a hash of the data and the options.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from dcml_widgets.analysis import embed
from dcml_widgets.analysis.cache import AnalysisCache, cache_key
from dcml_widgets.analysis.issues import find_issues
from dcml_widgets.analysis.knn import nearest_neighbors
from dcml_widgets.analysis.labels import encode_labels, validate_labels
from dcml_widgets.analysis.progress import Progress
from dcml_widgets.analysis.report import AuditReport

FIRST_LOOK_STAGES = ("features", "model", "neighbours", "issues", "first look")
LAYOUT_STAGE = "layout (UMAP)"

_cache = AnalysisCache(max_entries=4)


def clear_cache() -> None:
    """Forget every cached analysis of this process (the next call recomputes)."""
    _cache.clear()


class PendingAnalysis:
    """An analysis whose first look is ready and whose UMAP layout may still be running.

    Made by :func:`start_analysis`, not by hand.

    Parameters
    ----------
    first_look : AuditReport
        The report without a UMAP layout.
    layout_input : numpy.ndarray or None
        The (PCA-reduced) matrix UMAP lays out; ``None`` when no UMAP is due.
    graph : KnnGraph
        The shared neighbour graph UMAP reuses.
    progress : Progress
        The bar the layout stage reports to (closed when done).

    Attributes
    ----------
    first_look : AuditReport
        Everything but the UMAP layout: ``embedding_method`` is ``"pca"`` (or ``"given"``).
    """

    def __init__(
        self, first_look: AuditReport, layout_input: np.ndarray | None, graph, progress
    ) -> None:
        self.first_look = first_look
        self._layout_input = layout_input
        self._graph = graph
        self._progress = progress
        self._final: AuditReport | None = None
        self._lock = threading.Lock()
        if layout_input is None:
            self._final = first_look
            progress.close()

    @property
    def done(self) -> bool:
        """Whether :meth:`finish` has completed (the final report exists)."""
        return self._final is not None

    def finish(self) -> AuditReport:
        """Run UMAP (when needed) and return the final report.

        Safe to call from a background thread; idempotent: later calls, from any thread,
        return the same report (a call made while one runs waits for it).

        Returns
        -------
        AuditReport
        """
        with self._lock:
            if self._final is not None:
                return self._final
            report = self.first_look
            seed = report.options.get("random_state")
            assert self._layout_input is not None  # else the first look was final already
            with self._progress.stage(LAYOUT_STAGE):
                coords = embed.umap_layout(self._layout_input, self._graph, random_state=seed)
            timings = {**report.timings, LAYOUT_STAGE: self._progress.timings[LAYOUT_STAGE]}
            self._final = report.replace(embedding=coords, embedding_method="umap", timings=timings)
            self._progress.close()
            # The graph and reduced matrix are no longer needed; free them.
            self._layout_input = self._graph = None
            return self._final


def analyze(
    df: pd.DataFrame,
    label: str,
    *,
    features: Any = None,
    layout: Any = None,
    model: Any = None,
    cv: int = 5,
    pred_probs: Any = None,
    annotators: Any = None,
    random_state: int | None = 0,
    progress: bool = True,
) -> AuditReport:
    """Audit a labelled frame: out-of-sample predictions, data issues and a 2-D layout.

    Blocks until complete (UMAP included). The same data with the same options again in
    this process returns the cached report at once.

    Parameters
    ----------
    df : pandas.DataFrame
        Rows to audit; its index is the row ids (unique, int or str).
    label : str
        Label column (classification only; missing labels are left out of training).
    features : None, list of str, or array-like (N, d)
        ``None``: every column but the label (and annotator columns). A list: those columns.
        An array: your own vectors (e.g. neural embeddings), used as the model matrix.
    layout : array-like (N, 2), optional
        Your own 2-D layout; UMAP is skipped (``embedding_method="given"``).
    model : scikit-learn classifier, optional
        Fitted on the model matrix per fold; default chosen by measurement.
    cv : int
        Number of folds for the out-of-sample probabilities.
    pred_probs : array-like (N, K), optional
        Your own out-of-sample probabilities, columns in ``np.unique(labels)`` order; skips
        the classifier.
    annotators : list of str or pandas.DataFrame, optional
        Columns (or a frame indexed like ``df``) with one annotator's label per column, for
        the agreement analysis; those columns are never features.
    random_state : int or None
        Seed for folds, models and layout (``None``: faster multi-threaded UMAP, not
        reproducible).
    progress : bool
        Show a progress bar with stage names.

    Returns
    -------
    AuditReport

    Raises
    ------
    KeyError
        If ``label`` (or a listed column) is not in ``df``.
    ValueError
        If the labels are all missing, have fewer than two classes, look like a regression
        or a multi-label target, or an option has the wrong shape.
    """
    return start_analysis(
        df,
        label,
        features=features,
        layout=layout,
        model=model,
        cv=cv,
        pred_probs=pred_probs,
        annotators=annotators,
        random_state=random_state,
        progress=progress,
    ).finish()


def start_analysis(
    df: pd.DataFrame,
    label: str,
    *,
    features: Any = None,
    layout: Any = None,
    model: Any = None,
    cv: int = 5,
    pred_probs: Any = None,
    annotators: Any = None,
    random_state: int | None = 0,
    progress: bool = True,
) -> PendingAnalysis:
    """Run everything but UMAP and return a :class:`PendingAnalysis`.

    ``.first_look`` is usable at once (PCA layout); ``.finish()`` (e.g. in a background
    thread) adds the UMAP layout. Parameters and errors as :func:`analyze`.

    Returns
    -------
    PendingAnalysis
    """
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"analyze() expects a pandas DataFrame, got {type(df).__name__}.")
    options = {
        "label": label,
        "features": features,
        "layout": layout,
        "model": model,
        "cv": cv,
        "pred_probs": pred_probs,
        "annotators": annotators,
        "random_state": random_state,
    }
    key = cache_key(df, options)
    cached = _cache.get(key)
    if cached is not None:
        return cached
    pending = _run(df, progress=progress, **options)
    _cache.put(key, pending)
    return pending


def _run(
    df: pd.DataFrame,
    *,
    label: str,
    features: Any,
    layout: Any,
    model: Any,
    cv: int,
    pred_probs: Any,
    annotators: Any,
    random_state: int | None,
    progress: bool,
) -> PendingAnalysis:
    from dcml_widgets.analysis.features import build_features
    from dcml_widgets.analysis.metrics import per_class_metrics

    labels, classes, notes = validate_labels(df, label)
    annotations = _annotations(df, label, annotators)
    given_layout = _check_layout(layout, len(df))
    n = len(df)
    wants_umap = given_layout is None and n >= embed.MIN_UMAP_ROWS
    if wants_umap:
        # Compile UMAP's numba code while the classifier trains (once per process).
        threading.Thread(
            target=embed.warm_up, kwargs={"seeded": random_state is not None}, daemon=True
        ).start()

    stages = [*FIRST_LOOK_STAGES, LAYOUT_STAGE] if wants_umap else list(FIRST_LOOK_STAGES)
    bar = Progress(stages, enabled=bool(progress), title="dcml-widgets")
    try:
        with bar.stage("features"):
            exclude = [] if annotations is None else list(annotations.columns)
            exclude = [c for c in exclude if c in df.columns]
            fm = build_features(
                df, label, features, exclude=exclude, random_state=_seed(random_state)
            )
            X = fm.matrix
        with bar.stage("model"):
            pred = _predictions(X, labels, classes, model, cv, pred_probs, random_state, bar)
            notes += list(pred["notes"])
        with bar.stage("neighbours"):
            reduced = embed.reduce_dimensions(X, random_state=_seed(random_state))
            k = min(embed.N_NEIGHBORS - 1, n - 1)
            graph = nearest_neighbors(reduced, k, random_state=random_state)
        with bar.stage("issues"):
            missing = _missing_pattern(df, label, features, exclude)
            found = find_issues(
                labels,
                classes,
                pred["pred_probs"],
                graph,
                missing=missing,
                too_rare=pred["too_rare"],
            )
            notes += list(found.notes)
        with bar.stage("first look"):
            probs = pred["pred_probs"]
            predicted = pd.Series(classes[probs.argmax(axis=1)], index=labels.index)
            known = labels.notna().to_numpy()
            metrics, accuracy = per_class_metrics(labels[known], predicted[known], classes)
            agreement = _agreement(annotations, classes, probs)
            if given_layout is not None:
                coords, method = given_layout, "given"
            else:
                coords, method = embed.pca_layout(reduced, random_state=_seed(random_state)), "pca"
                if not wants_umap:
                    notes.append(
                        f"Only {n} rows (UMAP needs {embed.MIN_UMAP_ROWS}): the layout is PCA."
                    )
    except BaseException:
        bar.close("stopped", ok=False)
        raise

    report = AuditReport(
        label=label,
        ids=labels.index,
        classes=classes,
        given=labels,
        pred_probs=probs,
        predicted=predicted,
        folds=pred["folds"],
        feature_plan=fm.plan,
        model_matrix=X,
        model=pred["model"],
        issues=found.issues,
        summary=found.summary,
        embedding=coords,
        embedding_method=method,
        metrics=metrics,
        accuracy=float(accuracy),
        agreement=agreement,
        options=_report_options(
            label, features, layout, model, cv, pred_probs, annotations, random_state, fm
        ),
        notes=tuple(dict.fromkeys(notes)),
        timings=dict(bar.timings),
    )
    return PendingAnalysis(report, reduced if wants_umap else None, graph, bar)


def _seed(random_state: int | None) -> int:
    return 0 if random_state is None else int(random_state)


def _predictions(X, labels, classes, model, cv, pred_probs, random_state, bar) -> dict:
    from dcml_widgets.analysis import predict

    if pred_probs is None:
        result = predict.out_of_sample(
            X,
            labels,
            classes,
            model=model,
            cv=cv,
            random_state=_seed(random_state),
            progress=bar.fraction,
        )
        # validate_labels already said which rows have no label and what happens to them.
        notes = [note for note in result.notes if "no label" not in note]
        return {
            "pred_probs": result.pred_probs,
            "folds": result.folds,
            "too_rare": result.too_rare,
            "model": result.model,
            "notes": notes,
        }
    probs = predict.validate_pred_probs(pred_probs, len(labels), classes)
    codes = encode_labels(labels, classes)
    train, too_rare = predict.split_trainable(codes, len(classes))
    n_folds = predict.n_folds_for(train, cv) if isinstance(cv, int) and cv >= 2 else 0
    folds = np.full(len(labels), -1, dtype=np.int64)
    if n_folds:
        folds = predict.assign_folds(train, n_folds, _seed(random_state))
    if model is None:
        model = predict.default_model(X.shape[0], X.shape[1], len(classes), _seed(random_state))
    notes = ["pred_probs= given: no classifier was trained for them."]
    return {
        "pred_probs": probs,
        "folds": folds,
        "too_rare": too_rare,
        "model": model,
        "notes": notes,
    }


def _annotations(df: pd.DataFrame, label: str, annotators: Any) -> pd.DataFrame | None:
    if annotators is None:
        return None
    if isinstance(annotators, pd.DataFrame):
        if not annotators.index.isin(df.index).all() or len(annotators.columns) == 0:
            raise ValueError(
                "annotators= as a DataFrame must be indexed by the same row ids as df, with "
                "one column per annotator."
            )
        return annotators.reindex(df.index)
    if isinstance(annotators, str) or not isinstance(annotators, Sequence | pd.Index):
        raise TypeError(
            "annotators= must be a list of column names (one per annotator) or a DataFrame "
            f"indexed like df; got {type(annotators).__name__}."
        )
    columns = list(annotators)
    absent = [c for c in columns if c not in df.columns]
    if absent:
        raise KeyError(f"annotators= names column(s) {absent} that are not in df.")
    if label in columns or not columns:
        raise ValueError("annotators= must list annotator columns other than the label.")
    return df[columns]


def _agreement(annotations, classes, probs):
    if annotations is None:
        return None
    from dcml_widgets.analysis.agreement import annotator_agreement

    return annotator_agreement(annotations, classes, pred_probs=probs)


def _check_layout(layout: Any, n: int) -> np.ndarray | None:
    if layout is None:
        return None
    try:
        coords = np.asarray(layout, dtype=np.float32)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"layout= must be a numeric (N, 2) array: {exc}") from exc
    if coords.shape != (n, 2):
        raise ValueError(f"layout= must have shape (N, 2) = ({n}, 2); got {coords.shape}.")
    if not np.isfinite(coords).all():
        raise ValueError("layout= holds NaN or infinite values.")
    return np.ascontiguousarray(coords)


def _missing_pattern(df, label, features, exclude) -> np.ndarray | None:
    """Which raw input values are missing, for Datalab's null check."""
    if features is not None and not isinstance(features, list | tuple | pd.Index):
        values = np.asarray(features)
        if values.dtype.kind in "fc" and values.ndim == 2:
            return np.isnan(values)
        return np.zeros((len(df), 1), bool)
    columns = (
        list(features)
        if features is not None
        else [c for c in df.columns if c != label and c not in set(exclude)]
    )
    if not columns:
        return None
    return df[columns].isna().to_numpy()


def _report_options(label, features, layout, model, cv, pred_probs, annotations, seed, fm):
    features_opt: list[str] | str | None
    if features is None or isinstance(features, list | tuple | pd.Index):
        features_opt = None if features is None else [str(c) for c in features]
    else:
        features_opt = "<given array>"
    return {
        "label": label,
        "features": features_opt,
        "layout": None if layout is None else "<given array>",
        "model": None if model is None else type(model).__name__,
        "cv": cv,
        "pred_probs": None if pred_probs is None else "<given array>",
        "annotators": None if annotations is None else [str(c) for c in annotations.columns],
        "random_state": seed,
        "_encoder": fm.encoder,
    }
