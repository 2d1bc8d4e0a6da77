"""Lesson 3's checks: conflicting labels settled, guidelines written where people disagree."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from dcml_widgets.lessons.checks import ExerciseNotSolved


def _truth(df: pd.DataFrame) -> pd.Series:
    """The planted true label of every row, indexed like ``df``."""
    return pd.Series(df.attrs["true_label"], index=df.index)


def check_conflicts_resolved(state: Any, df: pd.DataFrame) -> str:
    """Lesson 3: every planted pair of near-identical rows now carries one, right, label.

    Parameters
    ----------
    state : DatasetState
        The lesson's state (``dash.state``), after the learner's edits.
    df : pandas.DataFrame
        ``dw.datasets.demo(...)``: ``attrs["conflicting_pairs"]`` lists the planted
        ``[kept, copy]`` pairs, ``attrs["true_label"]`` the true digits.

    Returns
    -------
    str
        What the answer settled (also printed).

    Raises
    ------
    ExerciseNotSolved
        If a pair still has two labels, or was given one label that is wrong.
    """
    pairs = [tuple(p) for p in df.attrs["conflicting_pairs"]]
    truth = _truth(df)
    labels = state.labels
    hint = (
        "For each `conflict_group` in `report.issues`, count the annotators' votes on its "
        "rows (df.loc[members, annotators].stack().mode()) and relabel the whole group to "
        "that digit — or use the grid's resolve button on each group."
    )
    split = [p for p in pairs if labels[p[0]] != labels[p[1]]]
    if split:
        kept, copy = split[0]
        raise ExerciseNotSolved(
            f"{len(split)} of the {len(pairs)} conflict groups still hold two labels, e.g. "
            f"rows {kept} and {copy} (labels {labels[kept]} and {labels[copy]}). {hint}"
        )
    wrong = [p for p in pairs if labels[p[0]] != truth[p[0]]]
    if wrong:
        kept, copy = wrong[0]
        raise ExerciseNotSolved(
            f"{len(wrong)} group(s) agree on the wrong digit, e.g. rows {kept} and {copy} "
            f"are both labelled {labels[kept]}. The model cannot settle a pair of twins: "
            f"each twin was scored by a model that learnt the other's label. {hint}"
        )
    message = f"all {len(pairs)} conflict groups settled on the right digit"
    print(f"✓ {message}")
    return message


def most_confused_pair(df: pd.DataFrame, annotators: list[str]) -> tuple[Any, Any]:
    """The two classes the annotators mix up most often (both directions counted).

    Parameters
    ----------
    df : pandas.DataFrame
        With ``attrs["true_label"]`` and the annotator columns.
    annotators : list of str
        The annotator columns.

    Returns
    -------
    tuple
        The two classes, smaller first.
    """
    truth = _truth(df)
    counts: dict[tuple[Any, Any], int] = {}
    for column in annotators:
        said = df[column]
        mask = said.notna().to_numpy() & (said.to_numpy() != truth.to_numpy())
        for a, b in zip(truth[mask], said[mask], strict=True):
            key = (min(a, b), max(a, b))
            counts[key] = counts.get(key, 0) + 1
    a, b = max(counts, key=lambda k: counts[k])
    return (
        a.item() if isinstance(a, np.generic) else a,
        b.item() if isinstance(b, np.generic) else b,
    )


def check_guidelines(state: Any, df: pd.DataFrame, annotators: list[str]) -> str:
    """Lesson 3: a guideline, with typical rows as examples, for the two classes the
    annotators confuse most.

    Parameters
    ----------
    state : DatasetState
        The lesson's state, after ``state.set_guideline(...)`` calls.
    df : pandas.DataFrame
        With ``attrs["true_label"]`` and the annotator columns.
    annotators : list of str
        The annotator columns.

    Returns
    -------
    str
        The confirmation (also printed).

    Raises
    ------
    ExerciseNotSolved
        If either class lacks a guideline text or an example, or an example row is of
        another class.
    """
    pair = most_confused_pair(df, annotators)
    truth = _truth(df)
    hint = (
        "Find the pair: where an annotator's label differs from the consensus "
        "(`report.agreement.per_row['consensus_label']`), count (said, consensus) pairs. "
        "Then `dash.state.set_guideline(cls, text, examples=ids)` for both classes, with "
        "ids from `report.prototypes`."
    )
    guidelines = state.guidelines.set_index("class")
    written = [c for c in guidelines.index if str(guidelines.loc[c, "text"]).strip()]
    if not written:
        raise ExerciseNotSolved(f"no guideline is written yet. {hint}")
    for cls in pair:
        if cls not in written:
            others = ", ".join(str(c) for c in written)
            raise ExerciseNotSolved(
                f"there is no guideline for class {cls} (you wrote one for {others}): it is "
                f"one of the two classes the annotators confuse most. {hint}"
            )
        examples = tuple(guidelines.loc[cls, "examples"])
        if not examples:
            raise ExerciseNotSolved(
                f"the guideline for class {cls} has no examples: a typical row shows what "
                f"the words mean. {hint}"
            )
        off = [i for i in examples if truth[i] != cls]
        if off:
            raise ExerciseNotSolved(
                f"example row {off[0]} of class {cls}'s guideline is really a {truth[off[0]]}: "
                f"pick typical rows, such as `report.prototypes`. {hint}"
            )
    message = f"guidelines with examples for classes {pair[0]} and {pair[1]}"
    print(f"✓ {message}")
    return message
