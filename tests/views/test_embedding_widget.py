"""EmbeddingExplorer in Python: traits, what crosses the wire, and the browser-message handlers.

Messages are observed where they leave the widget (its comm), so the tests see exactly the
JSON and binary buffers a browser would receive.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
import traitlets
from ipywidgets.widgets.widget import _remove_buffers
from PIL import Image

from dcml_widgets.state import DatasetState
from dcml_widgets.views.embedding.explorer import (
    CHANNELS,
    EmbeddingExplorer,
    clip_text,
    encode_channel,
    normalize_layout,
)
from dcml_widgets.views.embedding.wire import quantize_layout
from tests.factories import blobs_frame, quick_report


class Wire:
    """Records every message the widget's comm sends: (data, buffers as bytes)."""

    def __init__(self, widget: EmbeddingExplorer) -> None:
        self.sent: list[tuple[dict, list[bytes]]] = []
        widget.comm.send = self._record

    def _record(self, data=None, metadata=None, buffers=None) -> None:
        self.sent.append((data, [bytes(memoryview(b).cast("B")) for b in (buffers or [])]))

    def custom(self, kind: str) -> list[tuple[dict, list[bytes]]]:
        """Custom messages of ``type`` kind, oldest first."""
        return [
            (d["content"], b)
            for d, b in self.sent
            if d.get("method") == "custom" and d["content"].get("type") == kind
        ]

    def synced_buffers(self, name: str) -> list[bytes]:
        """Binary values of trait ``name`` sent by trait-sync messages."""
        return [
            b[d["buffer_paths"].index([name])]
            for d, b in self.sent
            if d.get("method") == "update" and [name] in d["buffer_paths"]
        ]


@pytest.fixture(scope="module")
def data():
    df, _flipped = blobs_frame(n=150, seed=1)
    return df, quick_report(df)


@pytest.fixture
def state(data):
    df, report = data
    return DatasetState(df, "y", report=report)


@pytest.fixture
def view(state):
    w = EmbeddingExplorer(state)
    yield w
    w.close()


def msg(view, content, buffers=()):
    view._dispatch(view, content, list(buffers))


def png_pixels(data: bytes) -> np.ndarray:
    """Pixels of a PNG thumbnail as the browser would decode them."""
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "PNG"
        return np.asarray(image)


def u32(values) -> bytes:
    return np.asarray(values, dtype="<u4").tobytes()


# ------------------------------------------------------------------ layout and channels
def test_normalize_layout_keeps_aspect_and_fills_the_square():
    xy = np.array([[10, 5], [30, 5], [20, 10], [np.nan, 1]], dtype=np.float32)
    out = normalize_layout(xy)
    assert out.dtype == np.float32
    # x spans 20 (the longer side) -> [-0.95, 0.95]; y spans 5 -> a quarter of that, centred.
    np.testing.assert_allclose(out[:3, 0], [-0.95, 0.95, 0.0], atol=1e-6)
    np.testing.assert_allclose(out[:3, 1], [-0.2375, -0.2375, 0.2375], atol=1e-6)
    assert out[3].tolist() == [0.0, 0.0]
    with pytest.raises(ValueError, match=r"\(N, 2\)"):
        normalize_layout(np.zeros((4, 3)))


def test_label_channel_codes_follow_current_labels(state):
    state.relabel(state.ids[0], "c2")
    ch = encode_channel("label", state)
    expected = [state.classes.index(v) for v in state.labels]
    assert ch.codes.dtype == np.uint8 and ch.codes.tolist() == expected
    assert ch.legend == ["c0", "c1", "c2", "(missing)"]


def test_missing_label_gets_the_missing_code():
    df = pd.DataFrame({"x": [1.0, 2, 3], "y": ["a", None, "b"]})
    ch = encode_channel("label", DatasetState(df, "y"))
    assert ch.codes.tolist() == [0, 2, 1] and ch.legend[2] == "(missing)"


def test_many_classes_use_uint16():
    df = pd.DataFrame({"x": np.arange(300.0), "y": [f"k{i:03d}" for i in range(300)]})
    ch = encode_channel("label", DatasetState(df, "y"))
    assert ch.codes.dtype == np.uint16 and ch.codes.tolist() == list(range(300))


