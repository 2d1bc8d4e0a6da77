"""Dashboard composition on a real quick report: layout, linking, export, lifecycle."""

from __future__ import annotations

import threading

import ipywidgets
import pandas as pd
import pytest

import dcml_widgets as dw
from dcml_widgets.session.dashboard import MEMORY_ONLY_WARNING
from dcml_widgets.session.runs import labels_for_rerun
from tests.factories import blobs_frame, quick_report


@pytest.fixture
def frame():
    df, _ = blobs_frame(n=90, n_classes=3, n_flipped=9, seed=4)
    return df


@pytest.fixture
def dash(frame):
    state = dw.DatasetState(frame, "y", report=quick_report(frame))
    board = dw.Dashboard(state)
    yield board
    board.close()


def send(widget, content):
    widget._dispatch(widget, content, [])


def test_layout_header_balance_views_side_by_side_grid_measure(dash):
    header, top, middle, grid, measure, whatif = dash.children
    assert header is dash.header
    assert top.children == (dash.balance, dash.slices_panel, dash.gaps_panel, dash.guidelines)
    assert isinstance(middle, ipywidgets.HBox)
    assert middle.children == (dash.embedding, dash.confusion)
    assert isinstance(dash.embedding, dw.EmbeddingExplorer)
    assert isinstance(dash.confusion, dw.ConfusionMatrix)
    assert grid is dash.grid and isinstance(grid, dw.RelabelGrid)
    assert measure is dash.measure_panel
    assert whatif is dash.whatif_panel
    assert "dcml-dashboard" in dash._dom_classes
    assert dash.annotators is None  # no annotators= given
    # The measure chart appears with the first measurement, not before.
    assert dash.measure_panel.children == (dash.measure_panel.view,)
    assert dash.measure_panel.chart is None


def test_views_share_the_one_state(dash):
    for view in (dash.header, dash.embedding, dash.confusion, dash.grid):
        assert view.state is dash.state
    assert dash.report is dash.state.report


def test_without_a_journal_the_header_warns_edits_are_in_memory_only(dash):
    assert dash.journal_path is None
    assert dash.header.journal["warning"] == MEMORY_ONLY_WARNING


def test_issue_count_selects_rows_every_view_sees(dash):
    send(dash.header, {"type": "select_issue", "issue": "label"})
    flagged = dash.report.issues.index[dash.report.issues["is_label_issue"]]
    assert list(dash.state.selection) == list(flagged)
    # The embedding view carries the selection to the browser as uint32 positions.
    sent = pd.Series(memoryview(dash.embedding._selection).cast("I").tolist())
    assert sent.tolist() == list(dash.state.rows.positions(flagged))


def test_exports_equal_the_cleaned_frame(dash, frame, tmp_path):
    dash.state.relabel([0, 1], "c2")
    dash.state.exclude([2])
    expected = frame.drop(index=[2]).copy()
    expected.loc[[0, 1], "y"] = "c2"
    csv = dash.export_csv(tmp_path / "clean.csv")
    pd.testing.assert_frame_equal(pd.read_csv(csv, index_col=0), expected, check_dtype=False)
    parquet = dash.export_parquet(tmp_path / "sub" / "clean.parquet")
    pd.testing.assert_frame_equal(pd.read_parquet(parquet), expected)
    edits = pd.read_csv(dash.export_edits(tmp_path / "edits.csv"))
    assert edits[["row", "field"]].values.tolist() == [[0, "label"], [1, "label"], [2, "excluded"]]
    copy = dash.export_journal(tmp_path / "journal.jsonl")
    pd.testing.assert_frame_equal(dw.apply_edits(frame, copy), dash.cleaned())


