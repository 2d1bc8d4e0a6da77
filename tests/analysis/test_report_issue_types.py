"""AuditReport.issue_types / issue_mask: the one place views learn which rows have an issue."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.factories import blobs_frame, quick_report


def test_issue_types_list_assessed_types_in_summary_order_and_masks_match_the_flags():
    df, _ = blobs_frame(n=120, seed=3)
    report = quick_report(df)
    issues = report.issues.copy()
    issues["is_outlier_issue"] = False
    issues.loc[issues.index[[2, 5]], "is_outlier_issue"] = True
    issues["is_near_duplicate_issue"] = pd.array([pd.NA] * len(issues), dtype="boolean")
    summary = pd.DataFrame(
        {
            "issue_type": ["label", "outlier", "near_duplicate", "non_iid"],
            "num_issues": pd.array([3, 2, pd.NA, 0], dtype="Int64"),
            "score": [0.9, 0.5, np.nan, 0.1],
        }
    )
    report = report.replace(issues=issues, summary=summary)
    # near_duplicate is not assessed; non_iid has no per-row column
    assert report.issue_types == ("label", "outlier")
    mask = report.issue_mask("outlier")
    assert mask.dtype == bool and mask.shape == (len(df),)
    assert np.flatnonzero(mask).tolist() == [2, 5]
    expected = issues["is_label_issue"].to_numpy(dtype=bool)
    assert np.array_equal(report.issue_mask("label"), expected)
    with pytest.raises(KeyError, match="near_duplicate"):
        report.issue_mask("near_duplicate")
    with pytest.raises(KeyError, match="assessed issue type"):
        report.issue_mask("spelling")
