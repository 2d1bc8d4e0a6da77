"""Browser messages are untrusted: each view accepts the types in its table and nothing else,
and no message — however malformed or hostile — escapes the comm or half-applies a command.

Messages go through ipywidgets' own comm entry point (``Widget._handle_msg``), as a browser's
do, so a ``custom`` message is routed exactly as in a kernel.
"""

from __future__ import annotations

import errno
import logging
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import dcml_widgets as dw
from dcml_widgets.state import DatasetState

HOSTILE = [
    "<img src=x onerror=alert(1)>",
    "</script><script>alert(1)</script>",
    "\x00\x01\ufffd",
    "x" * 20_000,
    "'; DROP TABLE labels; --",
    "__proto__",
]
FIELDS = (
    "revision nonce name mode position start count sort ascending filter action target ids "
    "label text seq id column issue row col add axis index"
).split()
# ipywidgets' own handler names and other names a hostile page might try.
NOT_OURS = [
    "msg",
    "custom_msg",
    "control_comm_msg",
    "display",
    "close",
    "state",
    "update",
    "set_state",
    "__init__",
    "_dispatch",
    "_refuse",
    "send_state",
    "_handle_msg",
]


def comm_message(content, buffers=()) -> dict:
    """A custom message as the kernel receives it from the browser's comm."""
    return {
        "content": {"data": {"method": "custom", "content": content}},
        "buffers": list(buffers),
    }


def update_message(state: dict) -> dict:
    """A trait update as the browser sends it."""
    return {
        "content": {"data": {"method": "update", "state": state, "buffer_paths": []}},
        "buffers": [],
    }


@pytest.fixture
def dash(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    df = dw.datasets.demo(n_rows=120, seed=5)
    layout = df[["pixel_20", "pixel_44"]].to_numpy(np.float32) + np.arange(120)[:, None] * 1e-3
    board = dw.audit(
        df,
        label="digit",
        journal=tmp_path / "j.jsonl",
        layout=layout,
        progress=False,
        display=False,
    )
    yield board, df, tmp_path / "j.jsonl"
    board.wait(120)
    board.close()


def views(board) -> dict:
    found = {
        name: getattr(board, name)
        for name in ("header", "embedding", "confusion", "grid", "annotators", "gaps_panel")
    }
    found["measure"] = board.measure_panel.view
    found["whatif"] = board.whatif_panel
    return {k: v for k, v in found.items() if v is not None}


@pytest.fixture
def escapes(caplog):
    """Errors that escaped into ipywidgets' comm handling (in a kernel: a traceback in the
    cell's output; outside one, ipywidgets logs them as warnings)."""
    caplog.set_level(logging.WARNING)

    def found() -> list[str]:
        marks = ("Exception in callback", "Exception in widget method")
        return [r.getMessage() for r in caplog.records if r.getMessage().startswith(marks)]

    return found


def test_every_view_declares_a_table_and_refuses_other_types(dash, escapes) -> None:
    board, _df, _path = dash
    for name, view in views(board).items():
        assert view._messages, f"{name} declares no message table"
        log_before = len(board.state.log)
        for kind in [*NOT_OURS, 7, None, ["select"], {"a": 1}, "x" * 5000]:
            view._handle_msg(comm_message({"type": kind}))
            assert view.error.startswith("Refused: a message of unknown type"), (name, kind)
            assert len(view.error) < 500
        view._handle_msg(comm_message(["not", "a", "dict"]))
        assert "unknown type" in view.error
        assert len(board.state.log) == log_before
    assert escapes() == []


def test_an_unexpected_error_in_a_handler_is_refused_shown_and_logged(
    dash, escapes, caplog, monkeypatch
) -> None:
    board, _df, _path = dash
    grid, state = board.grid, board.state
    row = int(state.ids[0])
    real = os.pwrite
    monkeypatch.setattr(
        os,
        "pwrite",
        lambda *a: (_ for _ in ()).throw(OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))),
    )
    before = state.labels.copy()
    other = next(c for c in state.classes if c != before.iloc[0])
    grid._handle_msg(
        comm_message({"type": "action", "action": "relabel", "ids": [row], "label": other})
    )
    monkeypatch.setattr(os, "pwrite", real)
    assert "No space left on device" in grid.error and "not made" in grid.error
    assert state.labels.equals(before) and len(state.log) == 0
    assert any("refused a browser message" in r.getMessage() for r in caplog.records)
    # A superseded state (the journal taken over) refuses too, with a reason, not a traceback.
    newer = DatasetState(state.frame, "digit", journal=state.journal_path)
    grid._handle_msg(comm_message({"type": "action", "action": "exclude", "ids": [row]}))
    assert "taken over" in grid.error and not state.rows.excluded_mask.any()
    newer.close()
    assert escapes() == []


