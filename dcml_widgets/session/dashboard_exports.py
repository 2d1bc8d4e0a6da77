"""The dashboard's exports: the cleaned frame, the edits, the journal, gaps and expectations
(thin methods over :mod:`dcml_widgets.session.exports`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dcml_widgets.session import exports
from dcml_widgets.state import DatasetState


class DashboardExports:
    """The ``export_*`` methods of :class:`~dcml_widgets.Dashboard` (a mixin over its state)."""

    _state: DatasetState

    def export_csv(self, path: str | Path | None = None, **to_csv: Any) -> Path:
        """Write the cleaned DataFrame (edits applied, excluded rows dropped) as CSV.

        Parameters
        ----------
        path : str or Path, optional
            Defaults to ``./dcml-export/cleaned-<journal name>.csv``.
        **to_csv
            Passed to :meth:`pandas.DataFrame.to_csv`.

        Returns
        -------
        Path
        """
        return exports.export_csv(self._state, path, **to_csv)

    def export_parquet(self, path: str | Path | None = None, **to_parquet: Any) -> Path:
        """Write the cleaned DataFrame as Parquet (dtypes kept).

        Parameters
        ----------
        path : str or Path, optional
            Defaults to ``./dcml-export/cleaned-<journal name>.parquet``.
        **to_parquet
            Passed to :meth:`pandas.DataFrame.to_parquet`.

        Returns
        -------
        Path
        """
        return exports.export_parquet(self._state, path, **to_parquet)

    def export_edits(self, path: str | Path | None = None) -> Path:
        """Write the edit log (``state.edits``, one row per row changed) as CSV.

        Parameters
        ----------
        path : str or Path, optional
            Defaults to ``./dcml-export/edits-<journal name>.csv``.

        Returns
        -------
        Path
        """
        return exports.export_edits(self._state, path)

    def export_journal(self, path: str | Path) -> Path:
        """Write a complete journal copy to ``path`` (replay it with ``dw.apply_edits``).

        Parameters
        ----------
        path : str or Path

        Returns
        -------
        Path
        """
        return exports.export_journal(self._state, path)

    def export_gaps(self, path: str | Path | None = None) -> Path:
        """Write ``report.gaps`` (what to collect or label next) as CSV.

        Parameters
        ----------
        path : str or Path, optional
            Defaults to ``./dcml-export/gaps-<journal name>.csv``.

        Returns
        -------
        Path
        """
        return exports.export_gaps(self._state, path)

    def export_expectations(self, path: str | Path | None = None) -> Path:
        """Write ``report.expectations`` as pandera YAML, for a pipeline to enforce.

        Load it with ``pandera.pandas.DataFrameSchema.from_yaml(path)`` and call
        ``.validate(new_batch, lazy=True)``.

        Parameters
        ----------
        path : str or Path, optional
            Defaults to ``./dcml-export/expectations-<journal name>.yaml``.

        Returns
        -------
        Path

        Raises
        ------
        ValueError
            If the report has no expectations (no raw input columns were analysed).
        """
        return exports.export_expectations(self._state, path)
