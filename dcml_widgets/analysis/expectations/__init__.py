"""Expectations: the rules the training rows keep, which a new batch must keep too.

:func:`infer_expectations` makes a pandera schema from the training rows,
:func:`check_expectations` finds every cell (of every row) that breaks one of its rules,
:func:`describe_column` says in one line what a column must hold.
"""

from dcml_widgets.analysis.expectations.check import (
    ExpectationResult,
    check_expectations,
    empty_invalid_values,
)
from dcml_widgets.analysis.expectations.describe import describe_column
from dcml_widgets.analysis.expectations.infer import infer_expectations

__all__ = [
    "ExpectationResult",
    "check_expectations",
    "describe_column",
    "empty_invalid_values",
    "infer_expectations",
]
