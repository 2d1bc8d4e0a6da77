"""The front door: ``dash = dw.audit(df, label="y")`` — analyse, then show the live dashboard."""

from __future__ import annotations

import inspect
import threading
import warnings
import weakref
from pathlib import Path
from typing import Any

import pandas as pd

from dcml_widgets.state import DatasetState

#: Folder (relative to the working directory) where journal="auto" keeps its journals.
AUTO_DIR = ".dcml"

# Open dashboards by resolved journal path, so auditing the same data again in this kernel
# can release the earlier dashboard's journal lock before opening the file.
_open: dict[Path, weakref.ReferenceType] = {}
_open_lock = threading.Lock()


def auto_journal_path(state: DatasetState, folder: str | Path = AUTO_DIR) -> Path:
    """Where ``journal="auto"`` saves the edits of ``state``'s data.

    ``<folder>/<fingerprint>.jsonl``, the fingerprint hashing the row ids and original
    labels (the journal's own), so auditing the same data again resumes the same file.

    Parameters
    ----------
    state : DatasetState
    folder : str or Path
        Folder of the journals (default ``.dcml``).

    Returns
    -------
    Path
    """
    return Path(folder) / f"{state.fingerprint}.jsonl"


def forget(dashboard: Any) -> None:
    """Drop ``dashboard`` from the registry of open audits (called when it closes).

    Parameters
    ----------
    dashboard : Dashboard
    """
    with _open_lock:
        for path, ref in list(_open.items()):
            if ref() is None or ref() is dashboard:
                del _open[path]


def _release_previous(path: Path) -> None:
    with _open_lock:
        ref = _open.pop(path, None)
    previous = None if ref is None else ref()
    if previous is not None:
        previous.release_journal()


def _register(path: Path, dashboard: Any) -> None:
    with _open_lock:
        _open[path] = weakref.ref(dashboard)


def _in_notebook() -> bool:
    from dcml_widgets.analysis.progress import in_notebook

    return in_notebook()


def audit(
    df: pd.DataFrame,
    label: str = "y",
    *,
    test: pd.DataFrame | None = None,
    journal: str | Path | None = "auto",
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
        resumed). A path names the file. ``None``: edits live in memory only (the header
        warns).
    id_column : str, optional
        Column holding unique row ids; by default the index is used.
    display : bool, optional
        Show the dashboard (default: when running in a notebook).
    **analyze_options
        Any keyword of :func:`dcml_widgets.analyze` (``features``, ``layout``, ``model``,
        ``cv``, ``pred_probs``, ``annotators``, ``random_state``, ``progress``, ...).

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
    # Validates the label, the ids and (without a journal) costs nothing on disk.
    probe = DatasetState(df, label, id_column=id_column)
    frame = df if id_column is None else df.set_index(id_column, drop=True)

    if journal == "auto":
        journal_path: Path | None = auto_journal_path(probe)
    elif journal is None:
        journal_path = None
    elif isinstance(journal, (str, Path)):
        journal_path = Path(journal)
    else:
        raise TypeError(f'journal= must be "auto", a path or None, got {type(journal).__name__}.')

    pending = start_analysis(frame, label, **analyze_options)
    # Same data audited again: the cached analysis is complete, show its final report at once.
    first_look = pending.finish() if pending.done else pending.first_look

    if journal_path is not None:
        journal_path.parent.mkdir(parents=True, exist_ok=True)
        _release_previous(journal_path.resolve())
        state = DatasetState(df, label, id_column=id_column, journal=journal_path)
    else:
        state = probe
    state.set_report(first_look)

    dash = Dashboard(
        state,
        test=test,
        analyze_options=analyze_options,
        analysis_frame=frame,
        journal_warning=MEMORY_ONLY_WARNING if journal_path is None else "",
    )
    if journal_path is not None:
        _register(journal_path.resolve(), dash)
    if display if display is not None else _in_notebook():
        from IPython.display import display as show

        show(dash)
        dash.mark_displayed()
    dash.follow(pending, first_look=first_look)
    if journal_path is None and not _in_notebook():
        warnings.warn(MEMORY_ONLY_WARNING, stacklevel=2)
    return dash


def _analyze_options() -> frozenset[str]:
    """Every keyword of :func:`~dcml_widgets.analyze` (so audit() accepts each new one)."""
    from dcml_widgets.analysis.pipeline import analyze

    return frozenset(inspect.signature(analyze).parameters) - {"df", "label"}
