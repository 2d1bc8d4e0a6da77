"""Lesson 5's check reads a comparison's test figures and its targeted confusion."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dcml_widgets.analysis.measure import Comparison
from dcml_widgets.lessons import ExerciseNotSolved, check_intervention
from dcml_widgets.lessons.intervention import worst_confusions


def confusion(cells: dict[tuple[int, int], int]) -> pd.DataFrame:
    counts = np.diag([10, 10, 10]).astype(np.int64)
    for (given, predicted), n in cells.items():
        counts[given, predicted] = n
    return pd.DataFrame(
        counts,
        index=pd.Index([0, 1, 2], name="given"),
        columns=pd.Index([0, 1, 2], name="predicted"),
    )


def comparison(before: float, after: float, *, on_test=True, n_edits=1, cells_after=None):
    return Comparison(
        table=pd.DataFrame(),
        accuracy_before=before,
        accuracy_after=after,
        on_test=on_test,
        n_edits=n_edits,
        note="",
        confusion_before=confusion({(2, 1): 4, (1, 2): 4, (0, 1): 1}),
        confusion_after=confusion(cells_after or {(2, 1): 1, (1, 2): 2, (0, 1): 1}),
    )


def test_worst_confusions_keeps_ties_and_skips_the_diagonal():
    assert worst_confusions(confusion({(2, 1): 4, (1, 2): 4, (0, 1): 1})) == [(1, 2), (2, 1)]
    assert worst_confusions(confusion({})) == []


def test_a_measured_fix_that_helps_where_aimed_passes(capsys):
    message = check_intervention(comparison(0.80, 0.90))
    assert message == "test accuracy 0.800 -> 0.900; 1 read as 2 and 2 read as 1: 8 -> 3 test rows"
    assert capsys.readouterr().out.startswith("✓")


@pytest.mark.parametrize(
    ("cmp", "expected"),
    [
        (None, "not filled in yet"),
        ("0.9", "should be what `dash.measure\\(\\)` returns, got str"),
        (comparison(0.80, 0.95, on_test=False), "flatters every fix"),
        (comparison(0.80, 0.80, n_edits=0), "no edit is behind"),
        (comparison(0.80, 0.79), "0.800 -> 0.790: that fix did not help"),
        (
            comparison(0.80, 0.90, cells_after={(2, 1): 4, (1, 2): 4}),
            "worst confusion \\(1 read as 2 and 2 read as 1\\) is still 8",
        ),
    ],
)
def test_each_way_of_missing_says_what_to_do(cmp, expected):
    with pytest.raises(ExerciseNotSolved, match=expected):
        check_intervention(cmp)
