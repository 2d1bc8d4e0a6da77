"""Dashboard exports: the cleaned frame (CSV/Parquet), the edit log, a journal copy, and the
report's gaps (CSV) and expectations (pandera YAML)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dcml_widgets.state import DatasetState

#: Folder (relative to the working directory) the export buttons write to.
EXPORT_DIR = "dcml-export"


def default_export_path(state: DatasetState, kind: str, suffix: str) -> Path:
    """``./dcml-export/<kind>-<journal name or "audit"><suffix>``.

    Parameters
    ----------
    state : DatasetState
    kind : str
        What is written (``"cleaned"``, ``"edits"``).
    suffix : str
        File suffix with its dot (``".csv"``).

    Returns
    -------
    Path
    """
    path = state.journal_path
    stem = Path(path).stem if path is not None else "audit"
    return Path.cwd() / EXPORT_DIR / f"{kind}-{stem}{suffix}"


def export_csv(state: DatasetState, path: str | Path | None = None, **to_csv: Any) -> Path:
    """Write ``state.to_dataframe()`` (edits applied, excluded rows dropped) as CSV.

    Parameters
    ----------
    state : DatasetState
    path : str or Path, optional
        Defaults to :func:`default_export_path` ``(state, "cleaned", ".csv")``.
    **to_csv
        Passed to :meth:`pandas.DataFrame.to_csv`.

    Returns
    -------
    Path
    """
    target = _target(path, default_export_path(state, "cleaned", ".csv"))
    state.to_dataframe().to_csv(target, **to_csv)
    return target


def export_parquet(state: DatasetState, path: str | Path | None = None, **to_parquet: Any) -> Path:
    """Write ``state.to_dataframe()`` as Parquet (dtypes kept).

    Parameters
    ----------
    state : DatasetState
    path : str or Path, optional
        Defaults to :func:`default_export_path` ``(state, "cleaned", ".parquet")``.
    **to_parquet
        Passed to :meth:`pandas.DataFrame.to_parquet`.

    Returns
    -------
    Path
    """
    target = _target(path, default_export_path(state, "cleaned", ".parquet"))
    state.to_dataframe().to_parquet(target, **to_parquet)
    return target


def export_edits(state: DatasetState, path: str | Path | None = None) -> Path:
    """Write the edit log (``state.edits``, one row per row changed) as CSV.

    Parameters
    ----------
    state : DatasetState
    path : str or Path, optional
        Defaults to :func:`default_export_path` ``(state, "edits", ".csv")``.

    Returns
    -------
    Path
    """
    target = _target(path, default_export_path(state, "edits", ".csv"))
    state.edits.to_csv(target, index=False)
    return target


def export_gaps(state: DatasetState, path: str | Path | None = None) -> Path:
    """Write the report's gaps as CSV, one row per gap (tuples joined by ``;``).

    Parameters
    ----------
    state : DatasetState
        Holds the report.
    path : str or Path, optional
        Defaults to :func:`default_export_path` ``(state, "gaps", ".csv")``.

    Returns
    -------
    Path
    """
    gaps = _report(state).gaps
    target = _target(path, default_export_path(state, "gaps", ".csv"))
    joined = {
        c: gaps[c].map(lambda t: ";".join(map(str, t))) for c in ("nearest_classes", "example_ids")
    }
    gaps.assign(**joined).to_csv(target)
    return target


def export_expectations(state: DatasetState, path: str | Path | None = None) -> Path:
    """Write the report's expectations in pandera's YAML format.

    Parameters
    ----------
    state : DatasetState
        Holds the report.
    path : str or Path, optional
        Defaults to :func:`default_export_path` ``(state, "expectations", ".yaml")``.

    Returns
    -------
    Path

    Raises
    ------
    ValueError
        If the report has no expectations.
    """
    schema = _report(state).expectations
    if schema is None:
        raise ValueError(
            "This report has no expectations: it analysed no raw input column (features= an "
            "array, or pred_probs= alone), so there is nothing a new batch must keep."
        )
    target = _target(path, default_export_path(state, "expectations", ".yaml"))
    target.write_text(schema.to_yaml(), encoding="utf-8")
    return target


def export_journal(state: DatasetState, path: str | Path) -> Path:
    """Write a complete journal copy to ``path`` (replay it with ``dw.apply_edits``).

    Parameters
    ----------
    state : DatasetState
    path : str or Path

    Returns
    -------
    Path
    """
    return Path(state.save(_target(path, Path(path))))


def display_path(path: str | Path) -> str:
    """``path`` relative to the working directory when it lies below it, else as given.

    Parameters
    ----------
    path : str or Path

    Returns
    -------
    str
    """
    path = Path(path)
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _report(state: DatasetState):
    report = state.report
    if report is None:
        raise ValueError("The state has no analysis report yet: nothing to export.")
    return report


def _target(path: str | Path | None, default: Path) -> Path:
    target = default if path is None else Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    return target
