"""dcml-widgets: diagnose, fix and measure a labelled dataset inside the notebook.

The front door is :func:`audit`; :func:`analyze` is the pure analysis, :class:`DatasetState`
the single source of truth for labels and edits, and the views link to it.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# Public name -> module that defines it. Imported on first use, so `import dcml_widgets`
# stays fast and the analysis stack (cleanlab, umap, numba) loads only when needed.
_EXPORTS = {
    "analyze": "dcml_widgets.analysis.pipeline",
    "combine": "dcml_widgets.analysis.unlabeled",
    "AuditReport": "dcml_widgets.analysis.report",
    "Comparison": "dcml_widgets.analysis.measure",
    "measure": "dcml_widgets.session.measuring",
    "what_if": "dcml_widgets.loop.projecting",
    "DatasetState": "dcml_widgets.state",
    "apply_edits": "dcml_widgets.state.replay",
    "review_order": "dcml_widgets.review.order",
    "EmbeddingExplorer": "dcml_widgets.views.embedding.explorer",
    "ConfusionMatrix": "dcml_widgets.views.confusion.matrix",
    "RelabelGrid": "dcml_widgets.views.grid.relabel_grid",
    "Dashboard": "dcml_widgets.session.dashboard",
    "audit": "dcml_widgets.session.auditing",
    "datasets": "dcml_widgets.datasets",
    "lessons": "dcml_widgets.lessons",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'dcml_widgets' has no attribute {name!r}")
    mod = importlib.import_module(module)
    value = mod if module.endswith("." + name) else getattr(mod, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(list(globals()) + __all__)
