"""Per-row data issues from cleanlab's Datalab, fed the shared kNN graph.

Three Datalab runs share the work: the neighbourhood checks (outlier, near_duplicate,
non_iid) on every row and the shared graph; the label checks (label, class_imbalance,
underperforming_group) on the labelled rows and their out-of-sample probabilities; the null
check on the raw columns' missing-value pattern. Datalab cannot take missing labels, hence
the split. Column names stay Datalab's.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import warnings

import numpy as np
import pandas as pd
import scipy.sparse as sp

from dcml_widgets.analysis.contradicted import CONTRADICTED, contradicted
from dcml_widgets.analysis.knn import KnnGraph
from dcml_widgets.analysis.non_iid import ISSUE_TYPE as NON_IID
from dcml_widgets.analysis.non_iid import find_non_iid
from dcml_widgets.analysis.printed import captured_stdout

#: Issue types in the order the summary lists them.
ISSUE_TYPES = (
    "label",
    "outlier",
    "near_duplicate",
    "non_iid",
    "class_imbalance",
    "null",
    "underperforming_group",
)
#: Neighbours Datalab's graph checks use (its default).
DATALAB_K = 10
_GRAPH_CHECKS = ("outlier", "near_duplicate", "non_iid")
_LABEL_CHECKS = ("label", "class_imbalance", "underperforming_group")
_NEAR_SETS = "near_duplicate_sets"  # carried out of _run_datalab in the frame's attrs
_CLUSTERS = "clusters"  # carried out of _label_checks likewise


@dataclasses.dataclass(frozen=True)
class IssueResult:
    """What :func:`find_issues` found.

    Attributes
    ----------
    issues : pandas.DataFrame
        Index = row ids; Datalab's ``is_<type>_issue`` / ``<type>_score`` columns plus
        ``given_label``, ``suggested_label`` (the predicted class where a label is suspect,
        else NaN) and ``is_too_rare``.
    summary : pandas.DataFrame
        One row per issue type: ``issue_type, num_issues, score``; NaN = not assessed.
    notes : tuple of str
        Checks that could not run, and why.
    near_duplicate_sets : list of numpy.ndarray or None
        Datalab's near-duplicate set of each row (row positions of its near duplicates);
        ``None`` when near_duplicate was not assessed.
    clusters : numpy.ndarray or None
        ``(N,)`` the cluster id per row that underperforming_group judged (``-1`` noise);
        ``None`` when it was not assessed.
    """

    issues: pd.DataFrame
    summary: pd.DataFrame
    notes: tuple[str, ...] = ()
    near_duplicate_sets: list[np.ndarray] | None = None
    clusters: np.ndarray | None = None


def find_issues(
    labels: pd.Series,
    classes: np.ndarray,
    pred_probs: np.ndarray,
    graph: KnnGraph,
    *,
    missing: np.ndarray | None = None,
    too_rare: np.ndarray | None = None,
    k: int = DATALAB_K,
    pred_probs_only: bool = False,
) -> IssueResult:
    """Run Datalab's checks, reusing ``graph`` so nothing searches neighbours again.

    Parameters
    ----------
    labels : pandas.Series
        Given labels, index = row ids; NaN/None where missing (those rows skip label checks).
    classes : numpy.ndarray
        Sorted class labels; ``pred_probs`` columns follow them.
    pred_probs : numpy.ndarray
        ``(N, K)`` out-of-sample probabilities.
    graph : KnnGraph
        Shared neighbour graph over the same rows (at least ``k`` neighbours, or ``N - 1``).
    missing : numpy.ndarray, optional
        ``(N, c)`` bool: which raw input values are missing (for the null check). Without it
        the null check is not assessed.
    too_rare : numpy.ndarray, optional
        ``(N,)`` bool: rows whose class was too small to judge; never flagged as label issues.
    k : int
        Neighbours Datalab uses (sliced from the graph).
    pred_probs_only : bool
        There are no features: ``graph`` is built on ``sqrt(pred_probs)``. Outliers then come
        from the probabilities (:func:`~dcml_widgets.analysis.ood.pred_probs_outliers`), and
        near_duplicate and underperforming_group, which need features, are not assessed.

    Returns
    -------
    IssueResult
    """
    n = len(labels)
    pred_probs = np.asarray(pred_probs, dtype=np.float64)
    if pred_probs.shape != (n, len(classes)):
        raise ValueError(f"pred_probs has shape {pred_probs.shape}, expected {(n, len(classes))}.")
    if graph.n_rows != n:
        raise ValueError(f"The kNN graph has {graph.n_rows} rows but there are {n} labels.")
    ids = labels.index
    labelled = labels.notna().to_numpy()
    codes = np.full(n, -1, dtype=np.int64)
    codes[labelled] = np.searchsorted(classes, labels[labelled].to_numpy())
    too_rare = np.zeros(n, bool) if too_rare is None else np.asarray(too_rare, bool)

    frames: list[pd.DataFrame] = []
    summaries: list[pd.DataFrame] = []
    notes: list[str] = []
    k = min(k, graph.k)

    knn_csr = graph.to_csr(k)
    graph_checks = ("non_iid",) if pred_probs_only else _GRAPH_CHECKS
    # non_iid runs apart, one permutation at a time (analysis/non_iid.py: 6 GB at 1M rows)
    checks: dict[str, dict] = {t: {} for t in graph_checks if t != NON_IID}
    near_sets = None
    found, summary, failed = pd.DataFrame(index=pd.RangeIndex(n)), pd.DataFrame(), []
    if checks:
        found, summary, failed = _run_datalab(
            {"row": np.arange(n)}, None, checks, knn_graph=knn_csr
        )
        near_sets = found.attrs.pop(_NEAR_SETS, None)
    non_iid, non_iid_summary, non_iid_failed = find_non_iid(knn_csr)
    found = pd.concat([found, non_iid], axis=1)
    summary = pd.concat([summary, non_iid_summary], ignore_index=True)
    failed += non_iid_failed
    frames.append(found)
    summaries.append(summary)
    notes += failed
    if pred_probs_only:
        from dcml_widgets.analysis.ood import pred_probs_outliers

        found, summary = pred_probs_outliers(codes, pred_probs)
        frames.append(found)
        summaries.append(summary)

    label_frame, label_summary, failed = _label_checks(
        codes, labelled, pred_probs, None if pred_probs_only else knn_csr
    )
    clusters = label_frame.attrs.pop(_CLUSTERS, None)
    frames.append(label_frame)
    summaries.append(label_summary)
    if pred_probs_only:  # not a failure: the pipeline's note says why it is not assessed
        failed = [f for f in failed if not f.startswith("underperforming_group")]
    notes += failed

    if missing is not None:
        frame, summary, failed = _null_check(np.asarray(missing, bool), n)
        frames.append(frame)
        summaries.append(summary)
        notes += failed

    issues = pd.concat([f.reset_index(drop=True) for f in frames], axis=1)
    issues.index = ids
    issues = _add_label_columns(issues, labels, classes, pred_probs, too_rare)
    if too_rare.any() and "is_label_issue" in issues:
        notes.append(
            f"{int(too_rare.sum())} rows belong to classes too small to judge "
            "(is_too_rare); they are not flagged as label issues."
        )
    return IssueResult(
        issues=issues,
        summary=_summary(summaries, issues),
        notes=tuple(notes),
        near_duplicate_sets=near_sets,
        clusters=clusters,
    )


def label_issue_flags(
    codes: np.ndarray, pred_probs: np.ndarray, graph: KnnGraph, too_rare: np.ndarray
) -> np.ndarray:
    """The rows :func:`find_issues` would flag as label issues, for other labels.

    The same label check on the same graph (used by the self-check to rerun on planted
    labels).

    Parameters
    ----------
    codes : numpy.ndarray
        ``(N,)`` class positions, ``-1`` = unlabelled.
    pred_probs : numpy.ndarray
        ``(N, K)`` out-of-sample probabilities for these labels.
    graph : KnnGraph
        The analysis's graph.
    too_rare : numpy.ndarray
        ``(N,)`` bool: rows never flagged.

    Returns
    -------
    numpy.ndarray
        ``(N,)`` bool.
    """
    knn_csr = graph.to_csr(min(DATALAB_K, graph.k))
    frame, _, _ = _label_checks(codes, codes >= 0, np.asarray(pred_probs, np.float64), knn_csr)
    if "is_label_issue" not in frame:
        return np.zeros(len(codes), dtype=bool)
    return frame["is_label_issue"].to_numpy(dtype=bool) & ~np.asarray(too_rare, bool)


def _label_checks(
    codes: np.ndarray, labelled: np.ndarray, pred_probs: np.ndarray, knn_csr: sp.csr_matrix
) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """label, class_imbalance and underperforming_group on the labelled rows only."""
    rows = np.flatnonzero(labelled)
    n = len(codes)
    frame = pd.DataFrame(index=pd.RangeIndex(n))
    if len(rows) < 2:
        return frame, pd.DataFrame(), ["Label checks not assessed: fewer than two labels."]
    # n_jobs=1: cleanlab's find_label_issues otherwise forks a multiprocessing Pool, which
    # hangs inside servers that run the kernel in threads (marimo); the result is the same.
    issue_types: dict[str, dict] = {
        # A new dict each run: cleanlab stores its confident joint in these kwargs.
        "label": {"clean_learning_kwargs": {"find_label_issues_kwargs": {"n_jobs": 1}}},
        "class_imbalance": {},
    }
    clusters = _clusters(knn_csr)
    if clusters is not None:
        issue_types["underperforming_group"] = {"cluster_ids": clusters[rows]}
    found, summary, failed = _run_datalab(
        {"label": codes[rows]}, "label", issue_types, pred_probs=pred_probs[rows]
    )
    if clusters is None:
        failed.append("underperforming_group not assessed: the kNN graph could not be clustered.")
    found.index = rows
    frame = found.reindex(frame.index)
    for col in frame.columns:
        if col.startswith("is_"):
            frame[col] = frame[col].fillna(False).astype(bool)
    if clusters is not None and "is_underperforming_group_issue" in frame:
        frame.attrs[_CLUSTERS] = np.asarray(clusters)
    if "is_label_issue" in frame:
        against = contradicted(codes, pred_probs) & ~frame["is_label_issue"].to_numpy(bool)
        frame.loc[against, "is_label_issue"] = True
        if against.any():
            failed.append(
                f"{int(against.sum())} label issues beyond cleanlab's find_label_issues: the "
                f"model prefers another class and gives the label under {CONTRADICTED:g}/K "
                "(half of chance)."
            )
    return frame, summary, failed


def _clusters(knn_csr) -> np.ndarray | None:
    """Cluster ids as Datalab's underperforming_group makes them (DBSCAN on the graph).

    ``None`` when the graph cannot be clustered, or when there is no feature graph
    (``knn_csr`` None: with pred_probs alone, groups of similar rows are not assessed).

    Done here, on all rows, because Datalab only clusters the rows it is given. Datalab's
    fixed ``eps=0.5`` finds no cluster at all once distances exceed it (most standardised
    data); ``eps`` = the median distance to the k-th neighbour scales with the data instead.
    """
    from sklearn.cluster import DBSCAN

    if knn_csr is None:
        return None
    n = knn_csr.shape[0]
    kth = knn_csr.data.reshape(n, -1)[:, -1]
    eps = float(np.median(kth))
    if not eps > 0:
        eps = 0.5
    try:
        return DBSCAN(eps=eps, metric="precomputed").fit_predict(knn_csr.copy())
    except ValueError:
        return None


def _null_check(missing: np.ndarray, n: int):
    if missing.ndim != 2 or missing.shape[0] != n or missing.shape[1] == 0:
        return pd.DataFrame(index=pd.RangeIndex(n)), pd.DataFrame(), []
    values = np.where(missing, np.nan, 0.0)
    return _run_datalab({"row": np.arange(n)}, None, {"null": {}}, features=values)


def _run_datalab(data, label_name, issue_types, **inputs):
    """One quiet Datalab run; returns (issues, summary, notes on checks that failed)."""
    from cleanlab import Datalab

    probs = inputs.get("pred_probs")
    if label_name is not None and probs is not None:
        data = _with_all_classes(data, label_name, probs.shape[1])
    lab = Datalab(data=data, label_name=label_name, verbosity=0)
    # Datalab prints (not raises) when a check fails; capture it to report "not assessed".
    with (
        captured_stdout() as printed,
        warnings.catch_warnings(),
        _quiet_logging(),
    ):
        warnings.simplefilter("ignore")
        lab.find_issues(issue_types=issue_types, **inputs)
    summary = lab.issue_summary.copy()
    ran = set(summary["issue_type"]) if len(summary) else set()
    failed = []
    for name in issue_types:
        if name not in ran:
            reason = _failure_reason(printed.getvalue(), name)
            failed.append(f"{name} not assessed: {reason}")
    keep = [c for c in lab.issues.columns if _belongs(c, issue_types)]
    found = lab.issues[keep].reset_index(drop=True)
    if "near_duplicate" in ran:
        found.attrs[_NEAR_SETS] = list(lab.get_info("near_duplicate")["near_duplicate_sets"])
    return found, summary, failed


def _with_all_classes(data: dict, label_name: str, n_classes: int):
    """Tell Datalab every class, also those no labelled row has (``classes=`` may name them).

    Datalab takes the classes from the labels it sees, and its label check fails when
    pred_probs has more columns; a ``ClassLabel`` feature gives it all of them.
    """
    codes = np.asarray(data[label_name])
    if len(np.unique(codes)) == n_classes:
        return data
    import datasets

    features = datasets.Features({label_name: datasets.ClassLabel(num_classes=n_classes)})
    return datasets.Dataset.from_dict({label_name: codes}, features=features)


def _belongs(column: str, issue_types) -> bool:
    return any(column in (f"is_{t}_issue", f"{t}_score") for t in issue_types)


def _failure_reason(output: str, name: str) -> str:
    for line in output.splitlines():
        if line.startswith(f"Error in {name}:"):
            return line.split(":", 1)[1].strip()
    return "Datalab did not run this check."


@contextlib.contextmanager
def _quiet_logging():
    logger = logging.getLogger("cleanlab")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _add_label_columns(issues, labels, classes, pred_probs, too_rare):
    predicted = pd.Series(classes[pred_probs.argmax(axis=1)], index=issues.index)
    issues["given_label"] = labels
    issues["is_too_rare"] = too_rare
    if "is_label_issue" in issues:
        issues.loc[too_rare, "is_label_issue"] = False
        suspect = issues["is_label_issue"].to_numpy(bool)
        issues["suggested_label"] = predicted.where(suspect)
    else:
        issues["suggested_label"] = pd.Series(np.nan, index=issues.index, dtype=object)
    return issues


def _summary(summaries: list[pd.DataFrame], issues: pd.DataFrame) -> pd.DataFrame:
    found = pd.concat([s for s in summaries if len(s)], ignore_index=True) if summaries else None
    rows = []
    for name in ISSUE_TYPES:
        match = None if found is None else found[found["issue_type"] == name]
        if match is None or match.empty:
            rows.append({"issue_type": name, "num_issues": pd.NA, "score": np.nan})
            continue
        num = int(match["num_issues"].iloc[0])
        if name == "label" and "is_label_issue" in issues:
            # Rows from too-rare classes were unflagged after Datalab counted them.
            num = int(issues["is_label_issue"].sum())
        rows.append({"issue_type": name, "num_issues": num, "score": float(match["score"].iloc[0])})
    summary = pd.DataFrame(rows, columns=["issue_type", "num_issues", "score"])
    # Counts are integers; <NA> (nullable Int64) marks a check that was not assessed.
    return summary.astype({"num_issues": "Int64", "score": np.float64})