def test_score_channel_quantises_to_uint8(state, data):
    scores = data[1].issues["label_score"].to_numpy()
    ch = encode_channel("score", state)
    assert ch.kind == "continuous" and ch.codes.dtype == np.uint8
    assert np.abs(ch.codes / 254 - scores).max() <= 0.5 / 254 + 1e-9


def test_issue_and_predicted_channels(state, data):
    report = data[1]
    issue = encode_channel("issue", state)
    assert issue.legend[:2] == ["no issue", "label"]
    flagged = report.issues["is_label_issue"].to_numpy()
    assert flagged.any()
    assert (issue.codes[flagged] == 1).all() and (issue.codes[~flagged] == 0).all()
    predicted = encode_channel("predicted", state)
    assert predicted.codes.tolist() == [state.classes.index(v) for v in report.predicted]


def test_status_channel_priority(state):
    ids = state.ids
    state.mark_reviewed(ids[[0, 1, 2]])
    state.relabel(ids[1], "c0" if state.labels.iloc[1] != "c0" else "c1")
    state.exclude(ids[[2, 3]])
    codes = encode_channel("status", state).codes
    assert codes[:5].tolist() == [1, 2, 3, 3, 0]  # reviewed, edited, excluded, excluded, none


def test_report_channels_need_a_report(data):
    state = DatasetState(data[0], "y")
    with pytest.raises(ValueError, match="needs an analysis report"):
        encode_channel("predicted", state)
    with pytest.raises(ValueError, match="color_by must be one of"):
        encode_channel("colour", state)


# ------------------------------------------------------------------ wire
def decoded_layout(content: dict, buffer: bytes) -> np.ndarray:
    """What the browser draws: uint16 codes mapped into the message's box (codec.js)."""
    x0, x1, y0, y1 = content["box"]
    q = np.frombuffer(buffer, dtype="<u2").reshape(-1, 2).astype(np.float64)
    return np.column_stack([x0 + q[:, 0] / 65535 * (x1 - x0), y0 + q[:, 1] / 65535 * (y1 - y0)])


def within_a_pixel_at_4k(content: dict, buffer: bytes, embedding: np.ndarray) -> float:
    """Worst position error in pixels on a 3840-px view of the device square (2 units)."""
    error = np.abs(decoded_layout(content, buffer) - normalize_layout(embedding)).max()
    return float(error * 3840 / 2)


def test_initial_view_is_5_bytes_per_point_and_binary(view, state):
    wire = Wire(view)
    msg(view, {"type": "init", "nonce": "n1"})
    ((content, buffers),) = wire.custom("layout")
    assert content["nonce"] == "n1" and content["n"] == state.n_rows
    assert content["revision"] == view.revision and content["method"] == "pca"
    assert [len(b) for b in buffers] == [4 * state.n_rows, state.n_rows, 0]  # no pool row
    assert content["n_pool"] == 0
    assert within_a_pixel_at_4k(content, buffers[0], state.report.embedding) < 0.05
    codes = np.frombuffer(buffers[1], dtype=content["channel"]["dtype"])
    assert codes.tolist() == [state.classes.index(v) for v in state.labels]


def test_other_channels_on_demand_at_most_2_bytes_per_point(view, state):
    wire = Wire(view)
    for name in CHANNELS:
        msg(view, {"type": "channel", "name": name})
        content, buffers = wire.custom("channel")[-1]
        assert content["name"] == name and view.error == ""
        assert len(buffers) == 1 and len(buffers[0]) <= 2 * state.n_rows


def _no_long_lists(value, limit=64) -> bool:
    if isinstance(value, list | tuple):
        return len(value) <= limit and all(_no_long_lists(v, limit) for v in value)
    if isinstance(value, dict):
        return all(_no_long_lists(v, limit) for v in value.values())
    return True


def test_synced_state_holds_no_per_point_lists(view, state):
    state.select(state.ids[:100])
    synced, paths, buffers = _remove_buffers(view.get_state())
    assert _no_long_lists(synced)
    assert paths == [["_selection"]]
    assert np.frombuffer(buffers[0], dtype="<u4").tolist() == list(range(100))


