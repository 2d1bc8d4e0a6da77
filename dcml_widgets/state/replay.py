"""``dw.apply_edits``: replay a journal onto a fresh copy of the raw data.

It uses the same functions a live :class:`~dcml_widgets.DatasetState` resumes a journal and
cleans its frame with, so its result equals that state's ``to_dataframe()`` by construction.
"""

from __future__ import annotations

import os

import pandas as pd

from dcml_widgets.journal.header import check_header, fingerprint, make_header
from dcml_widgets.journal.records import read_journal, replay
from dcml_widgets.state.core import build_core, cleaned_frame
from dcml_widgets.state.resume import replay_record
from dcml_widgets.state.rows import Rows


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
    contents = read_journal(path)
    header = contents.header
    assert header is not None  # read_journal refuses an empty file
    label = header["label"] if label is None else label
    if id_column is None:
        id_column = header.get("id_column")
    core = build_core(df, label, id_column)
    expected = make_header(
        label=label,
        n_rows=core.n_rows,
        fingerprint=fingerprint(core.ids, core.original_values),
        id_column=id_column,
    )
    check_header(header, expected, path)
    rows = Rows(core)

    def apply(record: dict) -> None:
        replay_record(core, record, rows.positions)

    replay(contents, apply, path)
    return cleaned_frame(core, df, label)
