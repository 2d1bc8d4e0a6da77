"""analyze(..., client=c) on a real dask LocalCluster of separate worker processes: the fold
fits and the neighbour search ran on the workers, and the report equals the one-machine one."""

from __future__ import annotations

import sys

import distributed
import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_classification
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression

from dcml_widgets.analysis.pipeline import analyze, clear_cache


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        silence_logs=50,
    )
    with distributed.Client(cluster) as c:
        yield c
    cluster.close()


def frame(n: int = 1200, seed: int = 0) -> pd.DataFrame:
    x, y = make_classification(n, 8, n_informative=5, n_classes=3, random_state=seed)
    rng = np.random.default_rng(seed)
    flip = rng.choice(n, n // 10, replace=False)
    y[flip] = (y[flip] + 1) % 3
    df = pd.DataFrame(x, columns=[f"f{i}" for i in range(8)])
    df["y"] = [f"c{v}" for v in y]
    return df


def test_fold_fits_and_neighbour_chunks_run_on_the_workers_with_the_same_result(client):
    df = frame()
    models = [LogisticRegression(max_iter=300), RandomForestClassifier(30, random_state=0)]
    layout = df[["f0", "f1"]].to_numpy(np.float32)  # the layout is not what this is about
    clear_cache()
    local = analyze(df, "y", model=models, layout=layout, progress=False)
    clear_cache()
    with distributed.get_task_stream(client) as stream:
        remote = analyze(df, "y", model=models, layout=layout, progress=False, client=client)
    tasks = stream.data
    fits = [t for t in tasks if str(t["key"]).startswith("dcml-fit-fold")]
    workers = set(client.scheduler_info()["workers"])
    assert len(fits) == 5 * len(models)  # folds x models, not one token task
    assert {t["worker"] for t in fits} <= workers and len({t["worker"] for t in fits}) == 2
    assert any(str(t["key"]).startswith("dcml-neighbours") for t in tasks)
    np.testing.assert_array_equal(remote.folds, local.folds)
    np.testing.assert_allclose(remote.pred_probs, local.pred_probs, atol=1e-6)
    pd.testing.assert_frame_equal(remote.issues, local.issues)
    pd.testing.assert_frame_equal(remote.summary, local.summary)
    assert "client" not in remote.options  # kept out of what a report saves


def test_a_joblib_dask_backend_is_used_when_no_client_is_given(client):
    from joblib import parallel_backend

    df = frame(400, seed=1)
    clear_cache()
    with distributed.get_task_stream(client) as stream, parallel_backend("dask"):
        report = analyze(
            df,
            "y",
            model=LogisticRegression(max_iter=300),
            progress=False,
            layout=df[["f0", "f1"]].to_numpy(np.float32),
        )
    assert report.pred_probs.shape == (400, 3)
    assert len(stream.data) >= 5  # the folds went through the cluster


def test_client_must_be_a_dask_client():
    with pytest.raises(TypeError, match=r"dask\.distributed\.Client"):
        analyze(frame(100), "y", client="tcp://127.0.0.1:8786", progress=False)


def test_without_dask_installed_client_says_which_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if it were not installed
    with pytest.raises(ImportError, match=r"dcml-widgets\[dask\]"):
        analyze(frame(100), "y", client=object(), progress=False)