def test_the_browser_may_change_only_its_own_traits(dash, escapes) -> None:
    board, _df, _path = dash
    emb = board.embedding
    sent: list = []
    emb.comm.send = lambda data=None, metadata=None, buffers=None: sent.append(data)
    revision = emb.revision
    emb._handle_msg(update_message({"revision": 99, "n_points": 3}))
    assert emb.revision == revision and "may not change" in emb.error
    assert any(d.get("method") == "update" and "revision" in d.get("state", {}) for d in sent)
    emb._handle_msg(update_message({"color_by": "rainbow"}))
    assert emb.color_by == "label" and "Refused" in emb.error
    emb._handle_msg(update_message({"color_by": "score"}))
    assert emb.color_by == "score"
    board.confusion._handle_msg(update_message({"normalize": True}))
    assert board.confusion.normalize is True
    assert escapes() == []


def junk(rng: np.random.Generator, ids: list, depth: int = 0):
    """A random JSON-ish value: numbers at the edges, hostile text, ids, nested junk."""
    pick = rng.integers(0, 14)
    if pick == 0:
        return int(rng.integers(-5, 200))
    if pick == 1:
        return [2**70, -(2**63), -1, 0, 10**12][rng.integers(0, 5)]
    if pick == 2:
        return [float("nan"), float("inf"), -0.0, 1e308, 0.5][rng.integers(0, 5)]
    if pick == 3:
        return HOSTILE[rng.integers(0, len(HOSTILE))]
    if pick == 4:
        return bool(rng.integers(0, 2))
    if pick == 5:
        return None
    if pick == 6:
        return [ids[i] for i in rng.integers(0, len(ids), rng.integers(1, 6))]
    if pick == 7:
        return ids[int(rng.integers(0, len(ids)))]
    if pick == 8:
        return [
            "label",
            "score",
            "status",
            "edited",
            "excluded",
            "all",
            "selection",
            "replace",
            "add",
            "remove",
            "relabel",
            "accept",
            "exclude",
            "restore",
            "reviewed",
            "note",
            "undo",
            "col:note",
            "given",
            "any",
        ][rng.integers(0, 20)]
    if pick == 9 and depth < 3:
        return [junk(rng, ids, depth + 1) for _ in range(rng.integers(0, 4))]
    if pick == 10 and depth < 3:
        keys = ["scope", "issue", "class", "status", "disagree", *HOSTILE[:2]]
        return {
            keys[rng.integers(0, len(keys))]: junk(rng, ids, depth + 1)
            for _ in range(rng.integers(0, 4))
        }
    if pick == 11:
        return int(rng.integers(0, 12))  # a plausible class index / count
    return "".join(map(chr, rng.integers(32, 0x2FFF, rng.integers(0, 12))))


def buffers(rng: np.random.Generator, n_rows: int) -> list:
    kind = rng.integers(0, 5)
    if kind == 0:
        return []
    if kind == 1:  # valid row positions
        return [np.unique(rng.integers(0, n_rows, rng.integers(0, 30))).astype("<u4").tobytes()]
    if kind == 2:
        return [rng.bytes(int(rng.integers(0, 41)))]  # any length, any bytes
    if kind == 3:
        return [np.array([n_rows + 5, 2**32 - 1], "<u4").tobytes()]
    return [rng.bytes(8), rng.bytes(3)]