def test_python_selection_reaches_the_trait_as_uint32(view, state):
    wire = Wire(view)
    state.select(state.ids[[7, 3, 9]])
    assert np.frombuffer(view._selection, dtype="<u4").tolist() == [3, 7, 9]
    assert wire.synced_buffers("_selection") == [u32([3, 7, 9])]
    state.select([])
    assert view._selection == b""


def test_edits_send_small_diffs_not_positions(view, state):
    wire = Wire(view)
    row = 4
    new = "c0" if state.labels.iloc[row] != "c0" else "c1"
    state.relabel(state.ids[row], new)
    ((content, buffers),) = wire.custom("patch")
    assert [c["name"] for c in content["channels"]] == ["label", "status"]
    assert np.frombuffer(buffers[0], dtype="<u4").tolist() == [row]
    assert buffers[1] == bytes([state.classes.index(new)]) and buffers[2] == bytes([2])
    # 4-byte position + one code per channel + the row's pool flag (it has a label: 0)
    assert sum(len(b) for b in buffers) == 7 and buffers[3] == bytes([0])
    assert content["pool"] is True
    assert not wire.custom("layout")

    state.exclude(state.ids[[5, 6]])
    content, buffers = wire.custom("patch")[-1]
    assert [c["name"] for c in content["channels"]] == ["status"]
    assert np.frombuffer(buffers[0], dtype="<u4").tolist() == [5, 6]
    assert buffers[1] == bytes([3, 3]) and len(buffers) == 2 and content["pool"] is False


def test_added_class_updates_the_legend(view, state):
    wire = Wire(view)
    state.add_class("<b>new</b>")
    content, buffers = wire.custom("patch")[-1]
    legend = {c["name"]: c["legend"] for c in content["channels"]}
    assert legend["label"] == ["c0", "c1", "c2", "<b>new</b>", "(missing)"]
    assert buffers == [b"", b"", b"", b""]  # positions, two channels, pool flags


def test_replaced_report_moves_points_and_bumps_revision(view, state, data):
    _df, report = data
    wire = Wire(view)
    before = view.revision
    umap_like = report.replace(
        embedding=report.embedding[:, ::-1].copy() * 3, embedding_method="umap"
    )
    state.set_report(umap_like)
    assert view.revision == before + 1 and view.layout_method == "umap"
    ((content, buffers),) = wire.custom("layout")
    assert content["nonce"] is None and content["revision"] == view.revision
    assert within_a_pixel_at_4k(content, buffers[0], umap_like.embedding) < 0.05
    # A selection made against the old layout is stale now: refused, nothing changes.
    msg(view, {"type": "select", "mode": "replace", "revision": before}, [u32([1, 2])])
    assert "stale" in view.error and len(state.selection) == 0


def test_no_report_yet_sends_an_empty_layout(data):
    state = DatasetState(data[0], "y")
    view = EmbeddingExplorer(state)
    wire = Wire(view)
    msg(view, {"type": "init", "nonce": "x"})
    ((content, buffers),) = wire.custom("layout")
    assert content["n"] == 0 and content["channel"] is None and buffers == []
    assert view.layout_method == "" and view.n_points == 0
    msg(view, {"type": "channel", "name": "predicted"})
    assert "needs an analysis report" in view.error


# ------------------------------------------------------------------ browser messages
def test_select_replace_and_add(view, state):
    msg(view, {"type": "select", "mode": "replace", "revision": view.revision}, [u32([5, 1, 3])])
    assert view.error == "" and state.selection.tolist() == state.ids[[1, 3, 5]].tolist()
    msg(view, {"type": "select", "mode": "add", "revision": view.revision}, [u32([0, 3])])
    assert state.selection.tolist() == state.ids[[0, 1, 3, 5]].tolist()
    msg(view, {"type": "select", "mode": "replace", "revision": view.revision}, [b""])
    assert len(state.selection) == 0


