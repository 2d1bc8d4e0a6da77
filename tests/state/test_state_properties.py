"""Property-based: random command sequences with undo/redo against an independent model.

The model keeps plain Python lists/sets/dicts and a stack of whole snapshots for undo, so it
shares no code with the state. For every random script: the live state matches the model
after each step; replaying the journal onto the raw frame gives the live cleaned frame;
resuming from the journal gives an identical state; undoing everything restores the
original data.
"""

from __future__ import annotations

import copy
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dcml_widgets as dw
from dcml_widgets.state import DatasetState

N = 10
RAW_LABELS = ["a", "b", "c", "a", None, "b", "c", "a", "b", "a"]
CLASSES = ["a", "b", "c", "d", "e"]  # d, e only after add_class

row_sets = st.lists(st.integers(0, N - 1), min_size=1, max_size=6)
commands = st.one_of(
    st.tuples(st.just("relabel"), row_sets, st.sampled_from(CLASSES)),
    st.tuples(st.just("revert"), row_sets),
    st.tuples(st.just("exclude"), row_sets),
    st.tuples(st.just("restore"), row_sets),
    st.tuples(st.just("mark_reviewed"), row_sets),
    st.tuples(st.just("note"), st.integers(0, N - 1), st.sampled_from(["", "x", "why?", "é"])),
    st.tuples(st.just("add_class"), st.sampled_from(["d", "e", "a"])),
    st.tuples(
        st.just("relabel_each"),
        st.lists(st.integers(0, N - 1), min_size=1, max_size=5, unique=True),
        st.lists(st.sampled_from(CLASSES), min_size=5, max_size=5),
    ),
    st.tuples(
        st.just("guideline"),
        st.sampled_from(CLASSES),
        st.sampled_from(["", "a dent changes the shape", "é <b>x</b>"]),
        st.lists(st.integers(0, N - 1), max_size=3, unique=True),
    ),
    st.tuples(st.just("reviewer"), st.sampled_from([None, "ana", "bo"])),
    st.tuples(st.just("undo")),
    st.tuples(st.just("redo")),
)


def make_frame(str_ids: bool, dtype: str = "object") -> pd.DataFrame:
    index = [f"r{i}" for i in range(N)] if str_ids else [i * 10 for i in range(N)]
    index = pd.Index(index, dtype=object if str_ids else np.int64)
    return pd.DataFrame(
        {"f": np.arange(N, dtype=float), "y": pd.Series(RAW_LABELS, index=index, dtype=dtype)},
        index=index,
    )


class Model:
    """What the state should hold, computed the simplest possible way."""

    def __init__(self) -> None:
        self.now = {
            "labels": list(RAW_LABELS),
            "excluded": set(),
            "reviewed": set(),
            "notes": {},
            "classes": ["a", "b", "c"],
            "guidelines": {},
        }
        self.undo_stack: list = []
        self.redo_stack: list = []

    def run(self, cmd: tuple) -> bool:
        """Apply ``cmd``; return False when the state must refuse it (and change nothing)."""
        name, *args = cmd
        if name == "reviewer":  # who edits is not an edit: no undo step, nothing changes
            return True
        if name == "undo":
            if self.undo_stack:
                before, after = self.undo_stack.pop()
                self.redo_stack.append((before, after))
                self.now = copy.deepcopy(before)
            return True
        if name == "redo":
            if self.redo_stack:
                before, after = self.redo_stack.pop()
                self.undo_stack.append((before, after))
                self.now = copy.deepcopy(after)
            return True
        before = copy.deepcopy(self.now)
        new = self.now
        if name == "relabel":
            rows, label = args
            if label not in new["classes"]:
                return False
            for r in rows:
                new["labels"][r] = label
        elif name == "revert":
            for r in args[0]:
                new["labels"][r] = RAW_LABELS[r]
        elif name == "exclude":
            new["excluded"] |= set(args[0])
        elif name == "restore":
            new["excluded"] -= set(args[0])
        elif name == "mark_reviewed":
            new["reviewed"] |= set(args[0])
        elif name == "note":
            row, text = args
            if text:
                new["notes"][row] = text
            else:
                new["notes"].pop(row, None)
        elif name == "add_class":
            if args[0] in new["classes"]:
                return False
            new["classes"].append(args[0])
        elif name == "relabel_each":
            rows, labels = args
            if any(label not in new["classes"] for label in labels[: len(rows)]):
                return False
            for r, label in zip(rows, labels, strict=False):
                new["labels"][r] = label
        elif name == "guideline":
            cls, text, rows = args
            if cls not in new["classes"] or (rows and not text):
                return False
            if text:
                new["guidelines"][cls] = (text, tuple(rows))
            else:
                new["guidelines"].pop(cls, None)
        if new != before:  # a command that changes nothing is not an undo step
            self.undo_stack.append((before, copy.deepcopy(new)))
            self.redo_stack.clear()
        return True


