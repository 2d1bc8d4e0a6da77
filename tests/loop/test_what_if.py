"""dw.what_if: every row reproduced by applying its command for real and measuring."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import dcml_widgets as dw
from dcml_widgets.analysis.pipeline import analyze, start_analysis
from dcml_widgets.loop.interventions import INTERVENTIONS
from dcml_widgets.loop.projecting import COLUMNS
from dcml_widgets.session.measuring import measure
from dcml_widgets.state import DatasetState
from tests.analysis.test_pred_probs_only import model_outputs
from tests.session.test_measure import _frame


def _planted(n=210, seed=3):
    """Three overlapping classes with flipped labels, far outliers and near-copy pairs."""
    df, flipped, truth = _frame(n, seed, n_flipped=21)
    rng = np.random.default_rng(seed)
    outliers = np.array([5, 50, 95])
    df.loc[outliers, ["a", "b", "c"]] = rng.normal(12.0, 1.0, size=(3, 3))
    copies = np.array([[20, 21], [40, 41], [60, 61]])
    for keep, twin in copies:
        df.loc[twin, ["a", "b", "c"]] = df.loc[keep, ["a", "b", "c"]].to_numpy() + 1e-6
        df.loc[twin, "colour"] = df.loc[keep, "colour"]
    return df, flipped, truth, outliers, copies


@pytest.fixture(scope="module")
def planted():
    df, flipped, truth, outliers, copies = _planted()
    report = start_analysis(df, "y", progress=False).first_look
    return df, flipped, truth, outliers, copies, report


def _apply_by_hand(state, name, row, labels):
    """Apply a row's command through the state's public API, the way a user would."""
    ids = list(row["ids"])
    if name == "accept_suggestions":
        state.accept_suggestion(ids)
    elif name == "resolve_conflicts":
        state.relabel(ids, labels)
    else:
        state.exclude(ids)


def _same_edits(state, df, report, edits):
    copy = DatasetState(df, label="y", report=report)
    for command, ids, value in edits:
        getattr(copy, command)(ids, *value)
    return copy


def test_every_row_equals_measure_after_applying_it(planted, tmp_path):
    df, flipped, truth, outliers, copies, report = planted
    journal = tmp_path / "j.jsonl"
    state = DatasetState(df, label="y", report=report, journal=journal)
    # Edits made before asking: the projection starts from them, not from the raw labels.
    edits = [("relabel", [int(flipped[0])], [truth[flipped[0]]]), ("exclude", [7, 8], [])]
    for command, ids, value in edits:
        getattr(state, command)(ids, *value)
    log_before = state.edits.copy()
    labels_before, excluded_before = state.labels.copy(), state.excluded.copy()
    journal_before = journal.read_bytes()

    table = dw.what_if(state)

    assert list(table.columns) == list(COLUMNS) and table.index.name == "intervention"
    assert sorted(table.index) == sorted(INTERVENTIONS)
    deltas = table["accuracy_delta"].to_numpy()
    known = deltas[~np.isnan(deltas)]
    assert (np.diff(known) <= 0).all() and not np.isnan(deltas[: len(known)]).any()
    assert table["optimistic"].all() and not table["on_test"].any()
    # Nothing changed: log, labels, exclusions, the journal's bytes.
    pd.testing.assert_frame_equal(state.edits, log_before)
    pd.testing.assert_series_equal(state.labels, labels_before)
    pd.testing.assert_series_equal(state.excluded, excluded_before)
    assert journal.read_bytes() == journal_before and len(state.log) == 2

    # Which rows each plan names, from the report by hand (the excluded rows 7, 8 left out).
    free = ~report.ids.isin([7, 8])
    issues = report.issues
    expected = {
        "exclude_label_issues": report.ids[issues["is_label_issue"].to_numpy(bool) & free],
        "exclude_outliers": report.ids[issues["is_outlier_issue"].to_numpy(bool) & free],
    }
    for name, ids in expected.items():
        assert list(table.loc[name, "ids"]) == list(ids), name
    assert set(outliers) <= set(table.loc["exclude_outliers", "ids"])
    extras = set(table.loc["drop_near_duplicate_extras", "ids"])
    assert {int(twin) for _, twin in copies} <= extras  # one of each planted pair goes
    assert not extras & {int(keep) for keep, _ in copies}
    suggested = set(table.loc["accept_suggestions", "ids"])
    assert suggested and suggested <= set(table.loc["exclude_label_issues", "ids"])

    measured = 0
    for name, row in table.iterrows():
        if row["n_rows"] == 0:
            assert np.isnan(row["accuracy_after"]) and np.isnan(row["macro_f1_delta"])
            continue
        copy = _same_edits(state, df, report, edits)
        labels = None
        if name == "resolve_conflicts":  # the majority label of each group, by hand
            groups = issues["conflict_group"]
            labels = [
                copy.labels[groups == groups[i]][~copy.excluded].mode().sort_values().iloc[0]
                for i in row["ids"]
            ]
        _apply_by_hand(copy, name, row, labels)
        cmp = measure(copy)
        assert row["accuracy_after"] == pytest.approx(cmp.accuracy_after, abs=1e-9), name
        assert row["accuracy_delta"] == pytest.approx(cmp.accuracy_delta, abs=1e-9), name
        assert row["macro_f1_after"] == pytest.approx(cmp.macro_f1_after, abs=1e-9), name
        assert row["macro_f1_delta"] == pytest.approx(cmp.macro_f1_delta, abs=1e-9), name
        # Macro-F1 is the plain mean of the per-class F1 over the classes with rows.
        f1 = cmp.table.loc[cmp.table["support_after"] > 0, "f1_after"]
        assert row["macro_f1_after"] == pytest.approx(f1.mean(), abs=1e-12)
        measured += 1
    assert measured >= 4
    # Planted lessons: excluding the suspect rows helps on the edited labels' own scoring.
    assert table.loc["exclude_label_issues", "accuracy_delta"] > 0
    state.close()


def test_on_a_test_set_rows_are_not_optimistic_and_match_measure(planted):
    df, _, _, _, _, report = planted
    test_df, _, _ = _frame(120, 11)
    state = DatasetState(df, label="y", report=report)
    seen = []
    table = dw.what_if(state, test=test_df, on_progress=lambda *a: seen.append(a))
    assert table["on_test"].all() and not table["optimistic"].any()
    assert seen[0] == (0, 6, INTERVENTIONS[0]) and seen[-1] == (6, 6, "")
    row = table.loc["exclude_outliers"]
    copy = DatasetState(df, label="y", report=report)
    copy.exclude(list(row["ids"]))
    cmp = measure(copy, test=test_df)
    assert row["accuracy_after"] == pytest.approx(cmp.accuracy_after, abs=1e-9)
    assert row["macro_f1_delta"] == pytest.approx(cmp.macro_f1_delta, abs=1e-9)
    assert len(state.log) == 0


def test_pred_probs_only_report_is_refused():
    probs, labels, _ = model_outputs(150, n_classes=3, seed=4)
    df = pd.DataFrame({"y": labels})
    report = analyze(df, "y", pred_probs=probs, progress=False)
    with pytest.raises(ValueError, match="needs features= or a model"):
        dw.what_if(DatasetState(df, label="y", report=report))


def test_without_a_report_says_how_to_get_one():
    df, _, _ = _frame(30, 4)
    with pytest.raises(ValueError, match="report"):
        dw.what_if(DatasetState(df, label="y"))


def test_resolve_conflicts_relabels_each_group_to_its_majority(planted):
    df, _, _, _, _, report = planted
    # Conflict groups as the analysis reports them (conflict_group, -1 = none), planted here
    # on rows whose labels we know: group 0 = k0,k0,k1 -> the k1 row becomes k0; group 1 =
    # k1,k2 (a tie) -> the class listed first, k1.
    given = df["y"]
    k0, k1, k2 = (given.index[given == k].tolist() for k in ("k0", "k1", "k2"))
    groups = pd.Series(-1, index=report.ids, dtype=np.int64)
    groups[[k0[0], k0[1], k1[0]]] = 0
    groups[[k1[1], k2[0]]] = 1
    issues = report.issues.assign(conflict_group=groups)
    with_groups = report.replace(issues=issues)
    state = DatasetState(df, label="y", report=with_groups)
    table = dw.what_if(state)
    row = table.loc["resolve_conflicts"]
    assert list(row["ids"]) == sorted([k1[0], k2[0]]) and row["n_rows"] == 2
    copy = DatasetState(df, label="y", report=with_groups)
    new = {k1[0]: "k0", k2[0]: "k1"}
    copy.relabel(list(row["ids"]), [new[i] for i in row["ids"]])
    cmp = measure(copy)
    assert row["accuracy_after"] == pytest.approx(cmp.accuracy_after, abs=1e-9)
    assert row["macro_f1_after"] == pytest.approx(cmp.macro_f1_after, abs=1e-9)
    assert len(state.log) == 0


def test_the_copy_holds_the_states_labels_classes_and_exclusions():
    from dcml_widgets.loop.projecting import state_copy

    df, _, _ = _frame(40, 6)
    df["key"] = [f"r{i}" for i in range(40)]
    df.loc[3, "y"] = None  # a pool row, labelled later
    state = DatasetState(df, label="y", id_column="key")
    state.add_class("k9")
    state.relabel(["r1", "r2"], "k9")
    state.relabel("r3", "k0")
    state.exclude(["r5", "r6"])
    copy = state_copy(state)
    assert copy.journal_path is None and copy.classes == state.classes
    pd.testing.assert_series_equal(copy.labels, state.labels)
    pd.testing.assert_series_equal(copy.excluded, state.excluded)
