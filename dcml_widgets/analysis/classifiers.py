"""The classifiers of the default model, and the choice of members by data size.

:func:`default_model` is what ``benchmarks/bench_detection.py`` measured best at finding
label errors (planted uniform flips and class-conditional swaps, two rates, shuffled rows, ten
seeds; member screen in ``benchmarks/README.md``): the soft mean of an RBF support-vector
machine with a fitted temperature, distance-weighted 15-nearest-neighbours and a regularised
quadratic discriminant. Each member also fits tiny folds (a class with one training row,
fewer rows than neighbours).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

import numpy as np
from scipy.optimize import minimize_scalar
from scipy.special import log_softmax, softmax
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.neighbors import KNeighborsClassifier
from sklearn.svm import SVC

# The kNN member costs ~rows^2 x features (every held-out row against every training row).
# Measured on 2 cores, 50 features, 10 classes, 5 folds: 20k rows 2.8 s, 40k 4.1 s, 100k 48 s
# (LR alone: 1.4 s). Above 50k rows x 50 features LR runs alone.
KNN_BUDGET = 50_000**2 * 50
KNN_NEIGHBOURS = 15
# The SVM costs ~rows^2 x features too (libsvm's kernel evaluations) and fits twice per fold
# (once on three quarters, for the temperature). The whole first look, 10 classes, 64
# features, idle: 1000 rows 0.8 s, 2000 1.9 s, 3000 3.4 s, 5000 7.4 s (LR + kNN: 0.4-0.8 s;
# at 20k x 50, where LR + kNN runs, 3.6 s). Capped at 3000^2 x 64, so no smaller set waits
# longer than a 20k one.
SVM_BUDGET = 3_000**2 * 64
# Share of each class held out, inside a fold, to fit the SVM's temperature.
TEMPERATURE_HOLDOUT = 0.25


class NeighboursClassifier(KNeighborsClassifier):
    """Distance-weighted k-nearest-neighbour classifier that never asks for more neighbours
    than a fold has training rows (tiny data sets and heavy exclusions stay usable).

    Parameters
    ----------
    n_neighbors : int
        Neighbours used when the training set is large enough.
    """

    n_neighbors: int

    def __init__(self, n_neighbors: int = KNN_NEIGHBOURS) -> None:
        super().__init__(n_neighbors=n_neighbors, weights="distance", algorithm="brute")

    def fit(self, X: Any, y: Any) -> NeighboursClassifier:
        """Fit on ``X, y`` with ``min(n_neighbors, len(X))`` neighbours.

        Parameters
        ----------
        X : array-like
            ``(n, d)`` training matrix.
        y : array-like
            ``(n,)`` class codes.

        Returns
        -------
        NeighboursClassifier
            ``self``, fitted.
        """
        self.n_neighbors = int(min(self.n_neighbors, len(X)))
        return super().fit(X, y)


class _ProbabilityClassifier(ClassifierMixin, BaseEstimator, ABC):
    """A classifier whose prediction is the argmax of its ``predict_proba``."""

    classes_: np.ndarray

    @abstractmethod
    def predict_proba(self, X: Any) -> np.ndarray:
        """Class probabilities, columns in ``classes_`` order."""

    def predict(self, X: Any) -> np.ndarray:
        """The most probable class of each row.

        Parameters
        ----------
        X : array-like

        Returns
        -------
        numpy.ndarray
        """
        return self.classes_[self.predict_proba(X).argmax(axis=1)]


class TemperedSVC(_ProbabilityClassifier):
    """RBF support-vector machine whose probabilities are ``softmax(decision / T)``.

    scikit-learn's ``SVC(probability=True)`` calibrates by an internal 5-fold Platt scaling
    (five more fits per fit, and pairwise couplings); one temperature fitted by log loss on a
    stratified quarter held out of the training rows takes one more fit. The temperature is
    fitted inside each fit, so out-of-fold probabilities stay out of fold.

    Parameters
    ----------
    C : float
        SVM regularisation (scikit-learn's ``SVC``).
    holdout : float
        Share of each class's training rows held out to fit the temperature.
    random_state : int
        Seed of the holdout split.
    """

    def __init__(
        self, C: float = 1.0, holdout: float = TEMPERATURE_HOLDOUT, random_state: int = 0
    ) -> None:
        self.C = C
        self.holdout = holdout
        self.random_state = random_state

    def fit(self, X: Any, y: Any) -> TemperedSVC:
        """Fit the temperature on a held-out share, then the SVM on every row.

        Parameters
        ----------
        X : array-like
            ``(n, d)`` training matrix.
        y : array-like
            ``(n,)`` class codes.

        Returns
        -------
        TemperedSVC
            ``self``, fitted.
        """
        X, y = np.asarray(X), np.asarray(y)
        self.classes_ = np.unique(y)
        self.temperature_ = 1.0
        if len(self.classes_) < 2:
            return self
        # Each class keeps at least three quarters of its rows, so the fit sees every class.
        held = self._holdout(y)
        if held.any():
            svm = self._svm().fit(X[~held], y[~held])
            self.temperature_ = _fit_temperature(
                _decision(svm, X[held]), np.searchsorted(self.classes_, y[held])
            )
        self.svm_ = self._svm().fit(X, y)
        return self

    def predict_proba(self, X: Any) -> np.ndarray:
        """``softmax(decision_function / temperature)``, columns in ``classes_`` order.

        Parameters
        ----------
        X : array-like
            ``(n, d)`` rows to predict.

        Returns
        -------
        numpy.ndarray
            ``(n, len(classes_))``, rows summing to 1.
        """
        if len(self.classes_) < 2:
            return np.ones((len(X), 1))
        return softmax(_decision(self.svm_, np.asarray(X)) / self.temperature_, axis=1)

    def _svm(self) -> SVC:
        return SVC(C=self.C, kernel="rbf", gamma="scale", decision_function_shape="ovr")

    def _holdout(self, y: np.ndarray) -> np.ndarray:
        """Stratified holdout; classes under 1/holdout rows keep every row for fitting."""
        rng = np.random.default_rng(self.random_state)
        held = np.zeros(len(y), dtype=bool)
        for c in self.classes_:
            rows = np.flatnonzero(y == c)
            take = int(len(rows) * self.holdout)
            held[rng.choice(rows, size=take, replace=False)] = True
        return held


def _decision(svm: SVC, X: np.ndarray) -> np.ndarray:
    """``(n, K)`` decision values (a binary SVM's single margin becomes ``[0, margin]``)."""
    values = svm.decision_function(X)
    if values.ndim == 1:
        return np.column_stack([np.zeros_like(values), values])
    return values


def _fit_temperature(decision: np.ndarray, positions: np.ndarray) -> float:
    """The ``T`` minimising the log loss of ``softmax(decision / T)`` against Platt's targets.

    Hard 0/1 targets drive ``T`` to 0 whenever the held-out rows are all classified right
    (probabilities of 1e-150 on new rows). Platt (1999) fits towards ``(n + 1) / (n + 2)``
    for a class with ``n`` held-out rows instead (the rest spread over the other classes),
    which keeps ``T`` finite and shrinks small holdouts' confidence.
    """
    k = decision.shape[1]
    counts = np.bincount(positions, minlength=k)
    own = (counts[positions] + 1) / (counts[positions] + 2)
    targets = np.repeat(((1 - own) / (k - 1))[:, None], k, axis=1)
    targets[np.arange(len(positions)), positions] = own

    def loss(log_t: float) -> float:
        return -float((targets * log_softmax(decision / np.exp(log_t), axis=1)).sum(axis=1).mean())

    found = minimize_scalar(loss, bounds=(-5.0, 5.0), method="bounded")
    return float(np.exp(found.x))


class RegularisedQDA(_ProbabilityClassifier):
    """Quadratic discriminant analysis with each class covariance shrunk towards the identity.

    The model of scikit-learn's ``QuadraticDiscriminantAnalysis(reg_param=...)`` (covariance
    ``(1 - r) S + r I`` per class, class frequencies as priors), written out because
    scikit-learn (1.9) refuses a class with no more training rows than features, or a single
    row, even when the shrinkage makes its covariance well defined. Small folds and one-hot
    columns hit both; here such a class gets the shrunk estimate like any other.

    Parameters
    ----------
    reg_param : float
        Shrinkage ``r`` of each class covariance towards the identity (0 < r <= 1).
    """

    def __init__(self, reg_param: float = 0.1) -> None:
        self.reg_param = reg_param

    def fit(self, X: Any, y: Any) -> RegularisedQDA:
        """Estimate each class's mean, shrunk covariance and frequency.

        Parameters
        ----------
        X : array-like
            ``(n, d)`` training matrix.
        y : array-like
            ``(n,)`` class codes.

        Returns
        -------
        RegularisedQDA
            ``self``, fitted.
        """
        X, y = np.asarray(X, dtype=np.float64), np.asarray(y)
        self.classes_, counts = np.unique(y, return_counts=True)
        self.log_priors_ = np.log(counts / counts.sum())
        self.means_, self.rotations_, self.scalings_ = [], [], []
        for c in self.classes_:
            rows = X[y == c]
            mean = rows.mean(axis=0)
            # All d directions, also those fewer rows than features do not span (variance 0
            # before shrinkage, r after); full matrices only then: U is rows x rows.
            _, s, vt = np.linalg.svd(rows - mean, full_matrices=len(rows) < X.shape[1])
            variance = np.zeros(X.shape[1])
            variance[: len(s)] = s**2 / len(rows)
            self.means_.append(mean)
            self.rotations_.append(vt.T)
            self.scalings_.append((1 - self.reg_param) * variance + self.reg_param)
        return self

    def predict_proba(self, X: Any) -> np.ndarray:
        """Posterior class probabilities, columns in ``classes_`` order.

        Parameters
        ----------
        X : array-like
            ``(n, d)`` rows to predict.

        Returns
        -------
        numpy.ndarray
            ``(n, len(classes_))``, rows summing to 1.
        """
        X = np.asarray(X, dtype=np.float64)
        log_posterior = np.empty((len(X), len(self.classes_)))
        for i, (mean, rotation, scaling) in enumerate(
            zip(self.means_, self.rotations_, self.scalings_, strict=True)
        ):
            distance = (((X - mean) @ rotation) ** 2 / scaling).sum(axis=1)
            log_posterior[:, i] = -0.5 * (distance + np.log(scaling).sum()) + self.log_priors_[i]
        return softmax(log_posterior, axis=1)


def default_model(
    n_rows: int,
    n_features: int,
    n_classes: int,
    random_state: int = 0,
    *,
    smallest_class: int = 0,
) -> Any:
    """The model used when the caller gives none, chosen by measurement and data size.

    Up to :data:`SVM_BUDGET` (rows^2 x features): the soft mean of :class:`TemperedSVC`,
    :class:`NeighboursClassifier` and, when every class has more training rows per fold than
    there are features, :class:`RegularisedQDA` (the members that found planted label errors
    best in ``benchmarks/bench_detection.py``; figures in ``benchmarks/README.md``). Larger,
    up to :data:`KNN_BUDGET`: logistic regression with 15-nearest-neighbours. Larger still:
    logistic regression alone.

    Parameters
    ----------
    n_rows, n_features, n_classes : int
        Shape of the problem.
    random_state : int
        Seed of the SVM's temperature holdout.
    smallest_class : int
        Rows of the smallest class trained on (0 = unknown: no QDA).

    Returns
    -------
    sklearn estimator (unfitted)
    """
    from sklearn.ensemble import VotingClassifier
    from sklearn.linear_model import LogisticRegression

    size = max(n_features, 1)
    if n_rows**2 * size > KNN_BUDGET:
        return LogisticRegression(C=1.0, max_iter=500)
    neighbours = NeighboursClassifier(n_neighbors=KNN_NEIGHBOURS)
    if n_rows**2 * size > SVM_BUDGET:
        members = [("linear", LogisticRegression(C=1.0, max_iter=500)), ("neighbours", neighbours)]
        return VotingClassifier(members, voting="soft")
    members = [("svm", TemperedSVC(random_state=random_state)), ("neighbours", neighbours)]
    # With no more rows than features a class covariance is mostly the shrinkage itself, and
    # QDA lost accuracy: 0.83 vs the SVM's 0.91 on the 600-row demo (48 rows a class a fold,
    # 98 features), where the benchmark's sets (>= 38 rows a class, <= 64 features) gained.
    if smallest_class * 4 // 5 > n_features:
        members.append(("quadratic", RegularisedQDA()))
    return VotingClassifier(members, voting="soft")
