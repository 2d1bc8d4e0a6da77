"""The exercise checks judge answers against the planted truth, not against the audit."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import dcml_widgets as dw
from dcml_widgets.lessons import (
    ExerciseNotSolved,
    check_collect_next,
    check_fixes,
    check_kept_fraud,
    check_suspects,
)


@pytest.fixture(scope="module")
def demo():
    return dw.datasets.demo()


def test_suspects_the_true_flips_pass_and_random_rows_fail(demo, capsys):
    flipped = demo.attrs["flipped"]
    assert check_suspects(pd.Index(flipped), demo) == "your answer finds 64 of the 64 flips"
    assert "✓" in capsys.readouterr().out
    others = [i for i in demo.index if i not in set(flipped)][: len(flipped)]
    with pytest.raises(ExerciseNotSolved, match="finds 0 of the 64 flips"):
        check_suspects(others, demo)
    with pytest.raises(ExerciseNotSolved, match="not filled in yet"):
        check_suspects(None, demo)
    with pytest.raises(ExerciseNotSolved, match="holds 3 rows; pick exactly 64"):
        check_suspects(flipped[:3], demo)
    with pytest.raises(ExerciseNotSolved, match="collection of row ids"):
        check_suspects("row 5", demo)


def test_fixes_need_precision_and_enough_flips(demo):
    flipped = demo.attrs["flipped"]
    right = [i for i in demo.index if i not in set(flipped)]
    check_fixes(np.array(flipped[:40]), demo)  # numpy ids are fine
    with pytest.raises(ExerciseNotSolved, match="too many correct labels"):
        check_fixes(flipped[:40] + right[:40], demo)
    with pytest.raises(ExerciseNotSolved, match="leaves most flips"):
        check_fixes(flipped[:10], demo)
    with pytest.raises(ExerciseNotSolved, match="empty"):
        check_fixes([], demo)


def test_excluding_a_fraud_case_fails_and_the_typos_alone_pass():
    tx = pd.DataFrame({"amount": [10.0, 5000.0, 900.0, 12.0], "fraud": [0, 0, 1, 0]})
    tx.attrs["typos"] = [1]
    check_kept_fraud([1], tx)
    with pytest.raises(ExerciseNotSolved, match="exclude 1 fraud case"):
        check_kept_fraud([1, 2], tx)
    with pytest.raises(ExerciseNotSolved, match="1 of the 1 entry errors are still in"):
        check_kept_fraud([0], tx)


def test_collect_next_names_the_sideways_scanner():
    pool = dw.datasets.demo_pool(n_rows=40)
    check_collect_next("S5", pool)
    with pytest.raises(ExerciseNotSolved, match="'S4' is not the scanner"):
        check_collect_next("S4", pool)


def test_weak_slice_names_the_noisy_scanner_and_explains_a_lucky_miss(demo):
    from types import SimpleNamespace

    from dcml_widgets.lessons import check_weak_slice

    assert check_weak_slice(("scanner", "S4"), demo).startswith("right: scanner S4")
    slices = pd.DataFrame(
        {"column": ["writer"], "value": ["w16"], "n": [31], "ci_low": [-0.52], "ci_high": [0.02]}
    )
    report = SimpleNamespace(slices=slices)
    with pytest.raises(ExerciseNotSolved, match=r"between -0.52 and \+0.02 on 31 rows: .*chance"):
        check_weak_slice(("writer", "w16"), demo, report)
    with pytest.raises(ExerciseNotSolved, match="a \\(column, value\\) pair"):
        check_weak_slice("S4", demo)
    with pytest.raises(ExerciseNotSolved, match="not filled in yet"):
        check_weak_slice(None, demo)
