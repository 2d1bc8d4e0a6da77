"""RelabelGrid: pages on the wire, every action as a state command, every refusal."""

from __future__ import annotations

import io
import json

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from dcml_widgets.state import DatasetState
from dcml_widgets.views.grid.relabel_grid import RelabelGrid
from tests.factories import blobs_frame, quick_report


@pytest.fixture(scope="module")
def data():
    df, flipped = blobs_frame(n=120, n_classes=3, n_flipped=10, seed=2)
    return df, flipped, quick_report(df)


class Wire:
    """Captures what the grid sends to the browser."""

    def __init__(self, grid: RelabelGrid) -> None:
        self.sent: list[tuple[dict, list]] = []
        grid.send = lambda msg, buffers=None: self.sent.append((msg, list(buffers or [])))

    def last(self, kind: str) -> tuple[dict, list]:
        return next(m for m in reversed(self.sent) if m[0]["type"] == kind)


def make(data, **kw):
    df, _, report = data
    state = DatasetState(df, "y", report=report)
    grid = RelabelGrid(state, **kw)
    return state, grid, Wire(grid)


def msg(grid: RelabelGrid, content: dict, buffers: list | None = None) -> str:
    """Send a browser message the way the comm does; return the error it left (or "")."""
    grid._dispatch(grid, content, buffers or [])
    return grid.error


def get_page(grid: RelabelGrid, wire: Wire, start: int = 0, count: int = 10) -> tuple:
    error = msg(grid, {"type": "page", "start": start, "count": count, "revision": grid.revision})
    assert error == ""
    return wire.last("page")


def test_page_shows_worst_rows_first_with_their_facts(data):
    df, _flipped, report = data
    _state, grid, wire = make(data)
    content, buffers = get_page(grid, wire, 0, 10)
    rows = content["rows"]
    issues = report.issues
    want = issues.sort_values("label_score", kind="stable").index[:10].tolist()
    assert [r["id"] for r in rows] == want
    assert buffers == []  # no images in this frame
    first = rows[0]
    assert grid.classes[first["given"]] == df.loc[first["id"], "y"]
    assert first["score"] == pytest.approx(issues.loc[first["id"], "label_score"], abs=1e-6)
    suggested = issues.loc[first["id"], "suggested_label"]
    assert (grid.classes[first["suggested"]] if first["suggested"] >= 0 else None) == (
        suggested if pd.notna(suggested) else None
    )
    assert ("label" in first["issues"]) == bool(issues.loc[first["id"], "is_label_issue"])
    assert first["cells"][:3] == pytest.approx(df.loc[first["id"], ["f0", "f1", "f2"]].tolist())
    assert first["cells"][3] == df.loc[first["id"], "text"]
    assert grid.total == len(df)
    titles = [c["title"] for c in grid.columns]
    assert titles[:4] == ["id", "given", "label", "suggested"]
    assert titles[-4:] == ["f0", "f1", "f2", "text"]


def test_stale_or_malformed_page_requests_are_refused(data):
    state, grid, wire = make(data)
    state.mark_reviewed([state.ids[0]])  # bumps the revision
    n_sent = len(wire.sent)
    error = msg(grid, {"type": "page", "start": 0, "count": 10, "revision": grid.revision - 1})
    assert "stale" in error
    for bad in (
        {"start": -1, "count": 10},
        {"start": 0, "count": 10_000},
        {"start": "0", "count": 10},
        {"start": 0, "count": 10, "revision": "x"},
    ):
        content = {"type": "page", "revision": grid.revision, **bad}
        assert msg(grid, content).startswith("Refused")
    assert len(wire.sent) == n_sent  # nothing was sent for any of them
    assert get_page(grid, wire)[0]["revision"] == grid.revision
    assert grid.error == ""


