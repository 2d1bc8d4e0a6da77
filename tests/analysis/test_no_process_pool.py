"""The analysis never starts a multiprocessing Pool (it hangs in threaded kernels: marimo)."""

from __future__ import annotations

import multiprocessing

import numpy as np
import psutil

import dcml_widgets as dw


def test_analysis_runs_when_multiprocessing_pools_cannot_start(monkeypatch):
    def no_pool(*args, **kwargs):
        raise RuntimeError("multiprocessing.Pool was started")

    monkeypatch.setattr(multiprocessing, "Pool", no_pool)
    # cleanlab picks a Pool whenever it sees more than one physical core: make sure it does.
    monkeypatch.setattr(psutil, "cpu_count", lambda logical=True: 4)
    df, flipped = dw.datasets.demo(n_rows=300, return_flipped=True)
    layout = np.random.default_rng(0).normal(size=(len(df), 2))

    report = dw.analyze(df, label="digit", layout=layout, progress=False)

    flagged = report.issues.index[report.issues["is_label_issue"]]
    assert len(flagged.intersection(flipped)) >= len(flipped) // 2
    assert report.summary.set_index("issue_type").loc["label", "num_issues"] == len(flagged)
