"""Pure analysis: DataFrame in, frozen :class:`AuditReport` out. No widgets, no state."""

from dcml_widgets.analysis.report import AuditReport

__all__ = ["AuditReport"]
