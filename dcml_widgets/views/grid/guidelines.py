"""The guidelines the grid shows beside its class picker, as plain JSON text for the wire."""

from __future__ import annotations

from typing import Any

from dcml_widgets.views._shared.values import short_text

#: Characters of an example row's text shown beside its id.
EXAMPLE_TEXT = 80


def guideline_rows(state: Any, text_columns: list[str]) -> list[dict]:
    """Each class's guideline: ``class`` (display text), ``text`` and ``examples``.

    Parameters
    ----------
    state : DatasetState
    text_columns : list of str
        Dataset columns the grid shows; the first one gives each example a line of text.

    Returns
    -------
    list of dict
        ``{"class": str, "text": str, "examples": [{"id": str, "text": str}, ...]}`` in
        class order (all text: the browser puts it in the page as text, never HTML).
    """
    table = state.guidelines
    if table.empty:
        return []
    column = text_columns[0] if text_columns else None
    out = []
    for cls, text, examples in table.itertuples(index=False, name=None):
        shown = []
        for row_id in examples:
            line = ""
            if column is not None:
                position = int(state.rows.positions(row_id)[0])
                line = short_text(state.frame[column].iloc[position], EXAMPLE_TEXT)
            shown.append({"id": str(row_id), "text": line})
        out.append({"class": str(cls), "text": str(text), "examples": shown})
    return out
