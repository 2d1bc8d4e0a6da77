"""The coverage stage of the pipeline: scores, flags and gaps from the shared graph."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from dcml_widgets.analysis.coverage.gaps import empty_gaps, gap_table
from dcml_widgets.analysis.coverage.regions import (
    CANDIDATE_BELOW,
    MIN_GAP_SIZE,
    candidate_regions,
    chance_region_size,
    underrepresented_scores,
)

ISSUE_TYPE = "underrepresented"


@dataclasses.dataclass(frozen=True)
class CoverageResult:
    """What :func:`assess_coverage` found.

    Attributes
    ----------
    issues : pandas.DataFrame
        Index = row ids: ``underrepresented_score`` (float64, every row),
        ``is_underrepresented_issue`` (bool, pool rows in a gap) and ``gap`` (int64 row of
        :attr:`gaps`, ``-1`` none).
    gaps : pandas.DataFrame
        See :func:`~dcml_widgets.analysis.coverage.gaps.gap_table` (``x``, ``y`` NaN until
        :func:`~dcml_widgets.analysis.coverage.gaps.place_gaps` reads them from a layout).
    summary : pandas.DataFrame
        One summary row (``issue_type, num_issues, score``); not assessed (``<NA>``, NaN)
        without pool rows.
    notes : tuple of str
    """

    issues: pd.DataFrame
    gaps: pd.DataFrame
    summary: pd.DataFrame
    notes: tuple[str, ...] = ()


def assess_coverage(
    graph_indices: np.ndarray,
    vectors: np.ndarray,
    trained: np.ndarray,
    pool: np.ndarray,
    excluded: np.ndarray,
    codes: np.ndarray,
    classes: np.ndarray,
    ids: pd.Index,
    *,
    seed: int = 0,
) -> CoverageResult:
    """Which pool rows sit where the training rows do not reach, grouped into gaps.

    A pool row is *underrepresented* when it belongs to a gap: a connected region (on the
    shared kNN graph) of pool rows whose ``underrepresented_score`` is below
    :data:`~dcml_widgets.analysis.coverage.regions.CANDIDATE_BELOW`, with at least
    :data:`~dcml_widgets.analysis.coverage.regions.MIN_GAP_SIZE` rows and larger than every
    region the same graph grows when the training rows are drawn at random
    (:func:`~dcml_widgets.analysis.coverage.regions.chance_region_size`). So an i.i.d. pool
    shows no gap (but for a chance of at most 1 in 100), while a style or class the training
    rows lack is one region of rows with no labelled neighbour.

    Parameters
    ----------
    graph_indices : numpy.ndarray
        ``(N, k)`` the shared graph's neighbour positions.
    vectors : numpy.ndarray
        ``(N, d)`` the matrix the graph was built on.
    trained, pool, excluded : numpy.ndarray
        ``(N,)`` bool: training rows (labelled, not excluded), pool rows (no label, not
        excluded) and excluded rows.
    codes : numpy.ndarray
        ``(N,)`` class positions of the labels (``-1`` = none).
    classes : numpy.ndarray
    ids : pandas.Index
    seed : int
        Seed of the random draws that calibrate chance regions.

    Returns
    -------
    CoverageResult
    """
    n = len(ids)
    scores = underrepresented_scores(graph_indices, trained)
    gap = np.full(n, -1, dtype=np.int64)
    members: list[np.ndarray] = []
    notes: list[str] = []
    if pool.any():
        region = candidate_regions(graph_indices, pool & (scores < CANDIDATE_BELOW))
        chance = chance_region_size(graph_indices, trained, ~excluded, seed=seed)
        sizes = np.bincount(region[region >= 0]) if (region >= 0).any() else np.zeros(0, int)
        big = np.flatnonzero((sizes > chance) & (sizes >= MIN_GAP_SIZE))
        # Largest first; equal sizes by their first row, so the order is reproducible.
        firsts = [int(np.flatnonzero(region == r)[0]) for r in big]
        order = sorted(range(big.size), key=lambda i: (-int(sizes[big[i]]), firsts[i]))
        for number, i in enumerate(order):
            rows = np.flatnonzero(region == big[i])
            gap[rows] = number
            members.append(rows)
        if chance >= MIN_GAP_SIZE:
            notes.append(
                f"Coverage: with {int(pool.sum())} unlabelled rows against "
                f"{int(trained.sum())} training rows, regions of up to {chance} unlabelled "
                "rows arise by chance, so only larger gaps are reported."
            )
        if members:
            flagged = int(sum(m.size for m in members))
            notes.append(
                f"{flagged} of {int(pool.sum())} unlabelled rows lie in {len(members)} "
                "region(s) the training rows do not cover (report.gaps): label or collect "
                "rows like them next."
            )
    flags = gap >= 0
    issues = pd.DataFrame(
        {"underrepresented_score": scores, "is_underrepresented_issue": flags, "gap": gap},
        index=ids,
    )
    if pool.any():
        summary_row = {
            "issue_type": ISSUE_TYPE,
            "num_issues": int(flags.sum()),
            "score": float(scores[pool].mean()),
        }
        gaps = gap_table(members, vectors, trained, codes, classes, ids)
    else:
        summary_row = {"issue_type": ISSUE_TYPE, "num_issues": pd.NA, "score": np.nan}
        gaps = empty_gaps()
    summary = pd.DataFrame([summary_row]).astype({"num_issues": "Int64", "score": np.float64})
    return CoverageResult(issues=issues, gaps=gaps, summary=summary, notes=tuple(notes))
