"""One journal line per edit group: :class:`EditGroup` <-> a JSON object, compact when big.

A small group lists its row ids and values as plain JSON (readable). A group of more than
:data:`SMALL_GROUP` rows stores row *positions* instead (safe: the journal header's
fingerprint pins the row order) as zlib-compressed, base64 deltas of the ascending
positions, and its values dictionary-encoded, so relabelling 100,000 rows is a line of a
few hundred kilobytes at most, not megabytes.

Example lines::

    {"group": 0, "seq": 0, "time": 1.7e9, "field": "label", "source": "user", "reason": null,
     "undoes": null, "ids": [3, 7], "old": ["cat", "dog"], "new": ["bird", "bird"]}
    {"group": 1, ..., "field": "excluded", "rows": {"n": 50000, "dtype": "<u1", "z": "eJ..."},
     "old": {"fill": false}, "new": {"fill": true}}
    {"group": 2, ..., "field": "class", "old": null, "new": "bird"}
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import zlib
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

SMALL_GROUP = 100
_UINTS = ("<u1", "<u2", "<u4", "<u8")


def _json_value(value: Any) -> Any:
    """A label / note / flag as a JSON-native value (None for missing).

    Raises
    ------
    ValueError
        If the value cannot be written to JSON exactly (journals need str, int, float or
        bool labels).
    """
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if math.isinf(value):
            raise ValueError("An infinite label cannot be journaled; use a finite value.")
        return value
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    raise ValueError(
        f"Label {value!r} ({type(value).__name__}) cannot be written to the journal: labels "
        "must be str, int, float or bool. Convert the label column (e.g. df[label].astype(str))"
        " or pass journal=None."
    )


def pack_uints(values: np.ndarray) -> dict:
    """Non-negative ints as ``{"n", "dtype", "z"}``: the smallest uint, zlib, base64."""
    values = np.asarray(values)
    top = int(values.max()) if values.size else 0
    dtype = next(d for d in _UINTS if top <= np.iinfo(np.dtype(d)).max)
    raw = values.astype(dtype).tobytes()
    return {
        "n": int(values.size),
        "dtype": dtype,
        "z": base64.b64encode(zlib.compress(raw, 6)).decode(),
    }


def unpack_uints(packed: Any) -> np.ndarray:
    """Inverse of :func:`pack_uints` (int64).

    Raises
    ------
    ValueError
        If the object is not a valid packed array.
    """
    if not isinstance(packed, dict) or packed.get("dtype") not in _UINTS:
        raise ValueError(f"not a packed int array: {str(packed)[:80]}")
    raw = zlib.decompress(base64.b64decode(packed["z"], validate=True))
    values = np.frombuffer(raw, dtype=packed["dtype"]).astype(np.int64)
    if len(values) != packed.get("n"):
        raise ValueError("packed int array has the wrong length")
    return values


def _unpack_values(packed: Any, n: int) -> tuple[np.ndarray, np.ndarray]:
    """A big group's value column as (distinct values, per-row index into them)."""
    if not isinstance(packed, dict):
        raise ValueError("a big group's values must be an object")
    if "fill" in packed:
        return _object([packed["fill"]]), np.zeros(n, dtype=np.int64)
    codes = unpack_uints(packed["codes"])
    table = packed["values"]
    if not isinstance(table, list) or len(codes) != n or (n and int(codes.max()) >= len(table)):
        raise ValueError("a big group's value codes do not fit its rows")
    return _object(table), codes


def _values(group: Any, which: np.ndarray, classes: np.ndarray) -> list:
    if group.field == "label":
        return [_json_value(v) for v in classes[which].tolist()]
    return [_json_value(v) for v in np.asarray(which).tolist()]


def _label_values(codes: np.ndarray, classes: np.ndarray) -> tuple[list, np.ndarray]:
    """Distinct label values (JSON) and each row's index into them, without a per-row loop."""
    uniq, inverse = np.unique(codes, return_inverse=True)
    return [_json_value(v) for v in classes[uniq].tolist()], inverse


def encode_group(group: Any, ids: pd.Index, class_table: list) -> dict:
    """The JSON object for one edit group.

    Parameters
    ----------
    group : EditGroup
        Any object with the fields of :class:`~dcml_widgets.state.log.EditGroup`.
    ids : pandas.Index
        The state's row ids (small groups list ids).
    class_table : list
        Every class in code order (``state.rows.class_table``), to turn label codes into
        label values.

    Raises
    ------
    ValueError
        If a value cannot be written to JSON.
    """
    record: dict[str, Any] = {
        "group": group.group,
        "seq": group.seq,
        "time": group.time,
        "field": group.field,
        "source": group.source,
        "reason": group.reason,
        "undoes": group.undoes,
    }
    if group.author is not None:  # a version-2 key: only journals of named reviewers carry it
        record["author"] = group.author
    if group.field == "class":
        record["old"] = _json_value(group.old[0])
        record["new"] = _json_value(group.new[0])
        return record
    if group.field == "guideline":
        record["old"] = _guideline_json(group.old[0])
        record["new"] = _guideline_json(group.new[0])
        return record
    classes = np.empty(len(class_table) + 1, dtype=object)
    classes[:-1] = class_table
    classes[-1] = None
    pos = group.positions
    if len(pos) <= SMALL_GROUP:
        record["ids"] = ids[pos].tolist()
        record["old"] = _values(group, group.old, classes)
        record["new"] = _values(group, group.new, classes)
        return record
    if (np.diff(pos) <= 0).any():
        order = np.argsort(pos, kind="stable")
        pos, old, new = pos[order], group.old[order], group.new[order]
    else:
        old, new = group.old, group.new
    record["rows"] = pack_uints(np.diff(pos, prepend=0))
    for key, column in (("old", old), ("new", new)):
        if group.field == "label":
            values, inverse = _label_values(column, classes)
        else:
            uniq, inverse = np.unique(np.asarray(column), return_inverse=True)
            values = [_json_value(v) for v in uniq.tolist()]
        if len(values) == 1:
            record[key] = {"fill": values[0]}
        else:
            record[key] = {"values": values, "codes": pack_uints(inverse)}
    return record