@pytest.mark.parametrize(
    ("content", "buffers", "error"),
    [
        ({"type": "select", "mode": "replace"}, [u32([1])], "revision"),
        ({"type": "select", "mode": "replace", "revision": "1"}, [u32([1])], "integer"),
        ({"type": "select", "mode": "replace", "revision": True}, [u32([1])], "integer"),
        ({"type": "select", "mode": "replace", "revision": 999}, [u32([1])], "stale"),
        ({"type": "select", "mode": "toggle", "revision": 1}, [u32([1])], "mode"),
        ({"type": "select", "mode": "replace", "revision": 1}, [], "one uint32 buffer"),
        ({"type": "select", "mode": "replace", "revision": 1}, [u32([1]), u32([2])], "buffer"),
        ({"type": "select", "mode": "replace", "revision": 1}, [b"\x01\x00\x00\x00\x02"], "whole"),
        ({"type": "select", "mode": "replace", "revision": 1}, [u32([1, 150])], "out of range"),
        ({"type": "focus", "position": 150, "revision": 1}, [], "out of range"),
        ({"type": "focus", "position": 2.5, "revision": 1}, [], "integer"),
        ({"type": "focus", "position": 2, "revision": 0}, [], "stale"),
        ({"type": "hover", "position": -3, "revision": 1}, [], "out of range"),
        ({"type": "hover", "revision": 1}, [], "integer"),
        ({"type": "channel", "name": "__class__"}, [], "unknown colour channel"),
        ({"type": "init", "nonce": {"a": 1}}, [], "nonce"),
        ({"type": "init", "nonce": "x" * 65}, [], "nonce"),
        ({"type": "delete_everything"}, [], "unknown type"),
        ({"no_type": 1}, [], "unknown type"),
    ],
)
def test_malformed_or_stale_messages_are_refused_and_change_nothing(
    view, state, content, buffers, error
):
    state.select(state.ids[[8, 9]])
    state.focus = state.ids[8]
    assert view.revision == 1
    wire = Wire(view)
    version, log = state.version, state.edits.copy()
    msg(view, content, buffers)
    assert error in view.error and view.error.startswith("Refused")
    assert state.version == version and state.edits.equals(log)
    assert state.selection.tolist() == state.ids[[8, 9]].tolist() and state.focus == state.ids[8]
    assert not wire.custom("hover") and not wire.custom("channel") and not wire.custom("layout")
    # The next good message clears the error.
    msg(view, {"type": "focus", "position": 3, "revision": view.revision})
    assert view.error == "" and state.focus == state.ids[3]


def test_focus_message_sets_state_focus_and_back(view, state):
    msg(view, {"type": "focus", "position": 12, "revision": view.revision})
    assert state.focus == state.ids[12]
    assert view.focus_position == 12 and view.focus_label == str(state.ids[12])
    state.focus = None
    assert view.focus_position == -1 and view.focus_label == ""
    state.focus = state.ids[2]
    msg(view, {"type": "focus", "position": -1, "revision": view.revision})
    assert state.focus is None


def test_hover_preview_is_small_and_truncated(data):
    df, report = data
    df = df.copy()
    long = "<script>alert(1)</script>" + "x" * 5000
    df["text"] = long
    state = DatasetState(df, "y", report=report)
    view = EmbeddingExplorer(state)
    wire = Wire(view)
    flagged = int(np.flatnonzero(report.issues["is_label_issue"].to_numpy())[0])
    msg(view, {"type": "hover", "position": flagged, "revision": view.revision})
    ((content, buffers),) = wire.custom("hover")
    row = content["row"]
    assert content["position"] == flagged and buffers == []
    assert row["id"] == str(state.ids[flagged]) and row["label"] == state.labels.iloc[flagged]
    assert row["predicted"] == report.predicted.iloc[flagged]
    assert row["suggested"] == report.issues["suggested_label"].iloc[flagged]
    assert row["score"] == pytest.approx(report.issues["label_score"].iloc[flagged], abs=1e-4)
    assert row["issues"] == ["label"]
    features = dict(row["features"])
    assert list(features) == ["f0", "f1", "f2", "text"]
    assert features["text"] == clip_text(long) and len(features["text"]) == 80
    assert features["text"].startswith("<script>")  # as data; the view renders it as text
    assert len(str(content)) < 1500


