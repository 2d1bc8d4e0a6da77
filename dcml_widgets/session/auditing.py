"""The front door: ``dash = dw.audit(df, label="y")`` — analyse, then show the live dashboard."""

from __future__ import annotations

import inspect
import warnings
from pathlib import Path
from typing import Any

import pandas as pd

from dcml_widgets.state import DatasetState


def _in_notebook() -> bool:
    from dcml_widgets.analysis.progress import in_notebook

    return in_notebook()


def audit(
    df: pd.DataFrame,
    label: str = "y",
    *,
    test: pd.DataFrame | None = None,
    journal: str | Path | None = "auto",
    journal_damage: str = "raise",
    reviewer: str | None = None,
    id_column: str | None = None,
    display: bool | None = None,
    **analyze_options: Any,
) -> Any:
    """Analyse ``df`` and show the linked dashboard: diagnose, fix and measure in one cell.

    A progress bar names each stage. The dashboard appears as soon as the issues and a first
    (PCA) layout exist; the UMAP layout then replaces it in place, computed in a background
    thread, so the kernel stays free for other cells.

    Parameters
    ----------
    df : pandas.DataFrame
        The labelled data; never modified.
    label : str
        Name of the label column.
    test : pandas.DataFrame, optional
        Trusted test rows (same columns, label included) that ``dash.measure()`` scores on.
    journal : "auto", str, Path or None
        ``"auto"``: every edit is saved to ``./.dcml/<dataset fingerprint>.jsonl`` and
        resumed when the same data is audited again (the header says how many edits were
        resumed); when another kernel has that file open, to the first free sibling
        ``<fingerprint>-2.jsonl``, … (the header says which and why). Auditing the same data
        again in this kernel takes the journal over from the earlier dashboard, which then
        refuses edits. A path names the file (another kernel holding it is an error).
        ``None``: edits live in memory only (the header warns). Voilà and other shared
        servers: every visitor shares the working directory, so give each its own path.
    journal_damage : {"raise", "truncate"}
        A damaged journal is refused naming the file and line, or (``"truncate"``) its good
        prefix is kept and the rest moved to ``<name>.damaged-<UTC>`` beside it.
    reviewer : str, optional
        Who reviews: every edit made here carries the name (``state.edits["author"]``, the
        journal); change it later with ``dash.state.reviewer = "..."``.
    id_column : str, optional
        Column holding unique row ids; by default the index is used.
    display : bool, optional
        Show the dashboard (default: when running in a notebook).
    **analyze_options
        Any keyword of :func:`dcml_widgets.analyze` (``features``, ``layout``, ``model``,
        ``cv``, ``pred_probs``, ``annotators``, ``random_state``, ``progress``, ...).
        ``unlabeled=U``: the dashboard (state, journal, views) holds
        ``dw.combine(df, U, label=label)``, U's rows as unlabelled pool rows that can be
        labelled like any other (a relabel from missing); replay its journal with
        ``dw.apply_edits(dw.combine(df, U, label=label), path)``. A new pool is new data,
        so it gets a new journal.

    Returns
    -------
    Dashboard
        ``dash.state``, ``dash.report``, ``dash.measure()``, ``dash.rerun()``,
        ``dash.export_csv(path)``, ...

    Raises
    ------
    KeyError
        If ``label`` (or ``id_column``) is not a column.
    ValueError
        If the data cannot be analysed (see :func:`dcml_widgets.analyze`), or the journal
        belongs to other data.
    TypeError
        If ``df`` is not a DataFrame.
    """
    from dcml_widgets.analysis.pipeline import start_analysis
    from dcml_widgets.session.dashboard import MEMORY_ONLY_WARNING, Dashboard

    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"audit() needs a pandas DataFrame, got {type(df).__name__}.")
    if test is not None:
        if not isinstance(test, pd.DataFrame):
            raise TypeError(f"test= must be a pandas DataFrame, got {type(test).__name__}.")
        if label not in test.columns:
            raise KeyError(f"test= has no label column {label!r}; it needs the same columns.")
    allowed = _analyze_options()
    unknown = set(analyze_options) - allowed
    if unknown:
        raise TypeError(
            f"audit() got unknown option(s) {sorted(unknown)}; analysis options are "
            f"{sorted(allowed)}."
        )
    # The journal first: a journal that cannot be opened fails before minutes of analysis.
    if journal is not None and not isinstance(journal, (str, Path)):
        raise TypeError(f'journal= must be "auto", a path or None, got {type(journal).__name__}.')
    unlabeled = analyze_options.pop("unlabeled", None)
    if unlabeled is not None:
        from dcml_widgets.analysis.unlabeled import combine

        # The state, its journal and any replay all work on the combined frame.
        df = combine(df, unlabeled, label=label, id_column=id_column)
    state = DatasetState(
        df, label, id_column=id_column, journal=journal, journal_damage=journal_damage
    )
    frame = df if id_column is None else df.set_index(id_column, drop=True)
    try:
        state.reviewer = reviewer
        pending = start_analysis(frame, label, **analyze_options)
    except BaseException:
        state.close()
        raise
    # Same data audited again: the cached analysis is complete, show its final report at once.
    first_look = pending.finish() if pending.done else pending.first_look
    state.set_report(first_look)

    dash = Dashboard(
        state,
        test=test,
        analyze_options=analyze_options,
        analysis_frame=frame,
    )
    if display if display is not None else _in_notebook():
        from IPython.display import display as show

        show(dash)
        dash.mark_displayed()
    dash.follow(pending, first_look=first_look)
    if journal is None and not _in_notebook():
        warnings.warn(MEMORY_ONLY_WARNING, stacklevel=2)
    return dash


def _analyze_options() -> frozenset[str]:
    """Every keyword of :func:`~dcml_widgets.analyze` (so audit() accepts each new one)."""
    from dcml_widgets.analysis.pipeline import analyze

    return frozenset(inspect.signature(analyze).parameters) - {"df", "label"}
