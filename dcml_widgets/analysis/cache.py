"""In-process cache of analyses, keyed by a hash of the whole frame and the options.

Not the journal's ``fingerprint`` (:mod:`dcml_widgets.journal`): that one names a dataset by
its ids and original labels only, stably across machines, so edits resume on the same data;
this key must change when any feature value or option changes, and lives for one process.
"""

from __future__ import annotations

import hashlib
import pickle
import threading
from collections import OrderedDict
from typing import Any

import numpy as np
import pandas as pd


def cache_key(df: pd.DataFrame, options: dict[str, Any]) -> str | None:
    """A hash of the frame's ids, columns, dtypes and values plus the options.

    Parameters
    ----------
    df : pandas.DataFrame
    options : dict
        Analysis options; arrays are hashed by content, estimators (also each member of a
        model list) by class and parameters.

    Returns
    -------
    str or None
        ``None`` when something cannot be hashed (the analysis is then not cached).
    """
    h = hashlib.sha256()
    try:
        h.update(repr([(str(c), str(t)) for c, t in df.dtypes.items()]).encode())
        h.update(pd.util.hash_pandas_object(df, index=True).to_numpy().tobytes())
        for name in sorted(options):
            h.update(name.encode())
            h.update(_option_bytes(options[name]))
    except (TypeError, ValueError, pickle.PicklingError, AttributeError):
        return None
    return h.hexdigest()


def _option_bytes(value: Any) -> bytes:
    if value is None or isinstance(value, bool | int | float | str):
        return repr(value).encode()
    if isinstance(value, list | tuple) and any(hasattr(v, "get_params") for v in value):
        # A model list: each member by class and parameters, in order.
        return b"models" + b"|".join(_option_bytes(v) for v in value)
    if isinstance(value, list | tuple | pd.Index):
        # Type and value: classes=[1, 2] and classes=["1", "2"] name different columns.
        return repr([(type(v).__name__, str(v)) for v in value]).encode()
    if isinstance(value, pd.DataFrame):
        return pd.util.hash_pandas_object(value, index=True).to_numpy().tobytes()
    if hasattr(value, "get_params"):
        params = value.get_params(deep=True)
        return (
            type(value).__qualname__ + repr(sorted((k, repr(v)) for k, v in params.items()))
        ).encode()
    array = np.asarray(value)
    if array.dtype == object:
        return pickle.dumps(array)
    return repr((array.shape, str(array.dtype))).encode() + np.ascontiguousarray(array).tobytes()


class AnalysisCache:
    """A small thread-safe LRU map from :func:`cache_key` to analysis.

    Parameters
    ----------
    max_entries : int
        Analyses kept (each holds a model matrix, so few).
    """

    def __init__(self, max_entries: int = 4) -> None:
        self.max_entries = max_entries
        self._items: OrderedDict[str, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str | None) -> Any:
        """The cached value for ``key`` (``None`` if absent or ``key`` is ``None``).

        Parameters
        ----------
        key : str or None
        """
        if key is None:
            return None
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: str | None, value: Any) -> None:
        """Store ``value`` (nothing happens when ``key`` is ``None``).

        Parameters
        ----------
        key : str or None
        value : object
        """
        if key is None:
            return
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.max_entries:
                self._items.popitem(last=False)

    def clear(self) -> None:
        """Forget everything."""
        with self._lock:
            self._items.clear()
