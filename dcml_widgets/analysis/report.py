"""The frozen result of one analysis: :class:`AuditReport`."""

from __future__ import annotations

import dataclasses
import io
import json
import pickle
import re
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

_FORMAT = "dcml-report"
_ISSUE_FLAG = re.compile(r"is_(.+)_issue")
_VERSION = 1


@dataclasses.dataclass(frozen=True, eq=False)
class AuditReport:
    """Everything one run of :func:`dcml_widgets.analyze` found, never changed after creation.

    Every ``(N, ...)`` array follows the row order of :attr:`ids`; every ``(N, K)`` array's
    columns follow :attr:`classes`. A better layout or a re-run makes a new report
    (:meth:`replace`), so views holding the old one never see it change under them.

    Attributes
    ----------
    label : str
        Name of the label column that was analysed.
    ids : pandas.Index
        Row ids, in row order.
    classes : numpy.ndarray
        Sorted unique labels (``np.unique`` order).
    given : pandas.Series
        Labels as they were when analysed (index = ids; NaN where a label was missing).
    pred_probs : numpy.ndarray
        ``(N, K)`` out-of-sample predicted probabilities.
    predicted : pandas.Series
        Arg-max class per row (index = ids).
    folds : numpy.ndarray
        Fold number per row (int); ``-1`` for rows not used in training.
    feature_plan : pandas.DataFrame
        One row per input column: ``column, role, detail``.
    model_matrix : numpy.ndarray
        ``(N, d)`` float32 matrix the model, the kNN graph and the layout were computed on;
        ``(N, 0)`` with ``pred_probs=`` alone (the graph was then built on ``sqrt(P)``).
    model : object
        Unfitted scikit-learn estimator used for the out-of-sample probabilities (and by
        ``measure()``), the list of them when several models must agree, or ``None`` with
        ``pred_probs=`` alone.
    issues : pandas.DataFrame
        Datalab's per-row issue table (index = ids) plus ``given_label``, ``suggested_label``
        and ``is_too_rare``; with a model list also ``num_models_disagreeing`` (Int64, the
        members whose out-of-fold prediction differs from the given label; ``<NA>`` where
        unlabelled).
    summary : pandas.DataFrame
        One row per issue type: ``issue_type, num_issues, score`` (NaN = not assessed).
    embedding : numpy.ndarray
        ``(N, 2)`` float32 layout.
    embedding_method : str
        ``"umap"``, ``"pca"`` or ``"given"``.
    metrics : pandas.DataFrame
        Per-class ``precision, recall, f1, support`` (index = classes).
    accuracy : float
        Overall out-of-sample accuracy.
    agreement : object or None
        Multi-annotator result when ``annotators=`` was given.
    options : dict
        The options the analysis ran with (to re-run or to cache).
    notes : tuple of str
        Things the user should know (rows left out, classes too rare to judge, ...).
    timings : dict
        Seconds spent per stage.
    embedding_input : str
        What the kNN graph and the layout were computed on: ``"features"`` (the encoded
        columns), ``"given"`` (a ``features=`` array) or ``"pred_probs"`` (``sqrt(P)``, when
        there were no features).
    member_pred_probs : numpy.ndarray or None
        ``(M, N, K)`` float32 out-of-fold probabilities of each model of a model list (their
        mean is :attr:`pred_probs`); ``None`` otherwise.
    self_check : SelfCheck or None
        Planted label errors and how many the flags found (``analyze(self_check=True)``):
        ``n_planted, n_found, recall, precision, rate, seed``; ``None`` when not run.
    excluded : numpy.ndarray or None
        ``(N,)`` bool: rows ``analyze(exclude=...)`` analysed but did not train on or
        label-check; ``None`` = none.
    gaps : pandas.DataFrame
        Regions of pool rows the training rows do not cover (index ``gap``, largest first):
        ``size``, ``nearest_classes`` (tuple, ≤ 3), ``example_ids`` (tuple, ≤ 5, the first
        at the centre), ``x``, ``y`` (that centre on :attr:`embedding`). Rows carry their gap
        in ``issues["gap"]`` (``-1`` none).
    invalid_values : pandas.DataFrame
        Every broken expectation, one row each: ``id, column, rule, value``.
    expectations : pandera.pandas.DataFrameSchema or None
        The rules inferred from the training rows (``None`` without raw input columns);
        ``expectations.validate(new_df)`` enforces them on a new batch.
    slices : pandas.DataFrame
        Weak slices, worst first (RangeIndex): ``source`` (``"column"`` or
        ``"underperforming_group"``), ``column``, ``value``, ``n``, ``accuracy``,
        ``accuracy_gap`` (slice minus rest; negative = worse), ``ci_low``, ``ci_high`` (its
        Newcombe interval, Bonferroni-corrected so all slices' hold together at 95%),
        ``label_issue_rate``, ``significant`` (that interval excludes 0), sorted by
        ``ci_high``. Only labelled, non-excluded rows count.
    slice_positions : tuple of numpy.ndarray
        Row positions of each slice of :attr:`slices` (aligned); see :meth:`slice_ids`.
    prototypes : pandas.DataFrame
        A few typical rows per class: ``class, id, rank`` (rank 1 = most typical).
    """

    label: str
    ids: pd.Index
    classes: np.ndarray
    given: pd.Series
    pred_probs: np.ndarray
    predicted: pd.Series
    folds: np.ndarray
    feature_plan: pd.DataFrame
    model_matrix: np.ndarray
    model: Any
    issues: pd.DataFrame
    summary: pd.DataFrame
    embedding: np.ndarray
    embedding_method: str
    metrics: pd.DataFrame
    accuracy: float
    agreement: Any = None
    options: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    notes: tuple[str, ...] = ()
    timings: Mapping[str, float] = dataclasses.field(default_factory=dict)
    embedding_input: str = "features"
    member_pred_probs: np.ndarray | None = None
    self_check: Any = None
    excluded: np.ndarray | None = None
    gaps: pd.DataFrame = dataclasses.field(default_factory=lambda: _empty_gaps())
    invalid_values: pd.DataFrame = dataclasses.field(default_factory=lambda: _empty_invalid())
    expectations: Any = None
    slices: pd.DataFrame = dataclasses.field(default_factory=lambda: _empty_slices())
    slice_positions: tuple[np.ndarray, ...] = ()
    prototypes: pd.DataFrame = dataclasses.field(default_factory=lambda: _empty_prototypes())

    @property
    def n_rows(self) -> int:
        """Number of rows analysed."""
        return len(self.ids)

    @property
    def excluded_mask(self) -> np.ndarray:
        """``(N,)`` bool: rows excluded from training and the label checks."""
        if self.excluded is None:
            return np.zeros(self.n_rows, dtype=bool)
        return np.asarray(self.excluded, dtype=bool)

    @property
    def pool_mask(self) -> np.ndarray:
        """``(N,)`` bool: pool rows, whose given label is missing (never excluded rows)."""
        return self.given.isna().to_numpy(dtype=bool) & ~self.excluded_mask

    @property
    def issue_types(self) -> tuple[str, ...]:
        """Issue types that were assessed and have per-row flags, in summary order.

        A type is listed when :attr:`issues` has its ``is_<type>_issue`` column and the
        summary does not mark it "not assessed" (``num_issues`` ``<NA>``).
        """
        flagged = [
            str(c)[3:-6] for c in self.issues.columns if _ISSUE_FLAG.fullmatch(str(c)) is not None
        ]
        not_assessed = set()
        order: list[str] = []
        if "issue_type" in self.summary.columns:
            for name, count in zip(
                self.summary["issue_type"], self.summary["num_issues"], strict=True
            ):
                order.append(str(name))
                if pd.isna(count):
                    not_assessed.add(str(name))
        ranked = sorted(flagged, key=lambda t: order.index(t) if t in order else len(order))
        return tuple(t for t in ranked if t not in not_assessed)

    def issue_mask(self, name: str) -> np.ndarray:
        """Which rows have issue ``name``, as a bool array in row order.

        Parameters
        ----------
        name : str
            An issue type from :attr:`issue_types` (``"label"``, ``"outlier"``, ...).

        Returns
        -------
        numpy.ndarray
            ``(N,)`` bool; a missing flag counts as no issue.

        Raises
        ------
        KeyError
            If ``name`` is not an assessed issue type of this report.
        """
        if name not in self.issue_types:
            raise KeyError(
                f"{name!r} is not an assessed issue type of this report; choose one of "
                f"{list(self.issue_types)}."
            )
        return self.issues[f"is_{name}_issue"].fillna(False).to_numpy(dtype=bool)

    def slice_ids(self, slice_number: int) -> pd.Index:
        """The row ids of one slice of :attr:`slices` (the rows its figures count).

        Parameters
        ----------
        slice_number : int
            A label of :attr:`slices`' index.

        Returns
        -------
        pandas.Index

        Raises
        ------
        KeyError
            If the report has no such slice.
        """
        if not isinstance(slice_number, int | np.integer) or not (
            0 <= int(slice_number) < len(self.slice_positions)
        ):
            raise KeyError(
                f"No slice {slice_number!r}: this report has {len(self.slice_positions)} "
                "slices (report.slices.index)."
            )
        return self.ids[self.slice_positions[int(slice_number)]]

    def replace(self, **changes: Any) -> AuditReport:
        """Return a new report with some fields changed (this one stays as it is).

        Parameters
        ----------
        **changes
            Field names and their new values, e.g. ``embedding=..., embedding_method="umap"``.

        Returns
        -------
        AuditReport
        """
        return dataclasses.replace(self, **changes)

    def save(self, path: str | Path) -> Path:
        """Write the report to one file, so a re-run notebook need not recompute it.

        Parameters
        ----------
        path : str or Path
            Target file (conventionally ``*.dcmlreport``).

        Returns
        -------
        Path
            The path written.
        """
        path = Path(path)
        arrays = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("header.json", json.dumps({"format": _FORMAT, "version": _VERSION}))
            zf.writestr("report.pkl", pickle.dumps(arrays, protocol=pickle.HIGHEST_PROTOCOL))
        return path

    @classmethod
    def load(cls, path: str | Path) -> AuditReport:
        """Read a report written by :meth:`save`.

        Only load files you wrote yourself: the model is stored with pickle.

        Parameters
        ----------
        path : str or Path

        Returns
        -------
        AuditReport

        Raises
        ------
        ValueError
            If the file is not a saved report of a version this package reads.
        """
        path = Path(path)
        try:
            with zipfile.ZipFile(path) as zf:
                header = json.loads(zf.read("header.json"))
                payload = zf.read("report.pkl")
        except (zipfile.BadZipFile, KeyError, json.JSONDecodeError) as exc:
            raise ValueError(f"{path} is not a saved dcml-widgets report ({exc}).") from exc
        if header.get("format") != _FORMAT or header.get("version") != _VERSION:
            raise ValueError(
                f"{path} holds {header.get('format')!r} version {header.get('version')!r}; "
                f"this package reads {_FORMAT!r} version {_VERSION}. Re-run dw.analyze()."
            )
        fields = pickle.load(io.BytesIO(payload))
        return cls(**fields)


def _empty_gaps() -> pd.DataFrame:
    from dcml_widgets.analysis.coverage.gaps import empty_gaps

    return empty_gaps()


def _empty_slices() -> pd.DataFrame:
    from dcml_widgets.analysis.slices import empty_slices

    return empty_slices()


def _empty_prototypes() -> pd.DataFrame:
    from dcml_widgets.analysis.prototypes import empty_prototypes

    return empty_prototypes()


def _empty_invalid() -> pd.DataFrame:
    from dcml_widgets.analysis.expectations.check import empty_invalid_values

    return empty_invalid_values()
