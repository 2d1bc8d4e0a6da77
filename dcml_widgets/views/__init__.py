"""Thin anywidget views over a :class:`~dcml_widgets.DatasetState`, one folder per view."""
