"""The grid's "failed rules" column: a row with an invalid_value issue says which column broke
which rule (the demo pool's planted cells, known by construction)."""

from __future__ import annotations

import pytest

import dcml_widgets as dw
from dcml_widgets.analysis.pipeline import start_analysis
from dcml_widgets.state import DatasetState
from dcml_widgets.views.grid.relabel_grid import RelabelGrid
from tests.factories import blobs_frame, quick_report
from tests.views.test_grid import Wire, get_page


@pytest.fixture(scope="module")
def audited():
    df = dw.datasets.demo(n_rows=300)
    pool = dw.datasets.demo_pool(n_rows=100, train_rows=300)
    report = start_analysis(df, "digit", unlabeled=pool, progress=False).first_look
    return dw.combine(df, pool, label="digit"), pool, report


def test_planted_invalid_cells_show_their_column_and_rule(audited):
    combined, pool, report = audited
    state = DatasetState(combined, "digit", report=report)
    grid = RelabelGrid(state)
    wire = Wire(grid)
    assert [c["title"] for c in grid.columns if c["kind"] == "rules"] == ["failed rules"]
    planted = pool.attrs["planted_invalid"]
    state.select([p["id"] for p in planted])
    grid.set_view(filter={"scope": "selection"})
    content, _ = get_page(grid, wire, 0, 50)
    by_id = {row["id"]: row for row in content["rows"]}
    assert set(by_id) == {p["id"] for p in planted}
    for p in planted:
        row = by_id[p["id"]]
        assert "invalid_value" in row["issues"]
        value = "" if p["value"] is None else str(p["value"])
        assert {"column": p["column"], "rule": p["rule"], "value": value} in row["rules"]
        assert row["n_rules"] >= len(row["rules"]) >= 1
    # A training row breaks none of its own rules.
    grid.set_view(filter={})
    state.select([combined.index[0]])
    grid.set_view(filter={"scope": "selection"})
    content, _ = get_page(grid, wire, 0, 5)
    assert [(r["rules"], r["n_rules"]) for r in content["rows"]] == [([], 0)]
    grid.close()


def test_without_expectations_there_is_no_rules_column():
    df, _ = blobs_frame(n=60, seed=1)
    report = quick_report(df)
    assert "invalid_value" not in report.issue_types
    grid = RelabelGrid(DatasetState(df, "y", report=report))
    assert "rules" not in {c["kind"] for c in grid.columns}
    grid.close()
