"""Check every row against the inferred expectations: which cell breaks which rule.

pandera's own ``schema.validate(lazy=True)`` is not used for this: one value of the wrong
type makes a whole column's range check fail with a TypeError (hiding every out-of-range
value in it), ``None`` in a bool column is coerced to False unseen, and a failed category
coercion crashes. So each column is typed here, value by value, and pandera's check objects
(the same ones the exported schema holds) run on the values that have the type.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pandas as pd

from dcml_widgets.values import is_missing, native

ISSUE_TYPE = "invalid_value"
#: Rule names besides pandera's check names (``greater_than_or_equal_to``, ``isin``, ...).
RULE_DTYPE = "dtype"
RULE_NOT_NULLABLE = "not_nullable"
_NULL_SHIFT_ALPHA = 1e-3


@dataclasses.dataclass(frozen=True)
class ExpectationResult:
    """What :func:`check_expectations` found.

    Attributes
    ----------
    issues : pandas.DataFrame
        Index = row ids: ``is_invalid_value_issue`` (bool), ``invalid_value_score``
        (1 − failed / checked rules).
    invalid_values : pandas.DataFrame
        One row per broken rule: ``id, column, rule, value`` (the value as given).
    summary : pandas.DataFrame
        One summary row (``issue_type, num_issues, score``).
    notes : tuple of str
    """

    issues: pd.DataFrame
    invalid_values: pd.DataFrame
    summary: pd.DataFrame
    notes: tuple[str, ...] = ()


def empty_invalid_values() -> pd.DataFrame:
    """The long table with no rows.

    Returns
    -------
    pandas.DataFrame
        Columns ``id, column, rule, value``.
    """
    return pd.DataFrame({c: pd.Series([], dtype=object) for c in ("id", "column", "rule", "value")})


def check_expectations(schema: Any, frame: pd.DataFrame, training: np.ndarray) -> ExpectationResult:
    """Every cell of ``frame`` against ``schema``'s rules.

    Parameters
    ----------
    schema : pandera.pandas.DataFrameSchema
        From :func:`~dcml_widgets.analysis.expectations.infer.infer_expectations`.
    frame : pandas.DataFrame
        All rows (index = row ids); holds every column of the schema.
    training : numpy.ndarray
        ``(N,)`` bool: the rows the schema was inferred from (for the null-rate notes).

    Returns
    -------
    ExpectationResult
    """
    n = len(frame)
    failed = np.zeros(n, dtype=np.int64)
    n_rules = 0
    found: list[tuple[np.ndarray, Any, str]] = []
    notes: list[str] = []
    for name, column in schema.columns.items():
        values = frame[name].reset_index(drop=True)
        null = values.isna().to_numpy(dtype=bool)
        typed, wrong = _typed(values, null, column.dtype)
        rules: list[tuple[str, np.ndarray]] = []
        if not column.nullable:
            rules.append((RULE_NOT_NULLABLE, null))
        if wrong is not None:
            rules.append((RULE_DTYPE, wrong))
        ok = ~null if wrong is None else ~null & ~wrong
        for check in column.checks:
            bad = np.zeros(n, dtype=bool)
            if ok.any():
                try:
                    passed = check(typed[ok]).check_output.to_numpy(dtype=bool)
                except Exception as exc:  # a check that cannot run on these values
                    notes.append(f"Expectation {check.name} on {name!r} could not run: {exc}")
                    continue
                bad[np.flatnonzero(ok)[~passed]] = True
            rules.append((check.name, bad))
        for rule, bad in rules:
            n_rules += 1
            failed += bad
            if bad.any():
                found.append((np.flatnonzero(bad), name, rule))
        notes += _null_shift(name, null, training, column)
    ids = frame.index
    score = 1.0 - failed / n_rules if n_rules else np.ones(n)
    flags = failed > 0
    issues = pd.DataFrame(
        {"is_invalid_value_issue": flags, "invalid_value_score": score.astype(np.float64)},
        index=ids,
    )
    table = _long_table(found, frame, ids)
    if flags.any():
        top = table.groupby(["column", "rule"], sort=False).size().sort_values(ascending=False)
        (col, rule), count = top.index[0], int(top.iloc[0])
        notes.append(
            f"{int(flags.sum())} rows break expectations inferred from the training rows "
            f"(report.invalid_values); most often {col!r} ({rule}, {count} "
            f"row{'s' if count != 1 else ''})."
        )
    summary = pd.DataFrame(
        [{"issue_type": ISSUE_TYPE, "num_issues": int(flags.sum()), "score": float(score.mean())}]
    ).astype({"num_issues": "Int64", "score": np.float64})
    return ExpectationResult(issues, table, summary, tuple(notes))


def _typed(values: pd.Series, null: np.ndarray, dtype: Any) -> tuple[pd.Series, np.ndarray | None]:
    """The values in the expected type, and which present ones do not have it.

    ``None`` for the second item when the column has no dtype rule (category, object, or a
    dtype pandera could not infer).
    """
    if dtype is None:
        return values, None
    expected = str(dtype)
    if expected in ("category", "object"):
        return values, None
    if str(values.dtype) == expected:
        return values, np.zeros(len(values), dtype=bool)
    try:
        if expected.startswith(("int", "uint", "float", "Int", "UInt", "Float")):
            typed = pd.to_numeric(values, errors="coerce")
        elif expected == "bool" or expected == "boolean":
            return values, ~null & ~values.isin([True, False]).to_numpy(dtype=bool)
        elif expected.startswith("datetime64"):
            typed = pd.to_datetime(values, errors="coerce", format="mixed")
        elif expected.startswith("timedelta64"):
            typed = pd.to_timedelta(values, errors="coerce")
        elif expected.startswith(("str", "string")):
            is_text = values.map(lambda v: isinstance(v, str), na_action="ignore")
            return values, ~null & ~is_text.fillna(True).to_numpy(dtype=bool)
        else:
            return values, None
    except (TypeError, ValueError):
        return values, None
    return typed, ~null & typed.isna().to_numpy(dtype=bool)


def _null_shift(name: Any, null: np.ndarray, training: np.ndarray, column: Any) -> list[str]:
    """A note when the rows not trained on miss this column far more often than training."""
    from scipy.stats import binom

    others = ~training
    m = int(others.sum())
    if m < 20:
        return []
    k = int(null[others].sum())
    n_train = int(training.sum())
    rate = float((column.metadata or {}).get("null_rate", null[training].mean()))
    if k / m <= 2 * rate + 0.01:
        return []
    if binom.sf(k - 1, m, max(rate, 0.5 / max(n_train, 1))) >= _NULL_SHIFT_ALPHA:
        return []
    return [
        f"{name!r} is missing in {k / m:.1%} of the {m} rows not trained on, against "
        f"{rate:.1%} of the training rows."
    ]


def _long_table(found: list, frame: pd.DataFrame, ids: pd.Index) -> pd.DataFrame:
    if not found:
        return empty_invalid_values()
    positions = np.concatenate([p for p, _, _ in found])
    entry = np.concatenate(
        [np.full(p.size, i, dtype=np.int64) for i, (p, _, _) in enumerate(found)]
    )
    values: list[Any] = []
    names: list[Any] = []
    rules: list[str] = []
    for p, name, rule in found:
        values += [None if is_missing(v) else native(v) for v in frame[name].iloc[p].tolist()]
        names += [name] * p.size
        rules += [rule] * p.size
    order = np.lexsort((entry, positions))
    row_ids = [native(v) for v in ids[positions[order]].tolist()]
    pick = order.tolist()
    return pd.DataFrame(
        {
            "id": pd.Series(row_ids, dtype=object),
            "column": pd.Series([names[i] for i in pick], dtype=object),
            "rule": pd.Series([rules[i] for i in pick], dtype=object),
            "value": pd.Series([values[i] for i in pick], dtype=object),
        }
    )