def test_every_action_is_one_logged_command(data):
    df, _, report = data
    state, grid, _wire = make(data)
    ids = [i for i in grid.visible_ids(0, 20) if df.loc[i, "y"] != "c0"][:4]
    suggested = report.issues["suggested_label"]
    with_suggestion = [i for i in report.issues.index if pd.notna(suggested[i])]
    target = next(i for i in with_suggestion if i != ids[0])

    assert msg(grid, {"type": "action", "action": "relabel", "ids": [ids[0]], "label": "c0"}) == ""
    assert msg(grid, {"type": "action", "action": "accept", "ids": [target]}) == ""
    assert msg(grid, {"type": "action", "action": "exclude", "ids": [ids[1]]}) == ""
    assert msg(grid, {"type": "action", "action": "restore", "ids": [ids[1]]}) == ""
    assert msg(grid, {"type": "action", "action": "reviewed", "ids": [ids[2]]}) == ""
    assert msg(grid, {"type": "action", "action": "note", "ids": [ids[3]], "text": "blurry"}) == ""
    edits = state.edits
    rows = edits[["row", "field", "new", "source"]].values.tolist()
    expected = [
        [ids[0], "label", "c0", "user"],
        [target, "label", suggested[target], "suggestion"],
        [ids[1], "excluded", True, "user"],
        [ids[1], "excluded", False, "user"],
        [ids[2], "reviewed", True, "user"],
        [ids[3], "note", "blurry", "user"],
    ]
    assert rows == expected
    assert state.rows.note_at(state.rows.positions(ids[3])[0]) == "blurry"
    assert state.labels[target] == suggested[target]
    # undo / redo from the browser
    assert msg(grid, {"type": "undo"}) == ""
    assert state.rows.note_at(state.rows.positions(ids[3])[0]) is None
    assert msg(grid, {"type": "redo"}) == ""
    assert state.rows.note_at(state.rows.positions(ids[3])[0]) == "blurry"
    assert state.edits["source"].tolist()[-2:] == ["undo", "redo"]
    assert grid.can_undo and not grid.can_redo


def test_bulk_actions_act_on_the_selection_as_one_command(data):
    df, _, report = data
    state, grid, _wire = make(data, follow_selection=False)
    pick = [i for i in state.ids[:8] if df.loc[i, "y"] != "c2"][:4]
    state.select(pick)
    assert grid.n_selected == 4
    assert (
        msg(grid, {"type": "action", "action": "relabel", "target": "selection", "label": "c2"})
        == ""
    )
    assert msg(grid, {"type": "action", "action": "exclude", "target": "selection"}) == ""
    assert msg(grid, {"type": "action", "action": "reviewed", "ids": pick[:2]}) == ""
    edits = state.edits
    assert edits["group"].nunique() == 3
    assert set(edits["source"]) == {"bulk"}
    assert sorted(edits.loc[edits["field"] == "label", "row"]) == sorted(pick)
    assert state.excluded[pick].all()
    assert state.undo()  # one undo step undoes the whole bulk command
    assert not state.reviewed[pick].any()
    flagged = report.issues.index[report.issues["suggested_label"].notna()][:3].tolist()
    state.select(flagged)
    assert msg(grid, {"type": "action", "action": "accept", "target": "selection"}) == ""
    assert state.edits["source"].iloc[-1] == "bulk"


def test_bad_browser_messages_change_nothing(data):
    state, grid, _wire = make(data)
    row = grid.visible_ids(0, 1)[0]
    state.relabel([row], "c1" if state.labels[row] != "c1" else "c0")
    before = state.edits.copy()
    labels = state.labels.copy()
    bad = [
        ({"type": "action", "action": "relabel", "ids": [987654], "label": "c1"}, "Unknown row"),
        ({"type": "action", "action": "relabel", "ids": [row], "label": "c7"}, "Unknown class"),
        ({"type": "action", "action": "relabel", "ids": [row], "label": True}, "Unknown class"),
        ({"type": "action", "action": "exclude", "ids": [row, 10**9]}, "Unknown row"),
        ({"type": "action", "action": "explode", "ids": [row]}, "Unknown action"),
        ({"type": "action", "action": "exclude", "ids": []}, "ids"),
        ({"type": "action", "action": "exclude", "ids": [1.5]}, "ints or strings"),
        ({"type": "action", "action": "exclude", "target": "selection"}, "No rows are selected"),
        ({"type": "action", "action": "note", "ids": [row], "text": 5}, "text"),
        ({"type": "action", "action": "note", "ids": [row, row + 1], "text": "x"}, "one row"),
        ({"type": "view", "sort": "col:secret"}, "Cannot sort"),
        ({"type": "view", "filter": {"class": "nope"}}, "Unknown class"),
        ({"type": "view", "filter": "all"}, "dict"),
        ({"type": "focus", "position": 10**6}, "focus"),
        ({"type": "cell", "id": row, "column": "y2"}, "Unknown column"),
        ({"type": "teleport"}, "unknown type"),
    ]
    for content, words in bad:
        error = msg(grid, content)
        assert error.startswith("Refused") and words in error, (content, error)
        pd.testing.assert_frame_equal(state.edits, before)
        pd.testing.assert_series_equal(state.labels, labels)
    state.undo()
    assert msg(grid, {"type": "undo"}) == "Refused: There is nothing to undo."
    assert msg(grid, {"type": "redo"}) == ""
    assert msg(grid, {"type": "redo"}) == "Refused: There is nothing to redo."


