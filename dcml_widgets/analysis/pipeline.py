"""The analysis pipeline: :func:`analyze`, and :func:`start_analysis` for a staged first look.

Stages: features -> out-of-sample model (or the user's pred_probs) -> one kNN graph (on the
features, or on sqrt(pred_probs) when there are none) -> Datalab issues -> optional
self-check -> PCA first look (-> :class:`PendingAnalysis` ``.first_look``) -> UMAP on the same
graph (``.finish()``).
Results are cached in-process by a hash of the data and the options.
"""

from __future__ import annotations

import threading
from typing import Any

import numpy as np
import pandas as pd

from dcml_widgets.analysis import data_checks, embed
from dcml_widgets.analysis.cache import AnalysisCache, cache_key
from dcml_widgets.analysis.compute import runner_for, running_on
from dcml_widgets.analysis.coverage import place_gaps
from dcml_widgets.analysis.data_checks import COVERAGE_STAGE, EXPECTATIONS_STAGE
from dcml_widgets.analysis.exclusions import excluded_ids, split_labels
from dcml_widgets.analysis.inputs import (
    annotations_frame,
    check_layout,
    check_no_features_model,
    check_options,
    is_given_array,
    missing_pattern,
)
from dcml_widgets.analysis.issues import find_issues
from dcml_widgets.analysis.knn import nearest_neighbors
from dcml_widgets.analysis.knn_probs import probability_neighbors
from dcml_widgets.analysis.labels import encode_labels
from dcml_widgets.analysis.members import disagreement_counts
from dcml_widgets.analysis.pending import LAYOUT_STAGE, PendingAnalysis
from dcml_widgets.analysis.predictions import predictions, report_options
from dcml_widgets.analysis.progress import Progress
from dcml_widgets.analysis.report import AuditReport
from dcml_widgets.analysis.self_check import run_self_check
from dcml_widgets.analysis.unlabeled import combine

FIRST_LOOK_STAGES = ("features", "model", "neighbours", "issues", "first look")
#: Runs between "issues" and "first look" when analyze(self_check=True).
SELF_CHECK_STAGE = "self-check"

_cache = AnalysisCache(max_entries=4)


def clear_cache() -> None:
    """Forget every cached analysis of this process (the next call recomputes)."""
    _cache.clear()


