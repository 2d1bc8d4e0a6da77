"""Failed expectations per row, for the grid: which column broke which rule, as short text."""

from __future__ import annotations

from typing import Any

import numpy as np

from dcml_widgets.views._shared.values import clip_text

#: At most this many failed rules a row carries to the browser (the count says how many).
MAX_RULES = 6


def failed_rules(state: Any) -> dict[int, list[dict]]:
    """The failed rules of every row with an ``invalid_value`` issue, by row position.

    Parameters
    ----------
    state : DatasetState
        Its report's ``invalid_values`` (long table ``id, column, rule, value``) is read.

    Returns
    -------
    dict of int to list of dict
        Row position to up to :data:`MAX_RULES` ``{"column", "rule", "value"}`` dicts (short
        text; ``value`` is ``""`` for a missing value), in the table's order. Rows without a
        failed rule are absent.
    """
    table = getattr(state.report, "invalid_values", None)
    if table is None or len(table) == 0:
        return {}
    found = state.ids.get_indexer(table["id"])  # one position a table row; -1 unknown
    table, positions = table[found >= 0], found[found >= 0].tolist()
    out: dict[int, list[dict]] = {}
    for p, column, rule, value in zip(
        positions, table["column"], table["rule"], table["value"], strict=True
    ):
        rules = out.setdefault(int(p), [])
        if len(rules) < MAX_RULES:
            missing = value is None or (isinstance(value, float) and value != value)
            rules.append(
                {
                    "column": clip_text(column),
                    "rule": clip_text(rule),
                    "value": "" if missing else clip_text(value),
                }
            )
    return out


def rule_count(state: Any) -> dict[int, int]:
    """How many rules each row with a failed rule broke, by row position (see failed_rules)."""
    table = getattr(state.report, "invalid_values", None)
    if table is None or len(table) == 0:
        return {}
    found = state.ids.get_indexer(table["id"])
    positions, counts = np.unique(found[found >= 0], return_counts=True)
    return {int(p): int(n) for p, n in zip(positions, counts, strict=True)}