def run_on_state(state: DatasetState, cmd: tuple, ids: pd.Index) -> None:
    name, *args = cmd
    if name in ("undo", "redo"):
        getattr(state, name)()
    elif name == "relabel":
        state.relabel(list(ids[args[0]]), args[1])
    elif name == "note":
        state.note(ids[args[0]], args[1])
    elif name == "add_class":
        state.add_class(args[0])
    elif name == "relabel_each":
        rows, labels = args
        state.relabel(list(ids[rows]), labels[: len(rows)])
    elif name == "guideline":
        cls, text, rows = args
        state.set_guideline(cls, text, examples=list(ids[rows]) if rows else None)
    elif name == "reviewer":
        state.reviewer = args[0]
    else:
        getattr(state, name)(list(ids[args[0]]))


def observed(state: DatasetState) -> dict:
    labels = [None if pd.isna(v) else v for v in state.labels.tolist()]
    pos = {p: i for i, p in enumerate(state.ids)}
    return {
        "labels": labels,
        "excluded": set(np.flatnonzero(state.rows.excluded_mask).tolist()),
        "reviewed": set(np.flatnonzero(state.rows.reviewed_mask).tolist()),
        "notes": {pos[k]: v for k, v in state.notes.items()},
        "classes": state.classes,
        "guidelines": {
            g["class"]: (g["text"], tuple(pos[i] for i in g["examples"]))
            for _, g in state.guidelines.iterrows()
        },
    }


def full(state: DatasetState) -> dict:
    out = observed(state)
    out["edits"] = state.edits
    log = state._core.log  # the undo/redo stacks themselves, not only can_undo/can_redo
    out["stacks"] = (log.undo_stack, log.redo_stack)
    out["can"] = (state.can_undo, state.can_redo)
    return out


def assert_same(a: dict, b: dict) -> None:
    a, b = dict(a), dict(b)
    pd.testing.assert_frame_equal(a.pop("edits"), b.pop("edits"))
    assert a == b


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    script=st.lists(commands, max_size=25),
    str_ids=st.booleans(),
    dtype=st.sampled_from(["object", "str", "category"]),
)
def test_random_scripts(script: list, str_ids: bool, dtype: str) -> None:
    df = make_frame(str_ids, dtype)
    model = Model()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "j.jsonl"
        state = DatasetState(df, "y", journal=path)
        for cmd in script:
            before = full(state)
            accepted = model.run(cmd)
            if accepted:
                run_on_state(state, cmd, state.ids)
            else:
                try:
                    run_on_state(state, cmd, state.ids)
                except ValueError:
                    pass
                else:
                    raise AssertionError(f"{cmd} should have been refused")
                assert_same(full(state), before)  # a refused command changes nothing
            assert observed(state) == model.now, cmd
            assert state.can_undo == bool(model.undo_stack)
            assert state.can_redo == bool(model.redo_stack)

        # replaying the journal onto the raw data gives the live cleaned frame
        pd.testing.assert_frame_equal(dw.apply_edits(df, path), state.to_dataframe())
        # ... and a hand-built one from the model
        keep = [i for i in range(N) if i not in model.now["excluded"]]
        expected = df.copy()
        y = pd.Series(model.now["labels"], index=df.index, dtype=object)
        if dtype == "category":  # the added classes become categories, in the order added
            y = y.astype(pd.CategoricalDtype(model.now["classes"]))
        expected["y"] = y.astype(df["y"].dtype) if dtype != "category" else y
        pd.testing.assert_frame_equal(state.to_dataframe(), expected.iloc[keep])

        # resuming from the journal gives an identical state
        live = full(state)
        state.close()
        resumed = DatasetState(df, "y", journal=path)
        assert resumed.resumed_edits == len(live["edits"]["group"].unique())
        assert_same(full(resumed), live)

        # undoing everything restores the original data
        while resumed.can_undo:
            resumed.undo()
        assert observed(resumed) == Model().now
        pd.testing.assert_series_equal(resumed.labels, resumed.original_labels)
        resumed.close()
