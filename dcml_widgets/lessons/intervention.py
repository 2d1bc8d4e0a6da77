"""Lesson 5's check: a fix measured against a trusted test set, where it was aimed."""

from __future__ import annotations

from typing import Any

import pandas as pd

from dcml_widgets.lessons.checks import ExerciseNotSolved

#: The least gain in test accuracy that counts as "the fix helped".
MIN_GAIN = 0.02


def worst_confusions(confusion: pd.DataFrame) -> list[tuple[Any, Any]]:
    """The (given, predicted) cells off the diagonal with the highest count (ties all kept).

    Parameters
    ----------
    confusion : pandas.DataFrame
        K x K counts, index "given", columns "predicted" (``cmp.confusion_before``).

    Returns
    -------
    list of tuple
        Empty when the matrix has no error at all.
    """
    cells = confusion.stack()
    cells = cells[[given != predicted for given, predicted in cells.index]]
    if cells.empty or cells.max() == 0:
        return []
    return [tuple(k) for k in cells.index[cells == cells.max()]]


def check_intervention(cmp: Any) -> str:
    """Lesson 5: the fix was measured on the trusted test set, helped, and cut the worst
    confusion.

    Parameters
    ----------
    cmp : Comparison
        ``dash.measure()`` (or ``dw.measure(state, test=...)``) after the learner's fix.

    Returns
    -------
    str
        What the fix achieved (also printed).

    Raises
    ------
    ExerciseNotSolved
        If ``cmp`` is missing, not on a test set, holds no edit, did not raise test accuracy
        by 2 points, or left the targeted confusion as large as before.
    """
    hint = (
        "Apply the intervention `dw.what_if(dash.state, test=test)` ranks first (its `ids` "
        "column holds the rows), then measure: `cmp = dash.measure()`."
    )
    if cmp is None or cmp is Ellipsis:
        raise ExerciseNotSolved(f"`cmp` is not filled in yet. {hint}")
    if not hasattr(cmp, "confusion_before"):
        raise ExerciseNotSolved(
            f"`cmp` should be what `dash.measure()` returns, got {type(cmp).__name__}. {hint}"
        )
    if not cmp.on_test:
        raise ExerciseNotSolved(
            "this comparison scores the training rows against your own edited labels, which "
            "flatters every fix: measure on the trusted test set (audit(..., test=test) or "
            f"dash.measure(test=test)). {hint}"
        )
    if cmp.n_edits == 0:
        raise ExerciseNotSolved(f"no edit is behind this comparison yet: apply a fix first. {hint}")
    gain = cmp.accuracy_after - cmp.accuracy_before
    figures = f"test accuracy {cmp.accuracy_before:.3f} -> {cmp.accuracy_after:.3f}"
    if gain < MIN_GAIN:
        raise ExerciseNotSolved(
            f"{figures}: that fix did not help (aim for +{MIN_GAIN:.0%}). Undo it "
            f"(dash.state.undo()) and try another. {hint}"
        )
    targets = worst_confusions(cmp.confusion_before)
    before = sum(int(cmp.confusion_before.loc[g, p]) for g, p in targets)
    after = sum(int(cmp.confusion_after.loc[g, p]) for g, p in targets)
    named = " and ".join(f"{g} read as {p}" for g, p in targets)
    if targets and after >= before:
        raise ExerciseNotSolved(
            f"{figures}, but the worst confusion ({named}) is still {after} test rows "
            f"(was {before}): the fix missed its target. {hint}"
        )
    message = f"{figures}; {named}: {before} -> {after} test rows"
    print(f"✓ {message}")
    return message