def test_export_button_writes_the_default_file(dash, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    send(dash.header, {"type": "action", "name": "export_parquet"})
    assert dash.header.error == ""
    written = tmp_path / "dcml-export" / "cleaned-audit.parquet"
    assert dash.header.status == "Wrote dcml-export/cleaned-audit.parquet"
    assert len(pd.read_parquet(written)) == 90


def test_excluded_rows_reach_the_rerun_as_exclusions_with_their_labels(dash):
    original = dash.state.labels.copy()
    dash.state.exclude([4, 3])
    dash.state.relabel([5], "c0" if dash.state.labels[5] != "c0" else "c1")
    labels, excluded = labels_for_rerun(dash.state)
    assert excluded == [3, 4]  # row order
    assert labels.notna().all()
    assert labels[3] == original[3] and labels[4] == original[4]
    assert labels[5] == dash.state.labels[5]


def test_int_labels_keep_their_dtype_and_missing_ones_become_int64():
    df = pd.DataFrame({"x": range(6), "y": [0, 1, 0, 1, 2, 2]})
    state = dw.DatasetState(df, "y")
    state.exclude([1])
    labels, excluded = labels_for_rerun(state)
    assert labels.tolist() == [0, 1, 0, 1, 2, 2] and excluded == [1]
    pool = dw.DatasetState(df.assign(y=pd.array([0, 1, None, 1, 2, 2], dtype="Int64")), "y")
    labels, excluded = labels_for_rerun(pool)
    assert str(labels.dtype) == "Int64" and excluded == []
    assert labels.isna().tolist() == [False, False, True, False, False, False]


def test_a_second_dashboard_on_other_data_is_independent(dash):
    df2, _ = blobs_frame(n=60, n_classes=2, n_flipped=4, seed=9)
    other = dw.Dashboard(dw.DatasetState(df2, "y", report=quick_report(df2)))
    try:
        other.state.relabel([0], "c1" if other.state.labels[0] != "c1" else "c0")
        other.state.select([1, 2])
        assert len(dash.state.log) == 0
        assert list(dash.state.selection) == []
        assert dash.header.summary["n_edit_groups"] == 0
        assert other.header.summary["n_edit_groups"] == 1
    finally:
        other.close()


def test_close_detaches_every_view_from_the_state(frame):
    state = dw.DatasetState(frame, "y", report=quick_report(frame))
    before = len(state._listeners)
    board = dw.Dashboard(state)
    assert len(state._listeners) > before
    board.close()
    assert len(state._listeners) == before


def test_dashboard_needs_a_state_with_a_report(frame):
    with pytest.raises(ValueError, match="audit"):
        dw.Dashboard(dw.DatasetState(frame, "y"))
    with pytest.raises(TypeError):
        dw.Dashboard(frame)


class HeldLayout:
    """A pending analysis whose UMAP step ends when the test says: with a result or a crash."""

    def __init__(self, first_look, final=None, error=None):
        self.first_look, self._final, self._error = first_look, final, error
        self.release = threading.Event()
        self.done = False

    def finish(self):
        self.release.wait(30)
        if self._error is not None:
            raise self._error
        self.done = True
        return self._final


def test_a_failed_umap_layout_is_shown_in_the_header_and_the_first_look_stays(dash):
    first = dash.report
    held = HeldLayout(first, error=RuntimeError("umap ran out of memory"))
    dash.follow(held)
    assert dash.layout_pending is True
    held.release.set()
    dash.wait(30)
    assert dash.report is first
    assert dash.layout_pending is False
    assert "umap ran out of memory" in dash.header.status


def test_a_late_layout_never_replaces_a_newer_report(dash):
    first = dash.report
    held = HeldLayout(first, final=first.replace(embedding_method="umap"))
    dash.follow(held)
    newer = first.replace(accuracy=0.25)
    dash.state.set_report(newer)  # e.g. a re-run finished first
    held.release.set()
    dash.wait(30)
    assert dash.report is newer
    assert dash.header.summary["accuracy"] == 0.25


def test_a_failed_rerun_from_the_button_is_shown_in_the_header(dash):
    first = dash.report
    labels = dash.state.labels
    dash.state.exclude(labels.index[labels != "c0"])  # one class left: nothing to learn
    send(dash.header, {"type": "action", "name": "rerun"})
    assert dash.header.error == ""
    dash.wait(120)
    assert dash.header.status.startswith("Re-run failed:")
    assert "single class" in dash.header.status
    assert dash.header.busy == ""
    assert dash.report is first and dash.history == []
