"""Grid paging, sorting and filtering in the kernel, checked against plain pandas."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dcml_widgets.state import DatasetState
from dcml_widgets.views.grid.order import SortedOrder
from dcml_widgets.views.grid.pages import PageIndex
from tests.factories import blobs_frame, quick_report


@pytest.fixture(scope="module")
def data():
    df, flipped = blobs_frame(n=150, n_classes=3, n_flipped=12, seed=1)
    return df, flipped, quick_report(df)


def fresh(data, **kw) -> DatasetState:
    df, _, report = data
    return DatasetState(df, "y", report=report, **kw)


def expected_order(frame: pd.DataFrame, key: str, ascending: bool = True) -> list:
    """Row ids sorted by ``key`` (stable, ties by row order), as pandas does it."""
    pos = pd.Series(np.arange(len(frame)), index=frame.index)
    table = frame.assign(_pos=pos.to_numpy())
    ordered = table.sort_values([key, "_pos"], kind="stable", na_position="last")
    ids = ordered.index.tolist()
    return ids if ascending else ids[::-1]


def view_table(state: DatasetState) -> pd.DataFrame:
    """Everything the grid sorts and filters on, built independently with pandas."""
    issues = state.report.issues
    classes = state.classes
    label = state.labels.map(classes.index)
    given = state.original_labels.map(classes.index)
    suggested = issues["suggested_label"].map(lambda v: classes.index(v) if pd.notna(v) else -1)
    status = 4 * state.excluded.astype(int) + 2 * state.edited.astype(int) + state.reviewed
    return pd.DataFrame(
        {
            "score": issues["label_score"],
            "label": label,
            "given": given,
            "suggested": suggested,
            "status": status,
            "is_label_issue": issues["is_label_issue"],
            "f0": state.frame["f0"],
            "text": state.frame["text"],
        }
    )


def test_default_sort_is_label_score_worst_first(data):
    state = fresh(data)
    index = PageIndex(state, ["f0", "text"])
    assert index.sort == "score" and index.ascending
    want = expected_order(view_table(state), "score")
    got = state.ids[index.rows(0, 1000)].tolist()
    assert got == want
    # The worst-scored rows are mostly the flipped ones.
    _, flipped, _ = data
    assert len(set(got[:12]) & set(flipped.tolist())) >= 8


@pytest.mark.parametrize(
    "key,column", [("col:f0", "f0"), ("col:text", "text"), ("label", "label"), ("given", "given")]
)
@pytest.mark.parametrize("ascending", [True, False])
def test_sort_by_any_column(data, key, column, ascending):
    state = fresh(data)
    index = PageIndex(state, ["f0", "text"])
    index.set_view(sort=key, ascending=ascending)
    want = expected_order(view_table(state), column, ascending)
    assert state.ids[index.rows(0, 1000)].tolist() == want
    assert state.ids[index.rows(20, 7)].tolist() == want[20:27]


def test_sort_by_id_and_suggested(data):
    state = fresh(data)
    index = PageIndex(state, [])
    index.set_view(sort="id", ascending=False)
    assert state.ids[index.rows(0, 5)].tolist() == [149, 148, 147, 146, 145]
    index.set_view(sort="suggested", ascending=False)
    first = index.rows(0, 1000)
    suggested = view_table(state)["suggested"].to_numpy()[first]
    assert (np.diff(suggested) <= 0).all()


def test_paging_slices_the_order(data):
    state = fresh(data)
    index = PageIndex(state, [])
    whole = index.rows(0, 1000).tolist()
    pages = [index.rows(s, 40).tolist() for s in range(0, 150, 40)]
    assert [p for chunk in pages for p in chunk] == whole
    assert index.rows(150, 40).size == 0
    assert index.total == 150


def test_filters_match_pandas(data):
    state = fresh(data)
    ids = state.ids
    state.relabel([ids[0], ids[5]], "c2")
    state.exclude([ids[1], ids[5]])
    state.mark_reviewed([ids[2]])
    state.select([ids[3], ids[4], ids[5]])
    index = PageIndex(state, [])
    table = view_table(state)

    def shown(flt):
        index.set_view(flt=flt)
        return sorted(ids[index.rows(0, 1000)].tolist())

    assert shown({"issue": "label"}) == sorted(table.index[table["is_label_issue"]].tolist())
    assert shown({"issue": "any"}) == sorted(table.index[table["is_label_issue"]].tolist())
    assert shown({"class": "c2"}) == sorted(table.index[table["label"] == 2].tolist())
    assert shown({"status": "edited"}) == sorted(
        table.index[table["label"] != table["given"]].tolist()
    )
    assert shown({"status": "excluded"}) == sorted([ids[1], ids[5]])
    assert shown({"status": "active"}) == sorted(set(ids) - {ids[1], ids[5]})
    assert shown({"status": "reviewed"}) == [ids[2]]
    assert len(shown({"status": "unreviewed"})) == 149
    disagree = table.index[(table["suggested"] >= 0) & (table["suggested"] != table["given"])]
    assert shown({"disagree": True}) == sorted(disagree.tolist())
    assert shown({"scope": "selection"}) == sorted([ids[3], ids[4], ids[5]])
    assert shown({"scope": "selection", "status": "excluded"}) == [ids[5]]
    assert shown({}) == sorted(ids.tolist())


def test_refuses_bad_views(data):
    state = fresh(data)
    index = PageIndex(state, ["f0"])
    before = index.rows(0, 1000).tolist()
    with pytest.raises(ValueError, match="Cannot sort by"):
        index.set_view(sort="col:nope")
    with pytest.raises(ValueError, match="Unknown issue type"):
        index.set_view(flt={"issue": "wormhole"})
    with pytest.raises(KeyError, match="Unknown class"):
        index.set_view(flt={"class": "c9"})
    with pytest.raises(ValueError, match="Unknown filter key"):
        index.set_view(flt={"colour": "red"})
    with pytest.raises(ValueError, match="status"):
        index.set_view(flt={"status": "lost"})
    with pytest.raises(TypeError):
        index.set_view(ascending="yes")
    assert index.rows(0, 1000).tolist() == before


def test_incremental_updates_equal_fresh_recompute(data):
    """After each command, the cached order equals one computed from scratch."""
    rng = np.random.default_rng(3)
    state = fresh(data)
    ids = state.ids
    views = [
        ("label", True, {"status": "unreviewed"}),
        ("status", False, {"issue": "label"}),
        ("score", True, {"status": "edited"}),
        ("note", True, {}),
        ("label", False, {"class": "c1"}),
        ("score", True, {"scope": "selection", "status": "active"}),
    ]
    live = []
    for sort, asc, flt in views:
        index = PageIndex(state, [])
        index.set_view(sort=sort, ascending=asc, flt=flt)
        state.on_change(index.apply)
        live.append((index, (sort, asc, flt)))
    for _ in range(40):
        pick = ids[rng.choice(len(ids), size=rng.integers(1, 6), replace=False)].tolist()
        op = rng.integers(0, 8)
        if op == 0:
            state.relabel(pick, f"c{rng.integers(0, 3)}")
        elif op == 1:
            state.exclude(pick)
        elif op == 2:
            state.restore(pick)
        elif op == 3:
            state.mark_reviewed(pick)
        elif op == 4:
            state.note(pick[0], f"note {rng.integers(0, 5)}")
        elif op == 5:
            state.select(pick)
        elif op == 6 and state.can_undo:
            state.undo()
        elif state.can_redo:
            state.redo()
        for index, (sort, asc, flt) in live:
            recomputed = PageIndex(state, [])
            recomputed.set_view(sort=sort, ascending=asc, flt=flt)
            assert index.rows(0, 1000).tolist() == recomputed.rows(0, 1000).tolist()
            assert index.total == recomputed.total


def test_report_replaced_refreshes_scores(data):
    df, _, report = data
    state = DatasetState(df, "y")
    index = PageIndex(state, [])
    state.on_change(index.apply)
    assert np.isnan(index.arrays.score).all()
    state.set_report(report)
    index.set_view(sort="score")
    assert state.ids[index.rows(0, 1000)].tolist() == expected_order(view_table(state), "score")


def test_index_of(data):
    state = fresh(data)
    index = PageIndex(state, [])
    order = index.rows(0, 1000)
    assert index.index_of(int(order[17])) == 17
    index.set_view(ascending=False)
    assert index.index_of(int(order[17])) == 150 - 1 - 17
    index.set_view(flt={"issue": "label"})
    outside = int(np.setdiff1d(np.arange(150), index.rows(0, 1000))[0])
    assert index.index_of(outside) == -1


@settings(max_examples=60, deadline=None)
@given(
    keys=st.lists(st.integers(0, 4), min_size=1, max_size=80),
    moves=st.lists(st.tuples(st.integers(0, 79), st.integers(0, 4)), max_size=20),
)
def test_sorted_order_update_is_a_stable_sort(keys, moves):
    order = SortedOrder(np.array(keys, dtype=np.int32))
    current = np.array(keys)
    moves = [(p % len(keys), k) for p, k in moves]
    if moves:
        pos = np.array(sorted({p for p, _ in moves}))
        new = np.array([dict(moves)[p] for p in pos])
        order.update(pos, new)
        current[pos] = new
    assert order.order.tolist() == np.argsort(current, kind="stable").tolist()
