"""``dw.apply_edits``: replay a journal onto a fresh copy of the raw data."""

from __future__ import annotations

import os

import pandas as pd

from dcml_widgets.journal import check_header, read_journal, replay_into


def apply_edits(
    df: pd.DataFrame,
    path: str | os.PathLike,
    *,
    label: str | None = None,
    id_column: str | None = None,
) -> pd.DataFrame:
    """Replay the journal at ``path`` onto ``df`` and return the cleaned frame.

    The result equals ``state.to_dataframe()`` of the state that wrote the journal: labels
    changed as edited, excluded rows dropped, the other columns and the dtypes as in ``df``.
    ``df`` itself is not modified. The journal is only read (it may still be open in a live
    session); a torn last line is ignored with a warning.

    Parameters
    ----------
    df : pandas.DataFrame
        The raw data the journal was written for (same ids and original labels).
    path : str or Path
        A journal file (``journal=`` of a state, or one written by ``state.save``).
    label : str, optional
        The label column; by default the one named in the journal's header.
    id_column : str, optional
        The column the row ids came from; by default the one the journal's header names
        (journals of states built with ``id_column=``), else the DataFrame's index.

    Returns
    -------
    pandas.DataFrame

    Raises
    ------
    ValueError
        If the journal was written for other data, or is damaged.
    FileNotFoundError
        If there is no file at ``path``.

    Examples
    --------
    >>> clean = dw.apply_edits(pd.read_csv("raw.csv"), ".dcml/0f3c....jsonl")  # doctest: +SKIP
    """
    from dcml_widgets.state import DatasetState

    contents = read_journal(path)
    header = contents.header
    if id_column is None:
        id_column = header.get("id_column")
    state = DatasetState(df, header["label"] if label is None else label, id_column=id_column)
    check_header(header, state, path)
    replay_into(state, contents.records, path)
    return state.to_dataframe()
