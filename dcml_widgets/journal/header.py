"""The journal's first line: which data (and which label column) a journal belongs to."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import numpy as np
import pandas as pd

from dcml_widgets.values import native

FORMAT = "dcml-journal"
VERSION = 2
"""The newest format version: version 2 journals may hold guideline commands and authors."""
READABLE_VERSIONS = (1, 2)


def fingerprint(ids: Any, labels: Any) -> str:
    """Hash of row ids and labels in row order: names the data a journal belongs to.

    Parameters
    ----------
    ids : sequence of int or str
        Row ids in row order.
    labels : sequence
        Original labels in row order (missing values allowed).

    Returns
    -------
    str
        32 hex characters. Same ids and labels in the same order (and of the same kinds:
        1 and "1" differ) give the same fingerprint, on any machine.
    """
    h = hashlib.sha256(b"dcml-fingerprint-1\0")
    ids = pd.Index(ids)
    if pd.api.types.is_integer_dtype(ids.dtype):
        h.update(b"int-ids\0")
        h.update(ids.to_numpy(dtype=np.int64).astype("<i8").tobytes())
    else:
        values = ids.to_numpy(dtype=object)
        h.update(b"str-ids\0")
        lengths = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
        h.update(lengths.astype("<i8").tobytes())
        h.update("".join(values).encode("utf-8", "surrogatepass"))
    labels = labels if isinstance(labels, pd.Series) else pd.Series(labels, copy=False)
    codes, uniques = pd.factorize(labels)  # first-appearance order: the same for any dtype
    tagged = [[type(native(u)).__name__, native(u)] for u in uniques]
    h.update(json.dumps(tagged, ensure_ascii=False, default=repr).encode("utf-8"))
    h.update(np.asarray(codes, dtype=np.int64).astype("<i8").tobytes())
    h.update(str(len(ids)).encode())
    return h.hexdigest()[:32]


def make_header(
    *, label: str, n_rows: int, fingerprint: str, id_column: str | None = None, version: int = 1
) -> dict:
    """The header line of a journal for the data these values describe.

    Parameters
    ----------
    label : str
        The label column.
    n_rows : int
        Number of rows.
    fingerprint : str
        :func:`fingerprint` of the row ids and original labels.
    id_column : str, optional
        The column the ids came from, so a replay finds them again.
    version : int
        1 until a record needs what version 2 adds (see :func:`record_version`).

    Returns
    -------
    dict
        ``format``, ``version``, ``label``, ``n_rows`` and ``fingerprint``; plus
        ``id_column`` when the ids came from a column.
    """
    header: dict[str, Any] = {
        "format": FORMAT,
        "version": version,
        "label": label,
        "n_rows": n_rows,
        "fingerprint": fingerprint,
    }
    if id_column is not None:
        header["id_column"] = id_column
    return header


def check_header(header: dict, expected: dict, path: Any) -> None:
    """Refuse a journal written for other data.

    Parameters
    ----------
    header : dict
        The journal's header line.
    expected : dict
        :func:`make_header` of the data at hand.
    path : str or Path
        The journal (named in the error).

    Raises
    ------
    ValueError
        If the fingerprint, row count or label column differ.
    """
    fp, n = expected["fingerprint"], expected["n_rows"]
    if header.get("fingerprint") != fp or header.get("n_rows") != n:
        raise ValueError(
            f"Journal {path} was written for other data (fingerprint "
            f"{header.get('fingerprint')}, {header.get('n_rows')} rows; this data has "
            f"{fp}, {n} rows): pass journal= a new path, or load the data it was written for "
            "(with the same id_column= if ids came from a column)."
        )
    if header.get("label") != expected["label"]:
        raise ValueError(
            f"Journal {path} edits label column {header.get('label')!r}, not "
            f"{expected['label']!r}; pass label={header.get('label')!r} or a new journal path."
        )


def record_version(record: dict) -> int:
    """The format version a record needs: 2 for guideline commands and authored edits."""
    return 2 if record.get("field") == "guideline" or record.get("author") is not None else 1