def plausible(rng: np.random.Generator, name: str, kind: str, state, ids: list) -> dict:
    """A message a real page could send (then mutated), so commands really run."""
    n = state.n_rows
    one = ids[int(rng.integers(0, len(ids)))]
    pick = lambda options: options[int(rng.integers(0, len(options)))]  # noqa: E731
    templates = {
        "page": {"start": int(rng.integers(0, n)), "count": int(rng.integers(1, 60))},
        "view": {
            "sort": pick(["score", "id", "label", "status", "note", "given"]),
            "ascending": bool(rng.integers(0, 2)),
            "filter": pick(
                [
                    {},
                    {"scope": "selection"},
                    {"issue": "label"},
                    {"status": "edited"},
                    {"class": state.classes[0]},
                ]
            ),
        },
        "action": {
            "action": pick(["relabel", "accept", "exclude", "restore", "reviewed", "note"]),
            "ids": [one] if rng.random() < 0.7 else [pick(ids) for _ in range(4)],
            "label": pick(state.classes),
            "text": pick([*HOSTILE[:3], "checked", ""]),
        },
        "focus": {"position": int(rng.integers(-1, n)), "seq": int(rng.integers(0, 99))},
        "select": {"mode": pick(["replace", "add", "remove"])},
        "cell": {"id": one, "column": pick(["writer", "note", "pixel_3"])},
        "init": {"nonce": "fuzz"},
        "channel": {"name": pick(["label", "predicted", "score", "issue", "status"])},
        "hover": {"position": int(rng.integers(0, n))},
        "select_cell": {
            "row": int(rng.integers(0, 10)),
            "col": int(rng.integers(0, 10)),
            "add": bool(rng.integers(0, 2)),
        },
        "select_class": {"axis": pick(["given", "predicted"]), "index": int(rng.integers(0, 10))},
        "select_issue": {"issue": pick(["label", "outlier", "near_duplicate"])},
        "show": {"index": int(rng.integers(-1, 3))},
    }
    content = {"type": kind, **templates.get(kind, {})}
    if kind == "action" and rng.random() < 0.3:
        content = {
            "type": kind,
            "action": content["action"],
            "target": "selection",
            "label": content["label"],
        }
    return content


def test_fuzz_thousands_of_messages_nothing_escapes_and_the_journal_replays(dash, escapes) -> None:
    board, df, path = dash
    state = board.state
    targets = views(board)
    ids = [int(i) for i in state.ids[:40]] + [10**9, -3, "7"]
    rng = np.random.default_rng(20261202)
    for _ in range(2500):
        name = list(targets)[rng.integers(0, len(targets))]
        view = targets[name]
        # measuring and the header's actions (re-run, exports) are slow work, not input checks
        known = [
            k
            for k in view._messages
            if (name, k)
            not in {("measure", "measure"), ("header", "action"), ("whatif", "compute")}
        ]
        kind = [*known, *NOT_OURS[:3]][rng.integers(0, len(known) + 3)]
        if rng.random() < 0.5:
            content = plausible(rng, name, kind, state, ids)
            for field in rng.choice(FIELDS, size=rng.integers(0, 2), replace=False):
                content[str(field)] = junk(rng, ids)  # then break a field or two
        else:
            content = {"type": kind}
            for field in rng.choice(FIELDS, size=rng.integers(0, 7), replace=False):
                content[str(field)] = junk(rng, ids)
        if rng.random() < 0.7 and hasattr(view, "revision"):
            content["revision"] = view.revision  # fresh: get past the staleness check
        if rng.random() < 0.05:
            names = rng.choice([*FIELDS, "color_by", "normalize"], size=2, replace=False)
            view._handle_msg(update_message({str(f): junk(rng, ids) for f in names}))
        view._handle_msg(comm_message(content, buffers(rng, state.n_rows)))
    assert escapes() == []
    assert len(state.log) > 20, "the fuzz should have made real edits too"
    # What the journal says is exactly what the state shows.
    board.wait(120)
    live = state.to_dataframe()
    pd.testing.assert_frame_equal(dw.apply_edits(df, path), live)
    copy = state.save(path.with_name("copy.jsonl"))
    resumed = DatasetState(df, "digit", journal=copy)
    assert resumed.labels.equals(state.labels)
    assert resumed.reviewed.equals(state.reviewed) and resumed.excluded.equals(state.excluded)
    assert resumed.notes.equals(state.notes) and resumed.classes == state.classes
    resumed.close()
