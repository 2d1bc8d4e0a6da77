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
    "AuditReport": "dcml_widgets.analysis.report",
    "Comparison": "dcml_widgets.analysis.measure",
    "measure": "dcml_widgets.loop",
    "DatasetState": "dcml_widgets.state",
    "apply_edits": "dcml_widgets.replay",
    "EmbeddingExplorer": "dcml_widgets.widgets.embedding",
    "ConfusionMatrix": "dcml_widgets.widgets.confusion",
    "RelabelGrid": "dcml_widgets.widgets.grid",
    "Dashboard": "dcml_widgets.widgets.dashboard",
    "audit": "dcml_widgets.auditing",
    "datasets": "dcml_widgets.datasets",
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
