"""The analysis pipeline: :func:`analyze`, and :func:`start_analysis` for a staged first look.

The stages (:mod:`~dcml_widgets.analysis.stages`) run up to a PCA first look
(-> :class:`PendingAnalysis` ``.first_look``); UMAP on the same graph follows (``.finish()``).
Results are cached in-process by a hash of the data and the options.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from dcml_widgets.analysis.cache import AnalysisCache, cache_key
from dcml_widgets.analysis.compute import runner_for, running_on
from dcml_widgets.analysis.exclusions import excluded_ids
from dcml_widgets.analysis.inputs import check_options
from dcml_widgets.analysis.pending import PendingAnalysis
from dcml_widgets.analysis.report import AuditReport
from dcml_widgets.analysis.slices import check_slices_option
from dcml_widgets.analysis.stages import FIRST_LOOK_STAGES, SELF_CHECK_STAGE, run_stages
from dcml_widgets.analysis.unlabeled import combine

__all__ = ["FIRST_LOOK_STAGES", "SELF_CHECK_STAGE", "analyze", "clear_cache", "start_analysis"]

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
    slices: Any = None,
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
    slices : None, False or list of str
        Columns to look for weak slices in (``report.slices``: accuracy of each value's
        labelled rows against the rest, with a 95% interval of the gap and a significance
        corrected for the number of slices). ``None``: every string, category or bool column
        with 2–50 values that is not the label, an annotator, an identifier or free text;
        a list names them (numeric ones binned into quantiles); ``False``: off. Datalab's
        underperforming_group clusters are listed too.
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
        slices=slices,
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
    slices: Any = None,
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
    check_slices_option(df, label, slices)
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
        "slices": slices if slices is None or slices is False else [str(c) for c in slices],
        "random_state": random_state,
    }
    key = cache_key(df, options)
    cached = _cache.get(key)
    if cached is not None:
        return cached
    runner = runner_for(client)  # not in the key: where it runs does not change the result
    with running_on(runner):
        pending = run_stages(df, progress=progress, **options)
    _cache.put(key, pending)
    return pending