def analyze(
    df: pd.DataFrame,
    label: str,
    *,
    features: Any = None,
    layout: Any = None,
    model: Any = None,
    cv: int = 5,
    pred_probs: Any = None,
    classes: Any = None,
    annotators: Any = None,
    self_check: bool = False,
    unlabeled: pd.DataFrame | None = None,
    exclude: Any = None,
    random_state: int | None = 0,
    progress: bool = True,
    client: Any = None,
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
        ``None``: every column but the label (and annotator columns). A list: those columns
        (``[]`` with ``pred_probs=``: none). An array: your own vectors (e.g. neural
        embeddings), used as the model matrix, the neighbour graph and the layout input.
    layout : array-like (N, 2), optional
        Your own 2-D layout; UMAP is skipped (``embedding_method="given"``).
    model : scikit-learn classifier or list of them, optional
        Fitted on the model matrix per fold; default chosen by measurement. A list of two or
        more unfitted classifiers: each is fitted on the same stored folds, the report's
        probabilities are their mean (flags come from that consensus), and
        ``report.issues["num_models_disagreeing"]`` counts, per labelled row, the members
        whose out-of-fold prediction differs from the given label; ``measure()`` retrains
        the same list.
    cv : int
        Number of folds for the out-of-sample probabilities.
    pred_probs : array-like (N, K), optional
        Your own out-of-sample probabilities; no classifier is trained for them. Columns in
        ``np.unique(labels)`` order unless ``classes=`` names them. Rows summing to 1 within
        1e-2 are renormalised (a note gives the count); NaN, negative values or sums further
        off are refused naming the first bad row. With no feature column in ``df`` (only
        the label, ids, file paths, ...) the audit runs on ``pred_probs`` alone: the graph
        and layout are built on ``sqrt(pred_probs)`` (``report.embedding_input ==
        "pred_probs"``), outliers come from cleanlab's ``OutOfDistribution`` fitted on the
        labelled rows, near_duplicate and underperforming_group are not assessed, and
        ``measure()`` needs features. With ``features=`` as well nothing is trained either:
        your vectors feed the graph and the layout.
    classes : sequence, optional
        Only with ``pred_probs=``: the class of each of its columns, in order (e.g. your
        model's ``classes_``). ``report.classes`` is ``np.unique`` of the labels and these;
        the columns are reordered to it. A label that no column names is refused.
    annotators : list of str or pandas.DataFrame, optional
        Columns (or a frame indexed like ``df``) with one annotator's label per column, for
        the agreement analysis; those columns are never features.
    self_check : bool
        Estimate how far to trust the flags on this data set: plant round(5%) label errors
        (each to another class, uniformly) among labelled, judgeable rows the main run did
        not flag, retrain on the same folds with the same model(s) and features, rerun the
        label check, and store ``report.self_check`` (``n_planted, n_found, recall,
        precision, rate, seed``). Roughly doubles the model cost; off by default.
    unlabeled : pandas.DataFrame, optional
        Rows without labels (production data, a pool to label) with the same feature
        columns: the analysis is exactly that of ``dw.combine(df, unlabeled, label=label)``
        (their rows after ``df``'s). Rows with a missing label are the *pool*: predicted,
        placed on the map, scored for coverage (``underrepresented_score``; pool rows in a
        region no training row reaches are ``is_underrepresented_issue``, grouped in
        ``report.gaps``) and checked against the expectations inferred from the training
        rows (``is_invalid_value_issue``, ``report.invalid_values``,
        ``report.expectations``).
    exclude : sequence of row ids, optional
        Rows analysed (predicted, on the map, checked for other issues) but never trained
        on or label-checked; they keep their labels in ``report.given`` and are never pool
        (``report.excluded``).
    random_state : int or None
        Seed for folds, models, layout and the self-check (``None``: faster multi-threaded
        UMAP, not reproducible).
    progress : bool
        Show a progress bar with stage names.
    client : distributed.Client, optional
        Run the fold fits (folds x models) and the chunks of the exact neighbour search as
        tasks on this Dask cluster (the arrays go to the workers once); it wins over an
        active ``joblib.parallel_backend("dask")``, which is used otherwise. The result is
        the same as on one machine. Needs ``pip install "dcml-widgets[dask]"``.

    Returns
    -------
    AuditReport

    Raises
    ------
    KeyError
        If ``label`` (or a listed column) is not in ``df``.
    TypeError
        If ``classes=`` is given without ``pred_probs=``, a model (list member) is not a
        probabilistic scikit-learn classifier, or ``client=`` is not a Dask client.
    ImportError
        If ``client=`` is given without dask.distributed installed.
    ValueError
        If the labels are all missing, have fewer than two classes, look like a regression
        or a multi-label target; an option has the wrong shape; ``pred_probs=`` is refused
        (see above) or a label is not among ``classes=``; a model list has one member;
        ``self_check=True`` comes with ``pred_probs=`` (it needs features= or a model); or
        ``model=`` is given with ``pred_probs=`` and no features; or ``unlabeled=`` is
        refused by :func:`~dcml_widgets.combine` (labels in it, shared ids, extra columns).
    KeyError
        Also if ``unlabeled=`` lacks a feature column or ``exclude=`` names an unknown id.
    """
    return start_analysis(
        df,
        label,
        features=features,
        layout=layout,
        model=model,
        cv=cv,
        pred_probs=pred_probs,
        classes=classes,
        annotators=annotators,
        self_check=self_check,
        unlabeled=unlabeled,
        exclude=exclude,
        random_state=random_state,
        progress=progress,
        client=client,
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
    classes: Any = None,
    annotators: Any = None,
    self_check: bool = False,
    unlabeled: pd.DataFrame | None = None,
    exclude: Any = None,
    random_state: int | None = 0,
    progress: bool = True,
    client: Any = None,
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
    runner_for(client)  # a wrong client= fails before any work
    check_options(pred_probs=pred_probs, classes=classes, self_check=self_check)
    if unlabeled is not None:
        df = combine(df, unlabeled, label=label)
    options = {
        "label": label,
        "features": features,
        "layout": layout,
        "model": model,
        "cv": cv,
        "pred_probs": pred_probs,
        "classes": classes,
        "annotators": annotators,
        "self_check": bool(self_check),
        "exclude": excluded_ids(df.index, exclude),
        "random_state": random_state,
    }
    key = cache_key(df, options)
    cached = _cache.get(key)
    if cached is not None:
        return cached
    runner = runner_for(client)  # not in the key: where it runs does not change the result
    with running_on(runner):
        pending = _run(df, progress=progress, **options)
    _cache.put(key, pending)
    return pending


def _run(df: pd.DataFrame, *, progress: bool, **opts: Any) -> PendingAnalysis:
    from dcml_widgets.analysis.features import build_features
    from dcml_widgets.analysis.metrics import per_class_metrics

    label, features, seed = opts["label"], opts["features"], opts["random_state"]
    split = split_labels(df, label, opts["exclude"])
    labels, classes, notes = split.labels, split.classes, split.notes
    annotations = annotations_frame(df, label, opts["annotators"])
    given_layout = check_layout(opts["layout"], len(df))
    n = len(df)
    wants_umap = given_layout is None and n >= embed.MIN_UMAP_ROWS
    if wants_umap:
        # Compile UMAP's numba code while the classifier trains (once per process).
        threading.Thread(
            target=embed.warm_up, kwargs={"seeded": seed is not None}, daemon=True
        ).start()

    checks = [COVERAGE_STAGE, EXPECTATIONS_STAGE]
    checks += [SELF_CHECK_STAGE] if opts["self_check"] else []
    stages = [*FIRST_LOOK_STAGES[:4], *checks, FIRST_LOOK_STAGES[4]]
    bar = Progress(
        stages + [LAYOUT_STAGE] * wants_umap, enabled=bool(progress), title="dcml-widgets"
    )
    try:
        with bar.stage("features"):
            exclude = [] if annotations is None else list(annotations.columns)
            exclude = [c for c in exclude if c in df.columns]
            fm = build_features(
                df,
                label,
                features,
                exclude=exclude,
                random_state=_seed(seed),
                allow_empty=opts["pred_probs"] is not None,
                # the user's model already saw the pictures; decoding every file for raw
                # pixels would cost more than the whole audit (pass features= to use them)
                images=not (opts["pred_probs"] is not None and features is None),
            )
            X = fm.matrix
            if is_given_array(features):
                embedding_input = "given"
            else:
                embedding_input = "features" if X.shape[1] else "pred_probs"
            if embedding_input == "pred_probs":
                check_no_features_model(opts["model"])
        with bar.stage("model"):
            pred = predictions(
                X,
                labels,
                classes,
                model=opts["model"],
                cv=opts["cv"],
                pred_probs=opts["pred_probs"],
                given_classes=opts["classes"],
                random_state=_seed(seed),
                progress=bar.fraction,
            )
            classes, probs = pred.classes, pred.pred_probs
            notes += list(pred.notes)
        with bar.stage("neighbours"):
            k = min(embed.N_NEIGHBORS - 1, n - 1)
            if embedding_input == "pred_probs":
                reduced = embed.reduce_dimensions(np.sqrt(probs), random_state=_seed(seed))
                graph = probability_neighbors(probs, k)
            else:
                reduced = embed.reduce_dimensions(X, random_state=_seed(seed))
                graph = nearest_neighbors(reduced, k, random_state=seed)
        with bar.stage("issues"):
            found = find_issues(
                labels,
                classes,
                probs,
                graph,
                missing=missing_pattern(df, label, features, exclude),
                too_rare=pred.too_rare,
                pred_probs_only=embedding_input == "pred_probs",
            )
            notes += list(found.notes)
            issues = found.issues
            codes = encode_labels(labels, classes)
            if pred.member_pred_probs is not None:
                issues = issues.assign(
                    num_models_disagreeing=disagreement_counts(
                        pred.member_pred_probs, codes, labels.index
                    )
                )
            issues["given_label"] = split.given
        with bar.stage(COVERAGE_STAGE):
            covered = data_checks.coverage(split, graph, reduced, classes, _seed(seed))
        with bar.stage(EXPECTATIONS_STAGE):
            schema, checked = data_checks.expectations(df, fm.plan, split.trained)
        issues, summary, invalid, more_notes = data_checks.join_results(
            issues, found.summary, covered, checked
        )
        notes += list(more_notes)
        check = None
        if opts["self_check"]:
            with bar.stage(SELF_CHECK_STAGE):
                check = run_self_check(
                    X,
                    codes,
                    pred.folds,
                    pred.model,
                    issues["is_label_issue"].to_numpy(bool)
                    if "is_label_issue" in issues
                    else np.zeros(n, bool),
                    pred.too_rare,
                    graph,
                    labels.index,
                    classes,
                    seed=seed,
                    progress=bar.fraction,
                )
        with bar.stage("first look"):
            predicted = pd.Series(classes[probs.argmax(axis=1)], index=labels.index)
            known = labels.notna().to_numpy()
            metrics, accuracy = per_class_metrics(labels[known], predicted[known], classes)
            agreement = _agreement(annotations, classes, probs)
            if given_layout is not None:
                coords, method = given_layout, "given"
            else:
                coords, method = embed.pca_layout(reduced, random_state=_seed(seed)), "pca"
                if not wants_umap:
                    notes.append(
                        f"Only {n} rows (UMAP needs {embed.MIN_UMAP_ROWS}): the layout is PCA."
                    )
            gaps = place_gaps(covered.gaps, labels.index, coords)
    except BaseException:
        bar.close("stopped", ok=False)
        raise

    report = AuditReport(
        label=label,
        ids=labels.index,
        classes=classes,
        given=split.given,
        pred_probs=probs,
        predicted=predicted,
        folds=pred.folds,
        feature_plan=data_checks.plan_with_expectations(fm.plan, schema),
        model_matrix=X,
        model=pred.model,
        issues=issues,
        summary=summary,
        embedding=coords,
        embedding_method=method,
        metrics=metrics,
        accuracy=float(accuracy),
        agreement=agreement,
        options=report_options(
            **{k: v for k, v in opts.items() if k not in ("annotators", "exclude")},
            annotations=annotations,
            encoder=fm.encoder,
        ),
        notes=tuple(dict.fromkeys(notes)),
        timings=dict(bar.timings),
        embedding_input=embedding_input,
        member_pred_probs=pred.member_pred_probs,
        self_check=check,
        excluded=split.excluded if split.excluded.any() else None,
        gaps=gaps,
        invalid_values=invalid,
        expectations=schema,
    )
    return PendingAnalysis(report, reduced if wants_umap else None, graph, bar)


def _seed(random_state: int | None) -> int:
    return 0 if random_state is None else int(random_state)


def _agreement(annotations, classes, probs):
    if annotations is None:
        return None
    from dcml_widgets.analysis.agreement import annotator_agreement

    return annotator_agreement(annotations, classes, pred_probs=probs)
