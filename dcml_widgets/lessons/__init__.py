"""The checks a learner runs at the end of each exercise of the notebook series (notebooks/).

Each check compares the learner's answer with what was planted in the lesson's data (known
flips, the typos among the outliers, the scanner the training rows miss), prints what the
answer achieved when it is good enough, and otherwise raises :class:`ExerciseNotSolved` with
a message that says what is missing and how to get there.
"""

from __future__ import annotations

from dcml_widgets.lessons.checks import (
    ExerciseNotSolved,
    check_collect_next,
    check_fixes,
    check_kept_fraud,
    check_own_probabilities,
    check_suspects,
    check_weak_slice,
)
from dcml_widgets.lessons.consistency import check_conflicts_resolved, check_guidelines
from dcml_widgets.lessons.intervention import check_intervention

__all__ = [
    "ExerciseNotSolved",
    "check_collect_next",
    "check_conflicts_resolved",
    "check_fixes",
    "check_guidelines",
    "check_intervention",
    "check_kept_fraud",
    "check_own_probabilities",
    "check_suspects",
    "check_weak_slice",
]