def test_focus_follows_the_state_both_ways(data):
    state, grid, _wire = make(data)
    order = grid.visible_ids(0, 120)
    state.focus = order[7]
    assert (grid.focus_index, grid.focus_position) == (7, int(state.rows.positions(order[7])[0]))
    assert msg(grid, {"type": "focus", "position": int(state.rows.positions(order[3])[0])}) == ""
    assert state.focus == order[3] and grid.focus_index == 3
    grid.set_view(ascending=False)
    assert grid.focus_index == 120 - 1 - 3
    revision = grid.revision
    state.focus = order[4]  # focus alone does not invalidate pages
    assert grid.revision == revision


def test_selection_messages_are_binary_and_validated(data):
    state, grid, wire = make(data)
    buf = np.array([5, 2, 9], dtype="<u4").tobytes()
    assert msg(grid, {"type": "select", "mode": "replace"}, [buf]) == ""
    assert state.selection.tolist() == [2, 5, 9]
    assert grid.filter["scope"] == "all"  # the grid's own selection does not re-scope it
    assert msg(grid, {"type": "select", "mode": "remove"}, [np.array([5], "<u4").tobytes()]) == ""
    assert msg(grid, {"type": "select", "mode": "add"}, [np.array([1], "<u4").tobytes()]) == ""
    assert state.selection.tolist() == [1, 2, 9]
    content, _ = get_page(grid, wire, 0, 120)
    assert sorted(r["id"] for r in content["rows"] if r["selected"]) == [1, 2, 9]
    for bad in ([b"\x01\x00\x00"], [np.array([500], "<u4").tobytes()], [b"", b""]):
        assert msg(grid, {"type": "select", "mode": "replace"}, bad).startswith("Refused")
    assert msg(grid, {"type": "select", "mode": "xor"}, [buf]).startswith("Refused")
    assert state.selection.tolist() == [1, 2, 9]
    assert msg(grid, {"type": "select", "mode": "replace"}) == ""
    assert state.selection.tolist() == []


def test_selection_from_another_view_scopes_the_grid(data):
    state, grid, _wire = make(data)
    state.select([3, 4, 5])
    assert grid.filter["scope"] == "selection" and grid.total == 3
    assert sorted(grid.visible_ids(0, 10)) == [3, 4, 5]
    state.select([])
    assert grid.filter["scope"] == "all" and grid.total == 120


def test_filter_and_sort_from_the_browser(data):
    df, _, report = data
    _state, grid, _wire = make(data)
    assert msg(grid, {"type": "view", "filter": {"issue": "label"}}) == ""
    assert grid.total == int(report.issues["is_label_issue"].sum())
    assert msg(grid, {"type": "view", "sort": "col:f1", "ascending": False}) == ""
    shown = grid.visible_ids(0, 200)
    f1 = df.loc[shown, "f1"].to_numpy()
    assert (np.diff(f1) <= 0).all()
    assert grid.sort_by == "col:f1" and grid.ascending is False