def test_hover_thumbnail_from_an_image_column():
    rng = np.random.default_rng(0)
    images = [rng.integers(0, 255, size=(8, 8), dtype=np.uint8) for _ in range(6)]
    df = pd.DataFrame({"img": images, "y": list("ababab")})
    state = DatasetState(df, "y")
    view = EmbeddingExplorer(state)
    wire = Wire(view)
    msg(view, {"type": "hover", "position": 2, "revision": view.revision})
    ((content, buffers),) = wire.custom("hover")
    assert content["thumb"] == "png"
    shown = png_pixels(buffers[0])
    assert shown.shape == (8, 8)
    np.testing.assert_array_equal(shown, images[2])
    assert [k for k, _ in content["row"]["features"]] == []


def test_hover_thumbnail_from_pixel_columns():
    pixels = np.arange(2 * 16, dtype=float).reshape(2, 16)
    df = pd.DataFrame(pixels, columns=[f"p{i}" for i in range(16)])
    df["y"] = ["a", "b"]
    view = EmbeddingExplorer(DatasetState(df, "y"), image_shape=(4, 4))
    wire = Wire(view)
    msg(view, {"type": "hover", "position": 1, "revision": view.revision})
    ((_content, buffers),) = wire.custom("hover")
    gray = png_pixels(buffers[0])
    expected = np.rint((pixels[1] - 16) / 15 * 255).reshape(4, 4)
    np.testing.assert_allclose(gray, expected, atol=1)
    with pytest.raises(ValueError, match="numeric columns"):
        EmbeddingExplorer(DatasetState(df, "y"), image_shape=(5, 5))


# ------------------------------------------------------------------ traits and lifecycle
def test_color_by_is_validated(view):
    view.color_by = "score"
    with pytest.raises(traitlets.TraitError, match="color_by must be one of"):
        view.color_by = "rainbow"
    assert view.color_by == "score"
    with pytest.raises(TypeError, match="DatasetState"):
        EmbeddingExplorer(object())
    with pytest.raises(KeyError, match="image_column"):
        EmbeddingExplorer(view.state, image_column="nope")


def test_close_stops_listening(state):
    view = EmbeddingExplorer(state)
    view.close()
    state.select(state.ids[:3])
    assert view._selection == b""


def test_an_image_column_without_images_is_refused(state):
    with pytest.raises(ValueError, match="image_column='f0' holds no images"):
        EmbeddingExplorer(state, image_column="f0")


def test_the_browser_gets_the_channel_menu_from_python(view, state):
    # the menu the browser builds: every channel Python can encode, with its text, in order
    assert [name for name, _ in view.channels] == list(CHANNELS)
    assert all(isinstance(text, str) and text for _, text in view.channels)
    for name, _ in view.channels:
        view.color_by = name  # each one is accepted and encodes for every row
        assert len(encode_channel(name, state).codes) == state.n_rows


def test_quantised_positions_of_200k_points_stay_within_a_pixel_at_4k():
    rng = np.random.default_rng(0)
    centres = rng.normal(0, 10, (20, 2))
    layout = centres[rng.integers(0, 20, 200_000)] + rng.standard_t(3, (200_000, 2))
    codes, box = quantize_layout(normalize_layout(layout))
    assert codes.dtype == np.dtype("<u2") and codes.nbytes == 4 * 200_000
    assert within_a_pixel_at_4k({"box": box}, codes.tobytes(), layout) < 0.05


def test_quantising_a_constant_axis_or_nothing_does_not_divide_by_zero():
    codes, box = quantize_layout(np.array([[0.5, -0.2], [0.5, 0.3]], dtype=np.float32))
    assert box[0] == box[1] == 0.5 and codes[:, 0].tolist() == [0, 0]
    assert codes[:, 1].tolist() == [0, 65535]
    codes, box = quantize_layout(np.zeros((0, 2), dtype=np.float32))
    assert codes.shape == (0, 2) and box == [0.0, 0.0, 0.0, 0.0]
