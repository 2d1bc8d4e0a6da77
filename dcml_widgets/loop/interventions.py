"""The six fixed interventions of ``dw.what_if``: which rows each touches, and its command.

Each plan is read off the report and one snapshot of the current labels and exclusions, and
is an ordinary state command (exclude, accept_suggestion, relabel), so applying it is one
undo step and measuring after it is ``measure()`` itself.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pandas as pd

from dcml_widgets.values import native

#: The interventions, in the order they are planned (``what_if`` sorts its rows by effect).
INTERVENTIONS = (
    "exclude_label_issues",
    "accept_suggestions",
    "exclude_outliers",
    "drop_near_duplicate_extras",
    "resolve_conflicts",
    "exclude_worst_slice",
)
#: What each one does, in words (the dashboard's row titles).
DESCRIPTIONS = {
    "exclude_label_issues": "Exclude the rows whose label looks wrong",
    "accept_suggestions": "Relabel suspect rows to the suggested label",
    "exclude_outliers": "Exclude outliers",
    "drop_near_duplicate_extras": "Exclude all but one row of each near-duplicate set",
    "resolve_conflicts": "Relabel each conflicting group to its majority label",
    "exclude_worst_slice": "Exclude the worst-performing slice",
}
COMMANDS = ("exclude", "accept_suggestion", "relabel")


@dataclasses.dataclass(frozen=True)
class Intervention:
    """One candidate intervention as a state command.

    Attributes
    ----------
    name : str
        One of :data:`INTERVENTIONS`.
    command : str
        ``exclude``, ``accept_suggestion`` or ``relabel`` (a :class:`DatasetState` method).
    ids : tuple
        Row ids the command names (only rows it changes), in row order.
    labels : tuple or None
        For ``relabel``: the new label of each id; else None.
    detail : str
        What it targets (e.g. which slice), plain text.
    """

    name: str
    command: str
    ids: tuple
    labels: tuple | None = None
    detail: str = ""

    @property
    def n_rows(self) -> int:
        """Number of rows the command changes."""
        return len(self.ids)

    def apply(self, state: Any, *, source: str = "api", reason: str | None = None) -> None:
        """Run the command on ``state`` (one group in its log, one undo step).

        Parameters
        ----------
        state : DatasetState
        source : str
            Logged as the edit's source.
        reason : str, optional
            Logged as the edit's reason (default: ``"what-if: <name>"``).

        Raises
        ------
        ValueError
            If the plan names no row.
        """
        if not self.ids:
            raise ValueError(f"{self.name} touches no row here; there is nothing to apply.")
        reason = f"what-if: {self.name}" if reason is None else reason
        ids = list(self.ids)
        if self.command == "exclude":
            state.exclude(ids, reason=reason, source=source)
        elif self.command == "accept_suggestion":
            state.accept_suggestion(ids, reason=reason, source=source)
        else:
            state.relabel(ids, list(self.labels or ()), reason=reason, source=source)


def _ids(ids: pd.Index, mask: np.ndarray) -> tuple:
    return tuple(native(v) for v in ids[mask])


def _flag(issues: pd.DataFrame, column: str) -> np.ndarray:
    if column not in issues.columns:
        return np.zeros(len(issues), dtype=bool)
    return issues[column].fillna(False).to_numpy(dtype=bool)


def _label_issues(report: Any, labels: pd.Series, free: np.ndarray) -> list[Intervention]:
    issues = report.issues
    suspect = _flag(issues, "is_label_issue") & free
    exclude = Intervention("exclude_label_issues", "exclude", _ids(report.ids, suspect))
    suggested = (
        issues["suggested_label"].to_numpy(dtype=object)
        if "suggested_label" in issues.columns
        else np.full(len(issues), None, dtype=object)
    )
    has = pd.notna(suggested)
    current = labels.to_numpy(dtype=object)
    differs = np.array([has[i] and suggested[i] != current[i] for i in range(len(current))])
    accept = suspect & differs.astype(bool)
    return [
        exclude,
        Intervention("accept_suggestions", "accept_suggestion", _ids(report.ids, accept)),
    ]


def _near_duplicate_extras(report: Any, free: np.ndarray) -> Intervention:
    """Keep the first row of each near-duplicate set and exclude the others.

    The report keeps Datalab's flags but not its sets, so a set is rebuilt as a connected
    component of (flagged row, its nearest neighbour in the model matrix): the pairs
    Datalab judged near-identical.
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components
    from sklearn.neighbors import NearestNeighbors

    flagged = np.flatnonzero(_flag(report.issues, "is_near_duplicate_issue") & free)
    name = "drop_near_duplicate_extras"
    x = np.asarray(report.model_matrix)
    if flagged.size < 2 or x.ndim != 2 or len(x) < 2:
        return Intervention(name, "exclude", ())
    search = NearestNeighbors(n_neighbors=2).fit(x)
    _, nearest = search.kneighbors(x[flagged])
    # Column 0 is the row itself unless an exact copy came first: take the other one.
    partner = np.where(nearest[:, 0] == flagged, nearest[:, 1], nearest[:, 0])
    n = len(x)
    graph = coo_matrix((np.ones(flagged.size), (flagged, partner)), shape=(n, n))
    _, component = connected_components(graph, directed=False)
    members = np.zeros(n, dtype=bool)
    members[flagged] = True
    members[partner] = True
    members &= free
    extras = np.zeros(n, dtype=bool)
    seen: set[int] = set()
    for row in np.flatnonzero(members):  # ascending: the first row of each set is kept
        if component[row] in seen:
            extras[row] = True
        seen.add(int(component[row]))
    return Intervention(name, "exclude", _ids(report.ids, extras))