def test_synced_state_and_page_bytes_do_not_grow_with_rows():
    def measure(n):
        df, _ = blobs_frame(n=n, n_classes=3, n_flipped=n // 20, seed=0)
        state = DatasetState(df, "y", report=quick_report(df))
        grid = RelabelGrid(state)
        synced = {k: v for k, v in grid.get_state().items() if k not in ("_esm", "_css")}
        wire = Wire(grid)
        content, _ = get_page(grid, wire, 0, 50)
        rows = [{**r, "id": 0, "pos": 0} for r in content["rows"]]  # same width for every n
        return len(json.dumps(synced, default=str)), len(json.dumps(rows)), grid.total

    small, large = measure(150), measure(6000)
    assert large[2] == 6000
    assert abs(large[0] - small[0]) <= 8  # only the digits of `total` differ
    assert abs(large[1] - small[1]) < 0.1 * small[1]


def test_long_text_is_cut_and_expands_on_request(data):
    df, _, report = data
    df = df.copy()
    hostile = "<img src=x onerror=alert(1)>" + "x" * 500
    df.loc[df.index[0], "text"] = hostile
    state = DatasetState(df, "y", report=report)
    grid = RelabelGrid(state)
    wire = Wire(grid)
    grid.set_view(sort="id")
    content, _ = get_page(grid, wire, 0, 1)
    row = content["rows"][0]
    assert row["trunc"] == ["text"] and row["cells"][3] == hostile[:160]
    assert msg(grid, {"type": "cell", "id": int(df.index[0]), "column": "text"}) == ""
    assert wire.last("cell")[0]["text"] == hostile


def test_state_without_report_sorts_by_id():
    df, _ = blobs_frame(n=30)
    state = DatasetState(df, "y")
    grid = RelabelGrid(state)
    wire = Wire(grid)
    content, _ = get_page(grid, wire, 0, 5)
    assert [r["id"] for r in content["rows"]] == [0, 1, 2, 3, 4]
    assert all(r["score"] is None and r["suggested"] == -1 for r in content["rows"])
    assert msg(grid, {"type": "action", "action": "accept", "ids": [0]}).startswith("Refused")


def test_constructor_refuses_bad_arguments(data):
    df, _, report = data
    state = DatasetState(df, "y", report=report)
    with pytest.raises(TypeError, match="DatasetState"):
        RelabelGrid(df)
    with pytest.raises(KeyError, match="columns="):
        RelabelGrid(state, columns=["f0", "nope"])
    with pytest.raises(ValueError, match="page_size"):
        RelabelGrid(state, page_size=0)
    with pytest.raises(ValueError, match="image_shape"):
        RelabelGrid(state, image_shape=(5, 5))


def test_close_unsubscribes(data):
    state, grid, _wire = make(data)
    revision = grid.revision
    grid.close()
    state.mark_reviewed([state.ids[0]])
    assert grid.revision == revision


# ------------------------------------------------------------------------- thumbnails
def decode_png(data: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(data)))


def image_frame(n=12):
    rng = np.random.default_rng(0)
    images = rng.integers(0, 17, size=(n, 8, 8)).astype(float)  # digits-like 0..16
    labels = [f"d{i % 3}" for i in range(n)]
    return images, labels


def expected_uint8(image):
    lo, hi = image.min(), image.max()
    return np.round((image - lo) / (hi - lo) * 255).astype(np.uint8)


def check_thumbs(grid, images):
    wire = Wire(grid)
    grid.set_view(sort="id")
    content, buffers = get_page(grid, wire, 0, 5)
    assert grid.has_images and [c["kind"] for c in grid.columns][1] == "thumb"
    assert len(buffers) == 5
    for row in content["rows"]:
        png = buffers[row["thumb"]]
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        np.testing.assert_array_equal(decode_png(png), expected_uint8(images[row["pos"]]))


def test_thumbnails_from_flattened_pixels_with_declared_shape():
    images, labels = image_frame()
    df = pd.DataFrame(images.reshape(len(images), -1), columns=[f"p{i}" for i in range(64)])
    df["y"] = labels
    grid = RelabelGrid(DatasetState(df, "y"), image_shape=(8, 8))
    check_thumbs(grid, images)
    assert not any(c["key"].startswith("col:p") for c in grid.columns)  # pixels not as columns


def test_thumbnails_from_pixel_named_columns():
    images, labels = image_frame()
    df = pd.DataFrame(images.reshape(len(images), -1), columns=[f"pixel_{i}" for i in range(64)])
    df["y"] = labels
    check_thumbs(RelabelGrid(DatasetState(df, "y")), images)


def test_thumbnails_from_array_and_pil_columns():
    images, labels = image_frame()
    df = pd.DataFrame({"img": list(images), "y": labels})
    check_thumbs(RelabelGrid(DatasetState(df, "y")), images)
    pil = [Image.fromarray(expected_uint8(im)) for im in images]
    df = pd.DataFrame({"img": pil, "y": labels})
    check_thumbs(RelabelGrid(DatasetState(df, "y")), images)
    assert pil[0].size == (8, 8)  # the user's images were not resized in place


