"""How far to trust the flags on this data set: plant known label errors and look for them.

``analyze(..., self_check=True)`` flips :data:`RATE` of the labelled rows the main run did not
flag (each to another class, uniformly), retrains the same model(s) on the same folds and the
same features, reruns the same label check, and counts how many planted errors it found
(recall) and how many of its new flags were planted ones (precision).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from dcml_widgets.analysis.folds import split_trainable
from dcml_widgets.analysis.knn import KnnGraph

#: Share of the eligible rows whose label is flipped.
RATE = 0.05

_FIELDS = ("n_planted", "n_found", "recall", "precision", "rate", "seed")


@dataclasses.dataclass(frozen=True)
class SelfCheck:
    """What the label check found among label errors planted on purpose.

    Fields are read as attributes or by name (``check.recall``, ``check["recall"]``).

    Attributes
    ----------
    n_planted : int
        Labels flipped: ``round(rate x eligible rows)``; eligible = labelled, of a class not
        too rare to judge, and not flagged by the main run.
    n_found : int
        Planted rows the rerun flagged.
    recall : float
        ``n_found / n_planted`` (NaN when nothing could be planted).
    precision : float
        ``n_found / (flagged by the rerun - flagged by the main run)``, at most 1; NaN when
        the rerun flagged no more rows than the main run.
    rate : float
        The planted share.
    seed : int
        Seed of the draw (the analysis's ``random_state``, or a fresh one when it is None).
    planted : pandas.Series
        Index = ids of the planted rows; values = the label planted there.
    flagged : pandas.Index
        Ids the rerun flagged as label issues.
    """

    n_planted: int
    n_found: int
    recall: float
    precision: float
    rate: float
    seed: int
    planted: pd.Series
    flagged: pd.Index

    def __getitem__(self, name: str) -> Any:
        """A field by name, e.g. ``check["recall"]``.

        Parameters
        ----------
        name : str
            One of ``n_planted, n_found, recall, precision, rate, seed``.

        Raises
        ------
        KeyError
            For any other name.
        """
        if name not in _FIELDS:
            raise KeyError(f"{name!r} is not a self-check figure; choose one of {_FIELDS}.")
        return getattr(self, name)

    def describe(self) -> str:
        """One line for a header, e.g. ``"self-check: 48 of 50 planted errors found ..."``.

        Returns
        -------
        str
        """
        if self.n_planted == 0:
            return "self-check: no row could take a planted error."
        precision = "n/a" if np.isnan(self.precision) else f"{self.precision:.0%}"
        return (
            f"self-check: {self.n_found} of {self.n_planted} planted label errors found "
            f"(recall {self.recall:.0%}, precision {precision})"
        )


def run_self_check(
    X: np.ndarray,
    codes: np.ndarray,
    folds: np.ndarray,
    model: Any,
    flagged_before: np.ndarray,
    too_rare: np.ndarray,
    graph: KnnGraph,
    ids: pd.Index,
    classes: np.ndarray,
    *,
    seed: int | None,
    rate: float = RATE,
    progress: Callable[[int, int], None] | None = None,
) -> SelfCheck:
    """Plant label errors, retrain on the same folds, rerun the label check, and score it.

    Parameters
    ----------
    X : numpy.ndarray
        The model matrix the main run trained on.
    codes : numpy.ndarray
        ``(N,)`` given labels as class positions, ``-1`` = unlabelled.
    folds : numpy.ndarray
        The main run's folds.
    model : estimator or list of estimators
        The main run's model(s).
    flagged_before : numpy.ndarray
        ``(N,)`` bool label issues of the main run.
    too_rare : numpy.ndarray
        ``(N,)`` bool rows of classes too rare to judge.
    graph : KnnGraph
        The main run's graph.
    ids : pandas.Index
        Row ids.
    classes : numpy.ndarray
        Class names (``codes`` index into them).
    seed : int or None
        Seed for the draw; ``None`` draws one (recorded in the result).
    rate : float
        Share of the eligible rows to flip.
    progress : callable, optional
        ``progress(done, total)`` per trained fold.

    Returns
    -------
    SelfCheck
    """
    from dcml_widgets.analysis.issues import label_issue_flags
    from dcml_widgets.analysis.members import fit_predict_members, is_model_list
    from dcml_widgets.analysis.predict import fit_predict_folds

    if seed is None:
        seed = int(np.random.SeedSequence().generate_state(1)[0])
    rng = np.random.default_rng(seed)
    train_codes, _ = split_trainable(codes, len(classes))
    targets = np.unique(train_codes[train_codes >= 0])
    eligible = np.flatnonzero((train_codes >= 0) & (folds >= 0) & ~flagged_before)
    n_planted = round(rate * eligible.size) if targets.size >= 2 else 0
    rows = np.sort(rng.choice(eligible, size=n_planted, replace=False))
    if n_planted == 0:
        empty = pd.Series([], index=ids[:0], dtype=object)
        return SelfCheck(0, 0, np.nan, np.nan, rate, seed, empty, ids[:0])

    position = np.searchsorted(targets, train_codes[rows])
    shift = rng.integers(1, targets.size, size=n_planted)
    new = targets[(position + shift) % targets.size]
    planted_train = train_codes.copy()
    planted_train[rows] = new
    n_classes = len(classes)
    if is_model_list(model):
        probs, _ = fit_predict_members(
            X, planted_train, folds, n_classes, list(model), progress=progress
        )
    else:
        probs = fit_predict_folds(X, planted_train, folds, n_classes, model, progress=progress)
    planted_codes = codes.copy()
    planted_codes[rows] = new
    found = label_issue_flags(planted_codes, probs, graph, too_rare)

    n_found = int(found[rows].sum())
    new_flags = int(found.sum()) - int(np.asarray(flagged_before, bool).sum())
    precision = min(1.0, n_found / new_flags) if new_flags > 0 else np.nan
    planted = pd.Series(classes[new], index=ids[rows], dtype=object)
    return SelfCheck(
        n_planted=n_planted,
        n_found=n_found,
        recall=n_found / n_planted,
        precision=float(precision),
        rate=float(rate),
        seed=int(seed),
        planted=planted,
        flagged=ids[found],
    )
