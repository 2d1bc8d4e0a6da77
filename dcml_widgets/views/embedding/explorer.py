"""EmbeddingExplorer: the 2-D layout of the report as a WebGL scatter linked to the state.

What crosses the wire (all binary, never per-point JSON):

- positions: float32, ``x0, y0, x1, y1, ...`` (8 bytes a point), normalised by
  :func:`normalize_layout` to the scatter's device coordinates;
- colour channels: one code a point, uint8 (uint16 only past 255 classes). Only the active
  channel goes with the layout; the others when the browser first asks for them;
- edits: diffs of ``(uint32 positions, codes)`` for the channels they change;
- selection: uint32 row positions in the ``_selection`` trait and in ``select`` messages;
- pool: uint32 positions of the rows without a label (drawn grey in every channel, toggled
  by the legend's "unlabeled (pool)" entry); a label edit's patch carries their new flags.

Encoding lives in :mod:`.embedding_wire` and :mod:`.embedding_channels`, the hover preview
in :mod:`.embedding_preview`; this module is the widget.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import traitlets

from dcml_widgets.state import Change, DatasetState
from dcml_widgets.views._base import StateView
from dcml_widgets.views._shared.values import clip_text
from dcml_widgets.views.embedding.channels import (
    CHANNEL_TITLES,
    CHANNELS,
    encode_channel,
    pool_positions,
)
from dcml_widgets.views.embedding.preview import find_images, row_preview
from dcml_widgets.views.embedding.wire import (
    decode_positions,
    int_field,
    normalize_layout,
    quantize_layout,
)

__all__ = ["CHANNELS", "EmbeddingExplorer", "clip_text", "encode_channel", "normalize_layout"]


class EmbeddingExplorer(StateView):
    """The report's 2-D layout as a pannable WebGL scatter, linked to a DatasetState.

    Shows ``state.report.embedding`` (the PCA first look until UMAP replaces the report; the
    points then move to the new layout). Hover a point for a preview of its row; colour by
    label, prediction, label-quality score, issue type or edit status; lasso or box select
    to set ``state.selection``; click a point to make it ``state.focus``.

    Parameters
    ----------
    state : DatasetState
    color_by : str
        Initial colour channel, one of :data:`CHANNELS`.
    image_column : str, optional
        Column holding images (arrays, PIL images or image paths) to thumbnail in the hover
        preview. By default the images :meth:`ImageSource.detect` finds, if any (a column of
        images, or square-many ``pixel_<i>`` columns).
    image_shape : tuple of int, optional
        ``(height, width)``: the row's pixel columns (``pixel_<i>``, or else all its numeric
        columns, in order) are its pixels (e.g. ``(8, 8)`` for digits).
    height : int
        Height of the plot in pixels.

    Notes
    -----
    Device coordinates come from :func:`normalize_layout`: after a reset, device ``(-1,
    -1)..(1, 1)`` fills a square of the plot's height, centred, y upwards.
    """

    _bundle = "embedding"
    _messages: ClassVar[dict[str, str]] = {
        "init": "_msg_init",
        "channel": "_msg_channel",
        "select": "_msg_select",
        "focus": "_msg_focus",
        "hover": "_msg_hover",
    }
    """Browser message types this view accepts, and the method that handles each."""
    _browser_traits = frozenset({"color_by"})
    """Traits the browser may change (the user's choice in the view's toolbar)."""

    channels: traitlets.List[Any] = traitlets.List(
        help="Colour channels the view offers, as [name, menu text] pairs (from CHANNEL_TITLES)."
    ).tag(sync=True)
    color_by = traitlets.Unicode(
        "label", help="Active colour channel: label, predicted, score, issue or status."
    ).tag(sync=True)
    revision = traitlets.Int(
        0, help="Bumped whenever the layout changes; browser messages made before are refused."
    ).tag(sync=True)
    n_points = traitlets.Int(0, help="Number of points in the current layout.").tag(sync=True)
    layout_method = traitlets.Unicode(
        "", help="How the shown layout was made: umap, pca, given, or '' when there is none."
    ).tag(sync=True)
    focus_position = traitlets.Int(
        -1, help="Row position of state.focus, or -1 when no row is focused."
    ).tag(sync=True)
    focus_label = traitlets.Unicode("", help="The focused row's id, as short text.").tag(sync=True)
    height = traitlets.Int(480, help="Height of the plot in pixels.").tag(sync=True)
    _selection = traitlets.Bytes(
        b"", help="state.selection as uint32 little-endian row positions."
    ).tag(sync=True)

    def __init__(
        self,
        state: DatasetState,
        *,
        color_by: str = "label",
        image_column: str | None = None,
        image_shape: tuple[int, int] | None = None,
        height: int = 480,
        **kwargs: Any,
    ) -> None:
        channels = [[name, title] for name, title in CHANNEL_TITLES.items()]
        super().__init__(state, channels=channels, color_by=color_by, height=height, **kwargs)
        skip = [c for c in (state.label, state.id_column) if c is not None]
        try:
            self._images = find_images(state.frame, skip, image_column, image_shape)
        except (KeyError, ValueError):
            self.close()  # refused: leave no listener on the state behind
            raise
        self._sync_report()
        self._sync_selection()
        self._sync_focus()

    # ------------------------------------------------------------------ validation
    @traitlets.validate("color_by")
    def _validate_color_by(self, proposal: dict) -> str:
        value = proposal["value"]
        if value not in CHANNELS:
            raise traitlets.TraitError(f"color_by must be one of {CHANNELS}, got {value!r}.")
        return value

    @traitlets.validate("height")
    def _validate_height(self, proposal: dict) -> int:
        if proposal["value"] < 100:
            raise traitlets.TraitError("height must be at least 100 pixels.")
        return proposal["value"]

    def _check_revision(self, content: dict) -> None:
        revision = int_field(content, "revision")
        if revision != self.revision:
            raise ValueError(
                f"stale message: made against layout {revision}, the view now shows "
                f"{self.revision}. Try again on the updated plot."
            )

    def _check_position(self, content: dict) -> int:
        position = int_field(content, "position")
        if not 0 <= position < self.state.n_rows:
            raise ValueError(
                f"row position {position} is out of range (0..{self.state.n_rows - 1})."
            )
        return position

    # ------------------------------------------------------------------ browser messages
    def _msg_init(self, content: dict, buffers: list) -> None:
        """Send the layout and the active channel to the view that asked."""
        nonce = content.get("nonce")
        if not isinstance(nonce, str) or len(nonce) > 64:
            raise TypeError("an init message carries a nonce: a string of at most 64 characters.")
        self._send_layout(nonce=nonce)

    def _msg_channel(self, content: dict, buffers: list) -> None:
        """Send a colour channel the browser does not have yet."""
        name = content.get("name")
        if name not in CHANNELS:
            raise ValueError(f"unknown colour channel {name!r}; use one of {CHANNELS}.")
        channel = encode_channel(name, self.state)
        self.send(
            {"type": "channel", "revision": self.revision, **channel.header()},
            buffers=[channel.codes.tobytes()],
        )

    def _msg_select(self, content: dict, buffers: list) -> None:
        """Lasso or box selection: uint32 row positions replace or extend state.selection."""
        self._check_revision(content)
        mode = content.get("mode", "replace")
        if mode not in ("replace", "add"):
            raise ValueError(f"selection mode must be 'replace' or 'add', got {mode!r}.")
        pos = decode_positions(buffers, self.state.n_rows)
        if mode == "add":
            pos = np.union1d(self.state.rows.selection, pos)
        self.state.select(positions=pos)

    def _msg_focus(self, content: dict, buffers: list) -> None:
        """A clicked point becomes state.focus (position -1 clears it)."""
        self._check_revision(content)
        if content.get("position") == -1:
            self.state.focus = None
            return
        self.state.focus = self.state.ids[self._check_position(content)]

    def _msg_hover(self, content: dict, buffers: list) -> None:
        """Reply with a short preview of the hovered row."""
        self._check_revision(content)
        position = self._check_position(content)
        row, image = self.preview(position)
        self.send(
            {"type": "hover", "position": position, "revision": self.revision, **row},
            buffers=[] if image is None else [image],
        )

    # ------------------------------------------------------------------ preview
    def preview(self, position: int) -> tuple[dict, bytes | None]:
        """The hover preview of row ``position``: short text fields and an optional thumbnail.

        Parameters
        ----------
        position : int
            Row position.

        Returns
        -------
        (dict, bytes or None)
            ``{"row": {...}, "thumb": "png" or None}`` and the thumbnail's PNG bytes.
        """
        return row_preview(self.state, position, self._images)

    # ------------------------------------------------------------------ state events
    def _state_changed(self, change: Change) -> None:
        field = change.field
        if field == "selection":
            self._sync_selection()
        elif field == "focus":
            self._sync_focus()
        elif field == "report":
            self._sync_report()
            self._send_layout(nonce=None)
        elif field == "label":
            self._send_patch(("label", "status"), change.positions)
        elif field in ("excluded", "reviewed"):
            self._send_patch(("status",), change.positions)
        elif field == "class":
            self._send_patch(("label", "predicted"), change.positions)

    def _sync_selection(self) -> None:
        self._selection = self.state.rows.selection.astype("<u4").tobytes()

    def _sync_focus(self) -> None:
        focus = self.state.focus
        if focus is None:
            self.focus_position, self.focus_label = -1, ""
        else:
            self.focus_position = int(self.state.rows.positions(focus)[0])
            self.focus_label = clip_text(focus)

    def _sync_report(self) -> None:
        report = self.state.report
        with self.hold_sync():
            self.layout_method = "" if report is None else str(report.embedding_method)
            self.n_points = 0 if report is None else self.state.n_rows
            self.revision += 1

    def _send_layout(self, nonce: Any) -> None:
        """Quantised positions plus the active channel (one message, two buffers: 5 B a point)."""
        report = self.state.report
        header = {
            "type": "layout",
            "revision": self.revision,
            "nonce": nonce,
            "method": self.layout_method,
            "n": self.n_points,
        }
        if report is None:
            self.send({**header, "channel": None}, buffers=[])
            return
        codes, box = quantize_layout(normalize_layout(report.embedding))
        channel = encode_channel(self.color_by, self.state)
        pool = pool_positions(self.state)
        self.send(
            {**header, "box": box, "channel": channel.header(), "n_pool": len(pool)},
            buffers=[codes.tobytes(), channel.codes.tobytes(), pool.tobytes()],
        )

    def _send_patch(self, names: tuple[str, ...], positions: np.ndarray) -> None:
        """New codes of ``positions`` in the channels ``names`` (no positions resent).

        Only the touched rows are encoded, so an edit costs time proportional to its rows. A
        label edit also carries the rows' pool flags (uint8, 1 = label missing) as the last
        buffer, so a labelled pool row leaves the grey.
        """
        pos = np.asarray(positions, dtype=np.int64)
        channels = []
        for name in names:
            try:
                channels.append(encode_channel(name, self.state, pos))
            except ValueError:  # no report yet: nothing of that channel is shown
                continue
        buffers = [pos.astype("<u4").tobytes(), *(c.codes.tobytes() for c in channels)]
        pool = "label" in names
        if pool:
            buffers.append((self.state.rows.codes_at(pos) < 0).astype(np.uint8).tobytes())
        self.send(
            {
                "type": "patch",
                "revision": self.revision,
                "channels": [c.header() for c in channels],
                "pool": pool,
            },
            buffers=buffers,
        )
