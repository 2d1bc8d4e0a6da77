"""One line per column saying what the expectations require (for the feature plan)."""

from __future__ import annotations

from typing import Any

_SYMBOLS = {"greater_than_or_equal_to": "≥", "less_than_or_equal_to": "≤"}
_SHOWN_VALUES = 5


def describe_column(column: Any) -> str:
    """E.g. ``"float64, ≥ -0.5, ≤ 17.5, never missing"`` or ``"one of 30 values: a, b, …"``.

    Parameters
    ----------
    column : pandera.pandas.Column

    Returns
    -------
    str
    """
    parts = [] if column.dtype is None else [str(column.dtype)]
    for check in column.checks:
        stats = check.statistics or {}
        if check.name in _SYMBOLS:
            parts.append(f"{_SYMBOLS[check.name]} {next(iter(stats.values()))}")
        elif check.name == "isin":
            allowed = list(stats.get("allowed_values", []))
            shown = ", ".join(map(str, allowed[:_SHOWN_VALUES]))
            more = ", …" if len(allowed) > _SHOWN_VALUES else ""
            parts.append(f"one of {len(allowed)} values: {shown}{more}")
        else:
            parts.append(check.name)
    rate = (column.metadata or {}).get("null_rate", 0.0)
    parts.append(f"missing as in training ({rate:.1%})" if column.nullable else "never missing")
    return ", ".join(parts)
