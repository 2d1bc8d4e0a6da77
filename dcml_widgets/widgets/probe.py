"""Probe: the smallest project widget, used to prove bundles load and messages reach Python."""

from __future__ import annotations

from typing import Any

import traitlets

from dcml_widgets.widgets._base import StateView


class Probe(StateView):
    """A button that counts pings and selects the next row in the state.

    Each click selects row position ``pings`` (modulo the row count), so a browser test can
    check that the click reached Python's :class:`~dcml_widgets.DatasetState`.
    """

    _bundle = "probe"
    pings = traitlets.Int(0, help="How many pings arrived from the browser.").tag(sync=True)

    def _handle_ping(self, content: dict, buffers: list[Any]) -> None:
        self.state.select_positions([self.pings % self.state.n_rows])
        self.pings += 1