def _conflicts(report: Any, labels: pd.Series, free: np.ndarray) -> Intervention:
    name = "resolve_conflicts"
    issues = report.issues
    if "conflict_group" not in issues.columns:
        return Intervention(name, "relabel", (), (), "not assessed")
    groups = issues["conflict_group"].fillna(-1).to_numpy(dtype=np.int64)
    current = labels.reset_index(drop=True)
    order = {c: i for i, c in enumerate(report.classes)}
    ids: list = []
    new: list = []
    for group in np.unique(groups[groups >= 0]):
        rows = np.flatnonzero((groups == group) & free & current.notna().to_numpy())
        if rows.size < 2:
            continue
        counts = current.iloc[rows].value_counts()
        # Majority label; a tie goes to the class listed first in report.classes.
        top = max(counts.index, key=lambda c: (counts[c], -order.get(c, len(order))))
        for row in rows:
            if current.iloc[row] != top:
                ids.append(native(report.ids[row]))
                new.append(native(top))
    return Intervention(name, "relabel", tuple(ids), tuple(new))


def _slice_members(frame: pd.DataFrame, report: Any, worst: pd.Series) -> np.ndarray | None:
    if worst.get("source") == "underperforming_group":
        return _flag(report.issues, "is_underperforming_group_issue")
    column = worst.get("column")
    if column not in frame.columns:
        return None
    values = frame[column].reindex(report.ids)
    value = worst.get("value")
    if isinstance(value, pd.Interval):
        numbers = pd.to_numeric(values, errors="coerce")
        return np.asarray([v in value for v in numbers], dtype=bool)
    return (values == value).fillna(False).to_numpy(dtype=bool)


def _worst_slice(frame: pd.DataFrame, report: Any, labels: pd.Series, free: np.ndarray):
    name = "exclude_worst_slice"
    slices = getattr(report, "slices", None)
    if not isinstance(slices, pd.DataFrame) or slices.empty:
        return Intervention(name, "exclude", (), None, "no slice assessed")
    worst = slices.iloc[0]  # report.slices is sorted by ci_high ascending: the worst first
    members = _slice_members(frame, report, worst)
    detail = f"{worst.get('column')} = {worst.get('value')}"
    if members is None:
        return Intervention(name, "exclude", (), None, detail)
    chosen = members & free & labels.notna().to_numpy()
    return Intervention(name, "exclude", _ids(report.ids, chosen), None, detail)


def plan_interventions(
    report: Any, labels: pd.Series, excluded: np.ndarray, frame: pd.DataFrame
) -> list[Intervention]:
    """The six interventions for the current labels, in :data:`INTERVENTIONS` order.

    Rows already excluded are left out of every plan; a plan that touches no row has no ids.

    Parameters
    ----------
    report : AuditReport
        Issue flags, suggestions, conflict groups and slices come from it.
    labels : pandas.Series
        Current labels (index = the report's ids, in row order).
    excluded : numpy.ndarray
        Bool mask of the rows excluded now.
    frame : pandas.DataFrame
        The state's frame indexed by row id (slice columns are read from it).

    Returns
    -------
    list of Intervention
    """
    labels = labels.reindex(report.ids)
    free = ~np.asarray(excluded, dtype=bool)
    plans = [
        *_label_issues(report, labels, free),
        Intervention(
            "exclude_outliers",
            "exclude",
            _ids(report.ids, _flag(report.issues, "is_outlier_issue") & free),
        ),
        _near_duplicate_extras(report, free),
        _conflicts(report, labels, free),
        _worst_slice(frame, report, labels, free),
    ]
    return [dataclasses.replace(p, detail=p.detail or DESCRIPTIONS[p.name]) for p in plans]
