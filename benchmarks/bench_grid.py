"""RelabelGrid paging at scale: time to serve a page and bytes per page, against a naive way.

Builds a 1,000,000-row state (4 numeric features, a text column, 10 classes, a synthetic
report with label scores, suggestions and issue flags), then measures in one process:

- serving a page (sort by score, filter, slice, encode) through the grid's message handler,
  warm (the cached order) and right after a command changed a row (incremental update);
- the first page after a new sort key or filter (a cold sort / mask);
- a naive baseline that builds a pandas frame of the state, filters, sorts and slices it for
  every page (what a grid without a cached order would do);
- bytes per page at N = 10,000 and N = 1,000,000.

Run: ``python benchmarks/bench_grid.py [n_rows] [--json PATH]``. Prints figures and ratios;
asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

import numpy as np
import pandas as pd
from _common import add_json_arg, figure, print_machine, write_json

from dcml_widgets.analysis.report import AuditReport
from dcml_widgets.state import DatasetState
from dcml_widgets.views.grid.relabel_grid import RelabelGrid

PAGE = 100
K = 10


def synthetic(n: int, seed: int = 0) -> tuple[pd.DataFrame, AuditReport]:
    """A labelled frame and a report of the right shape (no model fit: this measures paging)."""
    rng = np.random.default_rng(seed)
    classes = np.array([f"class_{k}" for k in range(K)], dtype=object)
    codes = rng.integers(0, K, n)
    df = pd.DataFrame(rng.normal(size=(n, 4)).astype(np.float32), columns=["a", "b", "c", "d"])
    df["text"] = pd.Series(rng.integers(0, 10**9, n)).map("comment number {}".format)
    df["y"] = classes[codes]
    score = rng.random(n)
    is_label = score < 0.05
    suggested = np.where(is_label, classes[(codes + 1) % K], None)
    issues = pd.DataFrame(
        {
            "is_label_issue": is_label,
            "label_score": score,
            "is_outlier_issue": rng.random(n) < 0.01,
            "outlier_score": rng.random(n),
            "given_label": df["y"].to_numpy(),
            "suggested_label": suggested,
            "is_too_rare": np.zeros(n, bool),
        },
        index=df.index,
    )
    probs = np.full((n, K), 1.0 / K, dtype=np.float32)
    report = AuditReport(
        label="y",
        ids=df.index,
        classes=classes,
        given=df["y"],
        pred_probs=probs,
        predicted=df["y"],
        folds=np.zeros(n, dtype=np.int64),
        feature_plan=pd.DataFrame({"column": [], "role": [], "detail": []}),
        model_matrix=np.zeros((n, 0), dtype=np.float32),
        model=None,
        issues=issues,
        summary=pd.DataFrame({"issue_type": ["label"], "num_issues": [int(is_label.sum())]}),
        embedding=np.zeros((n, 2), dtype=np.float32),
        embedding_method="given",
        metrics=pd.DataFrame(),
        accuracy=float("nan"),
    )
    return df, report


class Wire:
    """Keeps the last message the grid sent, as the comm would serialise it."""

    def __init__(self, grid: RelabelGrid) -> None:
        self.last: tuple[dict, list] | None = None
        grid.send = self._send

    def _send(self, msg: dict, buffers: list | None = None) -> None:
        self.last = (msg, list(buffers or []))


def serve(grid: RelabelGrid, wire: Wire, start: int) -> tuple[float, int]:
    """One page request through the message handler: seconds and JSON bytes sent."""
    t = time.perf_counter()
    grid._dispatch(
        grid, {"type": "page", "start": start, "count": PAGE, "revision": grid.revision}, []
    )
    payload = json.dumps(wire.last[0])
    elapsed = time.perf_counter() - t
    if grid.error:
        raise RuntimeError(grid.error)
    return elapsed, len(payload)


def naive_page(state: DatasetState, report: AuditReport, flt: str | None, start: int) -> int:
    """Build a frame of the state, filter, sort by score, slice, encode: per page."""
    table = state.frame.copy()
    table["label"] = state.labels.to_numpy()
    table["excluded"] = state.rows.excluded_mask
    table["reviewed"] = state.rows.reviewed_mask
    table["score"] = report.issues["label_score"].to_numpy()
    table["suggested"] = report.issues["suggested_label"].to_numpy()
    table["is_label_issue"] = report.issues["is_label_issue"].to_numpy()
    if flt == "label":
        table = table[table["is_label_issue"]]
    page = table.sort_values("score", kind="stable").iloc[start : start + PAGE]
    return len(page.reset_index().to_json(orient="records"))


def other_label(state: DatasetState, row: int, first: str, second: str) -> str:
    """``first`` unless the row has it already (then ``second``), so a relabel changes it."""
    current = state.classes[int(state.rows.label_codes[state.rows.positions(row)[0]])]
    return first if current != first else second


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


def main(n: int) -> list[dict]:
    """Measure, print, and return the report's rows."""
    rng = np.random.default_rng(1)
    print(f"RelabelGrid paging benchmark, N = {n:,} rows, page = {PAGE} rows")
    t = time.perf_counter()
    df, report = synthetic(n)
    print(f"  synthetic data                      {ms(time.perf_counter() - t)}")
    t = time.perf_counter()
    state = DatasetState(df, "y", report=report)
    print(f"  DatasetState                        {ms(time.perf_counter() - t)}")
    t = time.perf_counter()
    grid = RelabelGrid(state)
    wire = Wire(grid)
    print(f"  RelabelGrid (sorts by score once)   {ms(time.perf_counter() - t)}")

    starts = rng.integers(0, n - PAGE, 15).tolist()
    warm = [serve(grid, wire, s) for s in starts]
    warm_t = statistics.median(x[0] for x in warm)
    page_bytes = statistics.median(x[1] for x in warm)
    print(f"  page, sorted by score (warm)        {ms(warm_t)}   median of {len(starts)}")

    t = time.perf_counter()
    grid.set_view(filter={"issue": "label"})
    first_filtered = time.perf_counter() - t + serve(grid, wire, 0)[0]
    print(f"  first page after a new filter       {ms(first_filtered)}   (mask + filter the order)")
    total = grid.total
    filt = [serve(grid, wire, int(s % max(1, total - PAGE))) for s in starts]
    filt_t = statistics.median(x[0] for x in filt)
    print(f"  page, filter issue=label (warm)     {ms(filt_t)}   {total:,} rows pass")

    after_edit = []
    for s in starts[:8]:
        row = int(grid.visible_ids(int(s % max(1, total - PAGE)), 1)[0])
        new = other_label(state, row, "class_3", "class_4")
        t = time.perf_counter()
        state.relabel(row, new)
        after_edit.append(time.perf_counter() - t + serve(grid, wire, 0)[0])
    edit_t = statistics.median(after_edit)
    print(f"  relabel 1 row + next page           {ms(edit_t)}   (incremental update)")

    grid.set_view(filter={"status": "unreviewed"}, sort="label")
    after_label = []
    for s in starts[:8]:
        row = int(state.ids[int(s)])
        new = other_label(state, row, "class_5", "class_6")
        t = time.perf_counter()
        state.relabel(row, new)
        after_label.append(time.perf_counter() - t + serve(grid, wire, int(s))[0])
    print(
        f"  sort by label: relabel + next page  {ms(statistics.median(after_label))}   "
        "(row moved in the cached order)"
    )

    t = time.perf_counter()
    grid.set_view(sort="col:a", filter={})
    cold = time.perf_counter() - t + serve(grid, wire, 0)[0]
    print(f"  first page after a new sort key     {ms(cold)}   (one argsort, then cached)")
    resort = statistics.median(serve(grid, wire, s)[0] for s in starts)
    print(f"  page, sorted by col:a (warm)        {ms(resort)}")

    grid.set_view(sort="score", filter={})
    naive = []
    for s in starts[:5]:
        t = time.perf_counter()
        naive_page(state, report, None, s)
        naive.append(time.perf_counter() - t)
    naive_t = statistics.median(naive)
    naive_f = []
    for _ in range(3):
        t = time.perf_counter()
        naive_page(state, report, "label", 0)
        naive_f.append(time.perf_counter() - t)
    naive_ft = statistics.median(naive_f)
    print(f"  naive page (frame, sort, slice)     {ms(naive_t)}")
    print(f"  naive page, filter issue=label      {ms(naive_ft)}")
    print(f"  speed-up, warm page vs naive        {naive_t / warm_t:8.0f} x")
    print(f"  speed-up, filtered page vs naive    {naive_ft / filt_t:8.0f} x")
    print(f"  speed-up, relabel + page vs naive   {naive_t / edit_t:8.0f} x")

    small_df, small_report = synthetic(10_000, seed=2)
    small = RelabelGrid(DatasetState(small_df, "y", report=small_report))
    small_wire = Wire(small)
    small_bytes = statistics.median(serve(small, small_wire, s)[1] for s in range(0, 9000, 900))
    synced = len(
        json.dumps({k: v for k, v in grid.get_state().items() if k != "_esm"}, default=str)
    )
    synced_small = len(
        json.dumps({k: v for k, v in small.get_state().items() if k != "_esm"}, default=str)
    )
    print(f"  bytes per page, N = 10,000          {small_bytes:8.0f}")
    print(
        f"  bytes per page, N = {n:,}      {page_bytes:8.0f}   "
        f"ratio {page_bytes / small_bytes:.3f} (ids have more digits)"
    )
    print(f"  synced widget state, N = 10,000 / N = {n:,}: {synced_small} / {synced} bytes")
    worst = max(warm_t, filt_t, edit_t)
    verdict = "meets" if worst <= 0.050 else "MISSES"
    print(
        f"  target: a page in <= 50 ms at N = {n:,}: {verdict} "
        f"(worst warm figure {worst * 1000:.1f} ms)"
    )
    size = f"{n / 1e6:g}M" if n >= 1_000_000 else f"{n // 1000}k"
    return [
        figure(
            f"grid page at {size} rows, worst of warm / filtered / after relabel",
            round(worst * 1000, 1),
            "ms",
            target="< 50 ms" + ("" if n >= 1_000_000 else " (target is at 1M)"),
            baseline=round(naive_t * 1000, 1),
            ratio=round(worst / naive_t, 4),
            passed=worst <= 0.050,
            note=f"warm {warm_t * 1e3:.1f}, filtered {filt_t * 1e3:.1f}, relabel+page "
            f"{edit_t * 1e3:.1f} ms; baseline: pandas sort + slice per page",
        ),
        figure(
            f"grid first page after a new sort key, {size} rows",
            round(cold * 1000, 1),
            "ms",
            note="one argsort, then cached",
        ),
        figure(
            f"grid bytes per page, {size} rows",
            int(page_bytes),
            "B",
            baseline=int(small_bytes),
            ratio=round(page_bytes / small_bytes, 3),
            note="baseline: the same page at 10k rows (independent of N)",
        ),
    ]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n_rows", type=int, nargs="?", default=1_000_000)
    add_json_arg(parser)
    args = parser.parse_args()
    print_machine()
    rows = main(args.n_rows)
    print_machine()
    write_json(args.json, "bench_grid", rows)
