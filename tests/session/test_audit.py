"""dw.audit(): the front door, end to end on the real analysis (demo data, kept small)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import dcml_widgets as dw
from dcml_widgets.analysis.pipeline import start_analysis
from dcml_widgets.journal import JournalSupersededError, fingerprint
from dcml_widgets.session.dashboard import MEMORY_ONLY_WARNING, SUPERSEDED_WARNING

QUIET = {"progress": False}
pytestmark = pytest.mark.filterwarnings("ignore:journal=None:UserWarning")


@pytest.fixture(scope="module")
def demo():
    return dw.datasets.demo(n_rows=240, seed=2)


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def given_layout(df):
    """A fixed 2-D layout (skips UMAP where a test is not about the layout)."""
    return (
        df[["pixel_20", "pixel_44"]].to_numpy(dtype=np.float32) + np.arange(len(df))[:, None] * 1e-3
    )


def test_first_look_appears_then_the_umap_layout_replaces_it(demo, workdir):
    dash = dw.audit(demo, label="digit", journal=None, **QUIET)
    try:
        pending = start_analysis(demo, "digit", **QUIET)  # the cached analysis audit started
        assert pending.first_look.embedding_method == "pca"
        final = dash.wait(600)
        assert final is pending.finish()
        assert final.embedding_method == "umap"
        assert dash.report is final
        assert dash.header.summary["embedding_method"] == "umap"
        assert dash.header.layout_pending is False
        assert dash.embedding.layout_method == "umap"
        flagged = set(final.issues.index[final.issues["is_label_issue"]])
        flipped = set(demo.attrs["flipped"])
        assert len(flagged & flipped) > 0.5 * len(flipped)  # most injected errors are found
    finally:
        dash.close()


def test_auto_journal_saves_edits_and_resumes_them_on_the_same_data(demo, workdir):
    layout = given_layout(demo)
    first = dw.audit(demo, label="digit", layout=layout, **QUIET)
    expected = workdir / ".dcml" / f"{fingerprint(demo.index, demo['digit'])}.jsonl"
    assert first.journal_path.resolve() == expected.resolve()
    shown = f".dcml/{expected.name}"  # the header names it relative to the working directory
    assert first.header.journal == {
        "path": shown,
        "resumed": 0,
        "warning": "",
        "note": "",
        "siblings": [],
    }
    first.state.relabel([0, 1], 7)
    first.state.exclude([5])
    lines = expected.read_text().splitlines()
    assert json.loads(lines[0])["format"] == "dcml-journal" and len(lines) == 3

    # Run the cell again: the new dashboard takes the journal over and resumes every edit.
    second = dw.audit(demo, label="digit", layout=layout, **QUIET)
    try:
        assert second.report is first.report  # cached: no recomputation
        assert second.header.journal["resumed"] == 2
        assert second.state.labels[[0, 1]].tolist() == [7, 7]
        assert second.state.rows.excluded_mask[5]
        assert first.header.journal["warning"] == SUPERSEDED_WARNING
        with pytest.raises(JournalSupersededError, match="taken over"):
            first.state.relabel([3], 7)  # it would not be saved: refused, nothing changes
        assert first.state.labels[3] == demo["digit"][3] and len(first.state.log) == 2
        second.state.relabel([2], 7)
        assert len(expected.read_text().splitlines()) == 4
    finally:
        second.close()
        first.close()


def test_journal_none_warns_and_writes_nothing(demo, workdir):
    with pytest.warns(UserWarning, match="memory only"):
        dash = dw.audit(demo, label="digit", journal=None, layout=given_layout(demo), **QUIET)
    try:
        assert dash.journal_path is None
        assert dash.header.journal["warning"] == MEMORY_ONLY_WARNING
        dash.state.relabel([0], 3)
        assert not (workdir / ".dcml").exists()
    finally:
        dash.close()


def test_journal_path_names_the_file(demo, workdir):
    dash = dw.audit(demo, label="digit", journal="mine.jsonl", layout=given_layout(demo), **QUIET)
    try:
        dash.state.relabel([3], 1 if demo["digit"][3] != 1 else 2)
        assert dash.journal_path.name == "mine.jsonl"
        pd.testing.assert_frame_equal(dw.apply_edits(demo, "mine.jsonl"), dash.cleaned())
    finally:
        dash.close()


def test_measure_keeps_every_measurement_with_its_edit_count(demo, workdir):
    dash = dw.audit(demo, label="digit", journal=None, layout=given_layout(demo), **QUIET)
    try:
        flipped = demo.attrs["flipped"]
        truth = np.asarray(demo.attrs["true_label"])
        first = dash.measure()
        for row in flipped[:6]:
            dash.state.relabel(row, int(truth[row]))
        second = dash.measure()
        assert dash.measurements == [first, second]
        assert [c.n_edits for c in dash.measurements] == [0, 6]
        history = dash.measure_panel.view.history
        assert [h["n_edits"] for h in history] == [0, 6]
        assert dash.measure_panel.view.shown == 1
        assert dash.measure_panel.view.edits_since == 0
        table = dash.measure_panel.view.table
        assert [r["class"] for r in table] == [str(c) for c in second.table.index]
        assert [r["f1_after"] for r in table] == pytest.approx(second.table["f1_after"].tolist())
        # The chart shows the second measurement: one F1 pair per class.
        chart = dash.measure_panel.chart
        assert chart.names == [str(c) for c in second.table.index]
        assert chart.f1_before == pytest.approx(second.table["f1_before"].tolist())
        assert chart.f1_after == pytest.approx(second.table["f1_after"].tolist())
        assert chart.title.startswith("Per-class F1, measurement #2 (6 edits, ")
        assert dash.measure_panel.children == (dash.measure_panel.view, chart)
        dash.state.relabel(flipped[7], int(truth[flipped[7]]))
        assert dash.measure_panel.view.edits_since == 1
        # Clicking the first measurement shows its table again.
        dash.measure_panel.view._dispatch(dash.measure_panel.view, {"type": "show", "index": 0}, [])
        assert dash.measure_panel.view.table[0]["f1_after"] == pytest.approx(
            first.table["f1_after"].iloc[0]
        )
        assert chart.f1_after == pytest.approx(first.table["f1_after"].tolist())
    finally:
        dash.close()


def test_measure_button_uses_the_test_frame_given_to_audit(demo, workdir):
    train, test = demo.iloc[:180], demo.iloc[180:]
    layout = given_layout(train)
    dash = dw.audit(train, label="digit", test=test, journal=None, layout=layout, **QUIET)
    try:
        dash.measure_panel.view._dispatch(dash.measure_panel.view, {"type": "measure"}, [])
        assert dash.measure_panel.view.error == ""
        (cmp,) = dash.measurements
        assert cmp.on_test is True
        assert int(cmp.table["support_after"].sum()) == len(test)
    finally:
        dash.close()


def test_rerun_analyses_current_labels_leaving_excluded_rows_out(demo, workdir):
    dash = dw.audit(demo, label="digit", layout=given_layout(demo), **QUIET)
    try:
        before = dash.report
        truth = np.asarray(demo.attrs["true_label"])
        fixed = demo.attrs["flipped"][:8]
        for row in fixed:
            dash.state.relabel(row, int(truth[row]))
        out = [r for r in range(20, 40) if r not in demo.attrs["flipped"]][:2]
        dash.state.exclude(out)
        journal = dash.journal_path
        after = dash.rerun(progress=False)
        assert dash.history == [before]
        assert dash.report is after is dash.state.report
        assert after is not before
        assert after.ids.equals(dash.state.ids)
        # Excluded, not blanked: their labels stay, and they are not pool rows.
        assert after.given.loc[out].tolist() == demo["digit"].loc[out].tolist()
        positions = after.ids.get_indexer(out)
        assert after.excluded_mask[positions].all() and after.excluded_mask.sum() == 2
        assert not after.pool_mask.any()
        assert after.given.loc[fixed].tolist() == [int(truth[r]) for r in fixed]
        assert (after.folds[out] == -1).all()  # not trained on
        assert not after.issues.loc[out, "is_label_issue"].any()
        assert list(after.classes) == list(range(10))  # int labels stay ints
        assert dash.journal_path == journal  # same state, same journal
        assert len(dash.state.log) == 9
        assert dash.header.summary["accuracy"] == pytest.approx(after.accuracy)
    finally:
        dash.close()


def test_rerun_button_runs_in_the_background(demo, workdir):
    dash = dw.audit(demo, label="digit", journal=None, layout=given_layout(demo), **QUIET)
    try:
        dash.state.relabel([4], 0 if demo["digit"][4] != 0 else 1)
        first = dash.report
        dash.header._dispatch(dash.header, {"type": "action", "name": "rerun"}, [])
        assert dash.header.error == ""
        dash.wait(600)
        assert dash.history == [first]
        assert dash.report.given[4] == dash.state.labels[4]
        assert dash.header.status == "Re-ran the analysis on the current labels."
    finally:
        dash.close()


def test_two_audits_in_one_kernel_stay_independent(demo, workdir):
    other = dw.datasets.demo(n_rows=120, seed=7)
    a = dw.audit(demo, label="digit", layout=given_layout(demo), **QUIET)
    b = dw.audit(other, label="digit", layout=given_layout(other), **QUIET)
    try:
        assert a.journal_path != b.journal_path
        b.state.relabel([0, 1], 9)
        b.state.select([2])
        assert len(a.state.log) == 0 and list(a.state.selection) == []
        assert a.header.journal["warning"] == ""  # b did not take a's journal
        a.state.relabel([0], 9 if demo["digit"][0] != 9 else 8)
        assert len(b.state.log) == 1
    finally:
        a.close()
        b.close()


def test_audit_refuses_bad_input_clearly(demo, workdir):
    with pytest.raises(TypeError, match="DataFrame"):
        dw.audit(demo.to_numpy(), label="digit")
    with pytest.raises(KeyError, match="nope"):
        dw.audit(demo, label="nope", **QUIET)
    with pytest.raises(TypeError, match="unknown option"):
        dw.audit(demo, label="digit", colour="red")
    with pytest.raises(KeyError, match="test="):
        dw.audit(demo, label="digit", test=demo.drop(columns="digit"), **QUIET)
    with pytest.raises(TypeError, match="journal="):
        dw.audit(demo, label="digit", journal=3, layout=given_layout(demo), **QUIET)
    assert not (workdir / ".dcml").exists()


def test_dashboard_shows_once_when_audit_is_the_cells_value(demo, workdir):
    dash = dw.audit(demo, label="digit", journal=None, layout=given_layout(demo), **QUIET)
    try:
        bundle = dash._repr_mimebundle_()
        assert "application/vnd.jupyter.widget-view+json" in bundle  # no IPython: shown
        dash._shown_in = None
        assert repr(dash).startswith("<Dashboard 240 rows, 10 classes")
    finally:
        dash.close()


def test_annotator_panel_shows_agreement_and_selects_the_most_disputed_rows(workdir):
    df = dw.datasets.demo(n_rows=240, seed=2, n_annotators=3)
    names = ["annotator_1", "annotator_2", "annotator_3"]
    dash = dw.audit(
        df, label="digit", journal=None, annotators=names, layout=given_layout(df), **QUIET
    )
    try:
        panel = dash.annotators
        assert panel is not None and panel in dash.children[1].children
        agreement = dash.report.agreement
        assert panel.statistic == {
            "name": "Krippendorff's alpha",
            "value": pytest.approx(agreement.value),
        }
        assert [a["annotator"] for a in panel.annotators] == names
        # annotator_1 is right most often, annotator_3 least: the quality ranking says so.
        quality = [a["quality"] for a in panel.annotators]
        assert quality[0] > quality[2]
        # The listed rows are those whose annotators least often chose the consensus label,
        # recomputed here from the raw annotation columns.
        said = df[names].to_numpy(dtype=float)
        consensus = agreement.per_row["consensus_label"].to_numpy(dtype=float)[:, None]
        n = (~np.isnan(said)).sum(1)
        share = np.where(n > 0, (said == consensus).sum(1) / np.maximum(n, 1), 1.0)
        listed = dash.state.rows.positions(panel.disputed_ids)
        assert len(listed) > 0
        assert share[listed].max() <= np.sort(share[share < 1])[len(listed) - 1] + 1e-9
        panel._dispatch(panel, {"type": "select_disagreement"}, [])
        assert list(dash.state.selection) == sorted(panel.disputed_ids)
    finally:
        dash.close()


def test_audit_with_the_data_open_in_another_kernel_uses_a_sibling_journal(demo, workdir):
    # A second notebook on the same data: a real process holds .dcml/<fp>.jsonl.
    code = (
        "import sys, dcml_widgets as dw\n"
        "df = dw.datasets.demo(n_rows=240, seed=2)\n"
        "state = dw.DatasetState(df, 'digit', journal='auto')\n"
        "state.relabel([0], 3 if df['digit'][0] != 3 else 4)\n"
        "print(state.journal_path.name, flush=True)\n"
        "sys.stdin.readline()\n"
    )
    root = Path(__file__).resolve().parents[2]
    other = subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=workdir,
        env={**os.environ, "PYTHONPATH": str(root)},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        held = other.stdout.readline().strip()
        assert held.endswith(".jsonl"), other.stderr.read()
        dash = dw.audit(demo, label="digit", layout=given_layout(demo), **QUIET)  # no error
        try:
            journal = dash.header.journal
            assert dash.journal_path.name == held.replace(".jsonl", "-2.jsonl")
            assert journal["path"] == f".dcml/{dash.journal_path.name}"
            assert journal["warning"] == "" and "open in another kernel" in journal["note"]
            assert journal["siblings"] == [[held, 1]]
            dash.state.relabel([5], 1 if demo["digit"][5] != 1 else 2)  # saved, here
            assert len(dash.journal_path.read_text().splitlines()) == 2
        finally:
            dash.close()
    finally:
        other.kill()
        other.communicate()
