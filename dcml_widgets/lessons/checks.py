"""One check per exercise: compare the learner's answer with the lesson's planted truth."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd


class ExerciseNotSolved(AssertionError):
    """The answer is missing or not good enough yet; the message says what to try."""


def _ids(answer: Any, name: str, hint: str) -> set:
    """The answer as a set of row ids, or a clear failure when it is not filled in."""
    if answer is None or answer is Ellipsis:
        raise ExerciseNotSolved(f"`{name}` is not filled in yet. {hint}")
    if isinstance(answer, (str, bytes)) or not isinstance(answer, Iterable):
        raise ExerciseNotSolved(
            f"`{name}` should be a collection of row ids (a list or a pandas Index), "
            f"got {type(answer).__name__}. {hint}"
        )
    return {v.item() if isinstance(v, np.generic) else v for v in answer}


def check_suspects(suspects: Any, df: pd.DataFrame) -> str:
    """Lesson 1: as many rows as were flipped, and most of them really flipped.

    Parameters
    ----------
    suspects : collection of row ids
        The learner's pick: the rows to look at first.
    df : pandas.DataFrame
        ``dw.datasets.demo()`` (its ``attrs["flipped"]`` holds the truth).

    Returns
    -------
    str
        What the answer found (also printed).

    Raises
    ------
    ExerciseNotSolved
        If the answer is missing, of the wrong size, or finds under three quarters of the flips.
    """
    flipped = set(df.attrs["flipped"])
    hint = (
        f"Take the {len(flipped)} rows with the lowest `label_score` in "
        "`dash.report.issues` (sort_values, then .index[:n])."
    )
    picked = _ids(suspects, "suspects", hint)
    if len(picked) != len(flipped):
        raise ExerciseNotSolved(
            f"`suspects` holds {len(picked)} rows; pick exactly {len(flipped)}. {hint}"
        )
    found = len(picked & flipped)
    message = f"your answer finds {found} of the {len(flipped)} flips"
    if found < 0.75 * len(flipped):
        raise ExerciseNotSolved(f"{message}; a good ranking finds at least three quarters. {hint}")
    print(f"✓ {message}")
    return message


def check_fixes(fixed: Any, df: pd.DataFrame, *, min_precision: float = 0.65) -> str:
    """Lesson 2: the rows relabelled without a look are nearly all real flips, and many.

    Parameters
    ----------
    fixed : collection of row ids
        Rows the learner would relabel to the suggestion without reviewing them.
    df : pandas.DataFrame
        ``dw.datasets.demo()`` (its ``attrs["flipped"]`` holds the truth).
    min_precision : float
        The share of ``fixed`` that must really be flipped.

    Returns
    -------
    str
        What the answer achieved (also printed).

    Raises
    ------
    ExerciseNotSolved
        If the answer is missing, too small (under 40% of the flips) or not precise enough.
    """
    flipped = set(df.attrs["flipped"])
    hint = (
        "Keep the flagged rows (`is_label_issue`) on which every model disagrees with the "
        "given label (`num_models_disagreeing` == the number of models)."
    )
    picked = _ids(fixed, "sure_fixes", hint)
    if not picked:
        raise ExerciseNotSolved(f"`sure_fixes` is empty. {hint}")
    found = len(picked & flipped)
    precision = found / len(picked)
    message = (
        f"your answer finds {found} of the {len(flipped)} flips; "
        f"{precision:.0%} of the {len(picked)} rows you picked are real flips"
    )
    if precision < min_precision:
        raise ExerciseNotSolved(
            f"{message}: too many correct labels would be changed without a look "
            f"(aim for {min_precision:.0%}). {hint}"
        )
    if found < 0.4 * len(flipped):
        raise ExerciseNotSolved(f"{message}: that leaves most flips for later. {hint}")
    print(f"✓ {message}")
    return message


def check_kept_fraud(excluded: Any, df: pd.DataFrame) -> str:
    """Lesson 4: exclude the entry errors among the outliers, keep every fraud case.

    Parameters
    ----------
    excluded : collection of row ids
        Rows the learner would exclude.
    df : pandas.DataFrame
        The lesson's transactions: ``attrs["typos"]`` lists the entry errors, the label
        column ``fraud`` marks fraud cases.

    Returns
    -------
    str
        What the answer kept and removed (also printed).

    Raises
    ------
    ExerciseNotSolved
        If a fraud case is excluded, a typo is kept, or the answer is missing.
    """
    typos = set(df.attrs["typos"])
    hint = (
        "Look at the flagged outliers (`is_outlier_issue`): the frauds are rare but real; "
        "the typos have amounts no till produces. Exclude only those."
    )
    picked = _ids(excluded, "to_exclude", hint)
    fraud = set(df.index[df["fraud"] == 1])
    lost = picked & fraud
    if lost:
        raise ExerciseNotSolved(
            f"you would exclude {len(lost)} fraud case(s), e.g. row {sorted(lost)[0]}: an "
            f"outlier that is the very thing the model must learn. {hint}"
        )
    missed = typos - picked
    if missed:
        raise ExerciseNotSolved(
            f"{len(missed)} of the {len(typos)} entry errors are still in, e.g. row "
            f"{sorted(missed)[0]}. {hint}"
        )
    extra = picked - typos
    if len(extra) > len(typos):
        raise ExerciseNotSolved(
            f"you exclude {len(extra)} ordinary rows as well: flag, don't delete. {hint}"
        )
    message = f"every fraud case kept, all {len(typos)} entry errors excluded"
    print(f"✓ {message}")
    return message


def check_collect_next(answer: Any, pool: pd.DataFrame) -> str:
    """Lesson 4: name the scanner whose digits the training rows do not cover.

    Parameters
    ----------
    answer : str
        A value of the pool's ``scanner`` column.
    pool : pandas.DataFrame
        ``dw.datasets.demo_pool()`` (its ``attrs["sideways"]`` holds the truth).

    Returns
    -------
    str
        The confirmation (also printed).

    Raises
    ------
    ExerciseNotSolved
        If the answer is missing or names another scanner.
    """
    hint = (
        "Look up the rows in `report.gaps.example_ids` (or select the gap in the map) and "
        "read their `scanner` column."
    )
    if answer is None or answer is Ellipsis:
        raise ExerciseNotSolved(f"`collect_next` is not filled in yet. {hint}")
    truth = pool.attrs["sideways"]["value"]
    if str(answer) != truth:
        raise ExerciseNotSolved(f"{answer!r} is not the scanner the gap comes from. {hint}")
    rows = len(pool.attrs["sideways"]["rows"])
    message = f"right: label more pages from scanner {truth} ({rows} rows of this pool)"
    print(f"✓ {message}")
    return message


def check_own_probabilities(report: Any, df: pd.DataFrame) -> str:
    """Lesson 6: your own probabilities are out-of-sample, so the audit finds the flips.

    Parameters
    ----------
    report : AuditReport
        ``dw.analyze(df, label=..., pred_probs=your_probabilities, ...)``.
    df : pandas.DataFrame
        ``dw.datasets.demo()`` (its ``attrs["flipped"]`` holds the truth).

    Returns
    -------
    str
        What the audit found (also printed).

    Raises
    ------
    ExerciseNotSolved
        If the audit finds under half of the flips (a model that has seen the rows it
        scores agrees with their labels, wrong ones included).
    """
    flipped = set(df.attrs["flipped"])
    issues = report.issues
    found = len(flipped & set(issues.index[issues["is_label_issue"].astype(bool)]))
    message = f"your probabilities find {found} of the {len(flipped)} flips"
    if found < 0.5 * len(flipped):
        raise ExerciseNotSolved(
            f"{message}. A model scored on the rows it was fitted on has learnt their labels, "
            "wrong ones too: use sklearn's cross_val_predict(..., method='predict_proba') so "
            "each row is scored by a model that never saw it."
        )
    print(f"✓ {message}")
    return message


def check_weak_slice(answer: Any, df: pd.DataFrame, report: Any = None) -> str:
    """Lesson 4: name the slice where the model is worse beyond chance.

    Parameters
    ----------
    answer : tuple
        ``(column, value)``, e.g. ``("writer", "w03")``.
    df : pandas.DataFrame
        ``dw.datasets.demo()`` (its ``attrs["weak_slice"]`` holds the truth).
    report : AuditReport, optional
        The audit of ``df``: with it, a wrong answer is told its slice's interval.

    Returns
    -------
    str
        The confirmation (also printed).

    Raises
    ------
    ExerciseNotSolved
        If the answer is missing, not a pair, or names another slice.
    """
    hint = (
        "In `report.slices`, a slice is worse beyond chance when its whole interval of the "
        "gap (ci_low to ci_high) lies below 0 (`significant`); the lowest accuracy alone can "
        "be a small slice that is worse by chance."
    )
    if answer is None or answer is Ellipsis:
        raise ExerciseNotSolved(f"`weak_slice` is not filled in yet. {hint}")
    pair = list(answer) if isinstance(answer, (tuple, list, pd.Index)) else None
    if pair is None or len(pair) != 2:
        raise ExerciseNotSolved(
            f"`weak_slice` should be a (column, value) pair such as ('writer', 'w03'), got "
            f"{answer!r}. {hint}"
        )
    column, value = (str(v) for v in pair)
    truth = df.attrs["weak_slice"]
    if (column, value) != (truth["column"], truth["value"]):
        detail = ""
        slices = getattr(report, "slices", None)
        if isinstance(slices, pd.DataFrame) and not slices.empty:
            match = slices[
                (slices["column"].astype(str) == column) & (slices["value"].astype(str) == value)
            ]
            if not match.empty:
                row = match.iloc[0]
                detail = (
                    f" Its gap lies between {row['ci_low']:+.2f} and {row['ci_high']:+.2f} on "
                    f"{int(row['n'])} rows"
                    + (": that includes 0, so it may be chance." if row["ci_high"] >= 0 else ".")
                )
        raise ExerciseNotSolved(f"{column} = {value} is not the weak slice.{detail} {hint}")
    rows = len(truth["rows"])
    message = f"right: {column} {value} ({rows} rows) is where the model is worse"
    print(f"✓ {message}")
    return message