def _guideline_json(value: Any) -> dict | None:
    """A guideline (``{"class", "text", "examples"}`` or None) as JSON."""
    if value is None:
        return None
    return {
        "class": _json_value(value["class"]),
        "text": value["text"],
        "examples": [_json_value(i) for i in value["examples"]],
    }


def _guideline_of(value: Any) -> dict | None:
    """The inverse of :func:`_guideline_json`, checking every part.

    Raises
    ------
    ValueError
        If the value is not a guideline.
    """
    if value is None:
        return None
    if not isinstance(value, dict) or set(value) != {"class", "text", "examples"}:
        raise ValueError("a guideline is an object with class, text and examples")
    text, examples = value["text"], value["examples"]
    if not isinstance(text, str) or not isinstance(examples, list):
        raise ValueError("a guideline's text is a string and its examples a list")
    if not all(isinstance(i, (str, int)) and not isinstance(i, bool) for i in examples):
        raise ValueError("a guideline's examples are row ids (int or str)")
    return {"class": value["class"], "text": text, "examples": tuple(examples)}


def encode_line(record: dict) -> bytes:
    """One journal line (UTF-8 JSON + newline); refuses NaN/inf so every line is valid JSON."""
    text = json.dumps(record, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.encode("utf-8") + b"\n"


def decode_group(record: Any, n_rows: int, locate: Callable[[list], np.ndarray]) -> dict:
    """A journal line's object turned into the values of the edit group it was written from.

    Parameters
    ----------
    record : object
        One parsed journal line.
    n_rows : int
        Rows of the data (packed positions must lie below it).
    locate : callable
        Row positions (int64) of a list of ids; raises KeyError for an unknown id.

    Returns
    -------
    dict
        ``group, time, field, source, reason, undoes, author, positions`` (int64 array) and
        ``old``/``new``: for ``class`` a one-element object array (name or None), for
        ``guideline`` one (``{"class", "text", "examples"}`` or None); otherwise
        a pair ``(values, index)`` of the distinct JSON values (labels, not codes) and an
        int64 array giving each row's value as a position in them.

    Raises
    ------
    ValueError
        If the record is malformed.
    """
    if not isinstance(record, dict):
        raise ValueError("a journal line must be a JSON object")
    try:
        out: dict[str, Any] = {
            "group": int(record["group"]),
            "time": float(record["time"]),
            "field": str(record["field"]),
            "source": str(record["source"]),
            "reason": record.get("reason"),
            "undoes": None if record.get("undoes") is None else int(record["undoes"]),
            "author": record.get("author"),
        }
        if out["author"] is not None and not isinstance(out["author"], str):
            raise ValueError("an author is a name (text)")
        if out["field"] == "class":
            out["positions"] = np.empty(0, dtype=np.int64)
            out["old"] = _object([record["old"]])
            out["new"] = _object([record["new"]])
            return out
        if out["field"] == "guideline":
            out["positions"] = np.empty(0, dtype=np.int64)
            out["old"] = _object([_guideline_of(record["old"])])
            out["new"] = _object([_guideline_of(record["new"])])
            if out["old"][0] is None and out["new"][0] is None:
                raise ValueError("a guideline record changes nothing")
            return out
        if "ids" in record:
            listed = record["ids"]
            if not isinstance(listed, list):
                raise ValueError("ids must be a list")
            pos = locate(listed) if listed else np.empty(0, np.int64)
            if len(pos) != len(listed):
                raise ValueError("a group lists a row twice")
            old, new = record["old"], record["new"]
            if not (isinstance(old, list) and isinstance(new, list)):
                raise ValueError("old/new must be lists")
            if not len(old) == len(new) == len(pos):
                raise ValueError("old/new values do not match the rows")
            every = np.arange(len(pos), dtype=np.int64)
            out["old"], out["new"] = (_object(old), every), (_object(new), every)
        else:
            pos = np.cumsum(unpack_uints(record["rows"]))
            if len(pos) and (pos[-1] >= n_rows or (np.diff(pos) <= 0).any()):
                raise ValueError("row positions out of range or not ascending")
            out["old"] = _unpack_values(record["old"], len(pos))
            out["new"] = _unpack_values(record["new"], len(pos))
        out["positions"] = pos.astype(np.int64)
        distinct = [*out["old"][0], *out["new"][0]]
        if out["field"] in ("excluded", "reviewed") and not all(
            isinstance(v, bool) for v in distinct
        ):
            raise ValueError("excluded/reviewed values must be true or false")
        if out["field"] == "note" and not all(v is None or isinstance(v, str) for v in distinct):
            raise ValueError("notes must be text or null")
        return out
    except KeyError as exc:
        raise ValueError(f"a journal line lacks {exc}") from None
    except (TypeError, zlib.error, binascii.Error) as exc:
        raise ValueError(f"a journal line is malformed: {exc}") from None


def _object(values: list) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out
