"""Outliers from predicted probabilities alone, when there are no features to measure distance.

cleanlab's :class:`~cleanlab.outlier.OutOfDistribution` scores how atypical each row's
probability vector is; with its default ``adjust_pred_probs`` it needs labels to fit (per-class
confident thresholds), so it is fitted on the labelled rows and scores every row, unlabelled
ones included. Rows are flagged the way Datalab flags pred_probs-based outliers: a score below
its default fraction of the median score.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from dcml_widgets.analysis.printed import captured_stdout


def pred_probs_outliers(
    codes: np.ndarray, pred_probs: np.ndarray
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``is_outlier_issue`` and ``outlier_score`` for every row from ``pred_probs``.

    Parameters
    ----------
    codes : numpy.ndarray
        ``(N,)`` class positions, ``-1`` = unlabelled (not used to fit).
    pred_probs : numpy.ndarray
        ``(N, K)`` probabilities.

    Returns
    -------
    issues : pandas.DataFrame
        ``is_outlier_issue`` (bool), ``outlier_score`` (0-1, lower = more atypical); RangeIndex.
    summary : pandas.DataFrame
        One row: ``issue_type`` "outlier", ``num_issues``, ``score`` (mean score).
    """
    from cleanlab.datalab.internal.issue_manager.outlier import OutlierIssueManager
    from cleanlab.outlier import OutOfDistribution

    labelled = codes >= 0
    ood = OutOfDistribution()
    with captured_stdout(), warnings.catch_warnings():
        # cleanlab warns about classes without labelled rows; their threshold stays neutral.
        warnings.simplefilter("ignore")
        ood.fit(pred_probs=pred_probs[labelled], labels=codes[labelled], verbose=False)
        scores = np.asarray(ood.score(pred_probs=pred_probs), dtype=np.float64)
    threshold = OutlierIssueManager.DEFAULT_THRESHOLDS["pred_probs"] * float(np.median(scores))
    flags = scores < threshold
    issues = pd.DataFrame({"is_outlier_issue": flags, "outlier_score": scores})
    summary = pd.DataFrame(
        [{"issue_type": "outlier", "num_issues": int(flags.sum()), "score": float(scores.mean())}]
    )
    return issues, summary