def test_thumbnails_from_file_paths(tmp_path):
    images, labels = image_frame()
    paths = []
    for i, im in enumerate(images):
        path = tmp_path / f"im{i}.png"
        Image.fromarray(expected_uint8(im)).save(path)
        paths.append(str(path))
    paths[-1] = str(tmp_path / "missing.png")
    df = pd.DataFrame({"path": paths, "y": labels})
    grid = RelabelGrid(DatasetState(df, "y"))
    check_thumbs(grid, images)
    wire = Wire(grid)
    content, _ = get_page(grid, wire, 11, 1)
    assert content["rows"][0]["thumb"] == -1  # unreadable file: no thumbnail, no crash
    big = tmp_path / "big.png"
    Image.new("RGB", (640, 320), (200, 10, 10)).save(big)
    df = pd.DataFrame({"path": [str(big)] * 3, "y": ["a", "b", "a"]})
    grid = RelabelGrid(DatasetState(df, "y"))
    _, buffers = get_page(grid, Wire(grid), 0, 1)
    assert decode_png(buffers[0]).shape == (32, 64, 3)


def test_new_report_and_new_class_reach_the_grid(data):
    df, _, report = data
    state = DatasetState(df, "y")
    grid = RelabelGrid(state)
    wire = Wire(grid)
    assert grid.sort_by == "id" and grid.issue_types == []
    revision = grid.revision
    state.set_report(report)
    assert grid.revision > revision and grid.issue_types == ["label", "outlier"]
    grid.set_view(sort="score")
    content, _ = get_page(grid, wire, 0, 3)
    want = report.issues.sort_values("label_score", kind="stable").index[:3].tolist()
    assert [r["id"] for r in content["rows"]] == want
    state.add_class("c9")
    assert grid.classes == ["c0", "c1", "c2", "c9"]
    assert msg(grid, {"type": "action", "action": "relabel", "ids": [want[0]], "label": "c9"}) == ""
    assert state.labels[want[0]] == "c9"


def test_page_scores_keep_the_order_of_tiny_label_scores(data):
    # cleanlab's worst label scores are often below 1e-6: the page must still tell them apart.
    df, _, report = data
    tiny = report.issues.copy()
    tiny["label_score"] = np.geomspace(3e-9, 0.9, len(df))[::-1]
    state = DatasetState(df, "y", report=report.replace(issues=tiny))
    grid = RelabelGrid(state)
    wire = Wire(grid)
    content, _ = get_page(grid, wire, 0, 10)
    scores = [r["score"] for r in content["rows"]]
    want = np.sort(tiny["label_score"].to_numpy())[:10]
    assert scores == pytest.approx(want.tolist(), rel=1e-3)
    assert len(set(scores)) == 10 and scores == sorted(scores)


def test_a_guideline_set_in_python_reaches_the_grid_trait_and_undo_takes_it_back() -> None:
    df, _ = blobs_frame(n=30)
    state = DatasetState(df, "y")
    grid = RelabelGrid(state, columns=["text", "f0"])
    assert grid.guidelines == []
    hostile = '<img src=x onerror="alert(1)">'
    state.set_guideline("c1", hostile, examples=[4])
    assert grid.guidelines == [
        {"class": "c1", "text": hostile, "examples": [{"id": "4", "text": df.loc[4, "text"]}]}
    ]
    state.undo()
    assert grid.guidelines == []


def test_an_edit_sends_the_pages_shown_for_the_next_revision_before_bumping_it(data):
    state, grid, wire = make(data)
    n = len(wire.sent)
    state.mark_reviewed([state.ids[0]])
    assert [m for m, _ in wire.sent[n:] if m["type"] == "page"] == []  # nothing asked yet
    for start in (0, 10, 20):
        get_page(grid, wire, start, 10)
    row = wire.last("page")[0]["rows"][3]  # on the last page asked for
    target = next(c for c in state.classes if c != state.labels[row["id"]])
    bumps: list[tuple[int, int]] = []
    grid.observe(lambda ch: bumps.append((len(wire.sent), ch["new"])), "revision")
    n = len(wire.sent)
    error = msg(grid, {"type": "action", "action": "relabel", "ids": [row["id"]], "label": target})
    assert error == ""
    pushed = [m for m, _ in wire.sent[n:] if m["type"] == "page"]
    # The two pages asked for last, made for the revision that follows, sent before it.
    assert sorted(m["start"] for m in pushed) == [10, 20]
    assert {m["revision"] for m in pushed} == {grid.revision}
    assert bumps == [(n + len(pushed), grid.revision)]
    shown = next(r for m in pushed for r in m["rows"] if r["id"] == row["id"])
    assert grid.classes[shown["label"]] == target
    # They are the pages the browser would get by asking.
    for m in pushed:
        assert get_page(grid, wire, m["start"], 10)[0]["rows"] == m["rows"]
