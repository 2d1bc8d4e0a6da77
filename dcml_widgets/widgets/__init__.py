"""Thin anywidget views over a :class:`~dcml_widgets.DatasetState`."""
