"""cleanlab's non_iid check with its permutation test run one permutation at a time.

cleanlab's ``NonIIDIssueManager._permutation_test`` builds every permutation's neighbour
index distances at once: three ``(25, N, k)`` int64 arrays, 6 GB at 1M rows, the analysis's
whole peak. This subclass draws the same permutations from the same seeded generator and
computes the same statistics one permutation at a time (``N x k`` at once), so the p-value
and the flags are cleanlab's, bit for bit, in a 25th of the memory.
"""

from __future__ import annotations

import functools
import warnings

import numpy as np
import pandas as pd
import scipy.sparse as sp

from dcml_widgets.analysis.printed import captured_stdout

ISSUE_TYPE = "non_iid"


def find_non_iid(knn_csr: sp.csr_matrix) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """Run the non_iid check on a Datalab-ready kNN graph.

    Parameters
    ----------
    knn_csr : scipy.sparse.csr_matrix
        ``N x N`` distances, the same number of neighbours per row, sorted by distance.

    Returns
    -------
    (issues, summary, failed) : tuple
        ``is_non_iid_issue`` and ``non_iid_score`` per row (RangeIndex), Datalab's summary
        row (``score`` = the p-value), and a "not assessed" note if the check failed (then
        ``issues`` has no columns and ``summary`` no row).
    """
    from cleanlab import Datalab

    n = knn_csr.shape[0]
    lab = Datalab(data={"row": np.arange(n)}, verbosity=0)
    manager = _manager_class()(datalab=lab, k=int(knn_csr.getnnz(axis=1).max(initial=0)))
    try:
        with captured_stdout(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            manager.find_issues(knn_graph=knn_csr)
    except Exception as error:
        return (
            pd.DataFrame(index=pd.RangeIndex(n)),
            pd.DataFrame(),
            [f"{ISSUE_TYPE} not assessed: {error}"],
        )
    issues = manager.issues.reset_index(drop=True)
    summary = manager.summary.assign(num_issues=int(issues[f"is_{ISSUE_TYPE}_issue"].sum()))
    return issues, summary, []


@functools.cache
def _manager_class() -> type:
    """The subclass, made on first use (cleanlab is imported lazily)."""
    from cleanlab.datalab.internal.issue_manager.noniid import NonIIDIssueManager
    from scipy.stats import gaussian_kde

    class _OnePermutationAtATime(NonIIDIssueManager):
        issue_name = NonIIDIssueManager.issue_name
        issue_score_key = NonIIDIssueManager.issue_score_key
        verbosity_levels = NonIIDIssueManager.verbosity_levels

        def _permutation_test(self, num_permutations: int) -> float:
            # the sequence np.random.seed(seed) + np.random.permutation gives cleanlab
            rng = np.random.RandomState(self.seed)
            choices = self.neighbor_index_choices
            ks = np.empty(num_permutations)
            for i in range(num_permutations):
                perm = rng.permutation(self.N)
                distances = np.abs(perm[:, None] - perm[choices])
                ks[i] = self._get_statistics(distances)["ks"]
            return gaussian_kde(ks).integrate_box(self.statistics["ks"], 100)

    return _OnePermutationAtATime
