"""The whole loop on a messy real-world frame: every view serves it, nothing is lost."""

from __future__ import annotations

import decimal

import numpy as np
import pandas as pd
import pytest

import dcml_widgets as dw


@pytest.fixture(scope="module")
def messy() -> pd.DataFrame:
    """String ids, NaNs, dates, date-like text, nullable booleans, mixed objects, decimals,
    bytes, timedeltas, an ordered categorical, hostile text, a two-row class, a missing label.
    """
    rng = np.random.default_rng(0)
    n = 240
    age = np.where(rng.random(n) < 0.1, np.nan, rng.integers(18, 80, n)).astype(float)
    active = rng.random(n) < 0.5
    labels = np.array(["a", "b", "c"], dtype=object)[
        (np.nan_to_num(age, nan=40) > 50).astype(int) + active.astype(int)
    ]
    labels[:2] = "rare"
    labels[5] = None
    df = pd.DataFrame(
        {
            "age": age,
            "signup": pd.date_range("2020-01-01", periods=n, freq="D"),
            "when_str": [f"2021-0{1 + i % 9}-1{i % 9}" for i in range(n)],
            "active": active,
            "maybe": pd.array([True, False, None] * (n // 3), dtype="boolean"),
            "city": rng.choice(np.array(["Paris", "Lyon", None, "Nice"], dtype=object), n),
            "comment": [
                f"comment {i} <img src=x onerror=alert(1)>" if i % 7 else None for i in range(n)
            ],
            "mixed": [1, "a", 2.5, None] * (n // 4),
            "const": 1,
            "allnan": np.nan,
            "amount": [decimal.Decimal("1.5")] * n,
            "blob": [b"\x00\x01"] * n,
            "td": pd.to_timedelta(rng.integers(0, 100, n), unit="h"),
            "size": pd.Categorical(
                rng.choice(["lo", "mid", "hi"], n), ["lo", "mid", "hi"], ordered=True
            ),
            "y": labels,
        },
        index=pd.Index([f"u{i:05d}" for i in range(n)], name="user_id"),
    )
    return df


@pytest.fixture(scope="module")
def dash(messy):
    dash = dw.audit(messy, label="y", journal=None, display=False, progress=False)
    dash.wait(300)
    yield dash
    dash.close()


def test_every_column_gets_a_role_and_a_reason(dash):
    plan = dash.report.feature_plan.set_index("column")
    expected = {
        "age": "numeric",
        "signup": "datetime",
        "when_str": "datetime",
        "active": "boolean",
        "maybe": "boolean",
        "city": "categorical",
        "comment": "text",
        "const": "constant",
        "allnan": "all_missing",
        "size": "ordinal",
    }
    assert {c: plan.loc[c, "role"] for c in expected} == expected
    assert plan["detail"].str.len().gt(0).all()
    assert dash.report.embedding_method == "umap"
    assert np.isfinite(dash.report.embedding).all()


def test_views_serve_pages_and_previews_without_error(dash):
    grid, emb = dash.grid, dash.embedding
    sent = []
    grid.send = lambda msg, buffers=None: sent.append(msg)
    for key in ["score", "col:signup", "col:mixed", "col:maybe", "col:city"]:
        grid._dispatch(grid, {"type": "view", "sort": key, "ascending": True}, [])
        grid._dispatch(
            grid, {"type": "page", "start": 0, "count": 30, "revision": grid.revision}, []
        )
        assert grid.error == "", key
        assert len(sent[-1]["rows"]) == 30
    # Hostile text travels as a plain string (the page renders it with textContent).
    cells = [cell for row in sent[-1]["rows"] for cell in row["cells"]]
    assert any(isinstance(c, str) and "<img src=x onerror" in c for c in cells)
    previews = []
    emb.send = lambda msg, buffers=None: previews.append(msg)
    emb._dispatch(emb, {"type": "hover", "position": 7, "revision": emb.revision}, [])
    assert emb.error == ""
    assert previews[-1]["type"] == "hover"
    assert previews[-1]["position"] == 7


def test_edits_measure_and_export_keep_the_frame(dash, messy):
    state = dash.state
    state.relabel(["u00003", "u00004"], "rare", reason="checked")
    state.exclude("u00010")
    state.note("u00011", "looks odd")
    cmp = dash.measure()
    assert cmp.n_edits == 3
    assert set(cmp.table.index) >= {"a", "b", "c"}
    cleaned = dash.cleaned()
    assert len(cleaned) == len(messy) - 1
    assert "u00010" not in cleaned.index
    assert cleaned.loc[["u00003", "u00004"], "y"].tolist() == ["rare", "rare"]
    same = [c for c in messy.columns if c != "y"]
    assert (cleaned[same].dtypes == messy[same].dtypes).all()
    untouched = messy.drop(index=["u00003", "u00004", "u00010"])
    pd.testing.assert_frame_equal(cleaned.drop(index=["u00003", "u00004"]), untouched)
