"""Relabel in the browser: one row (keyboard) and a 10k-row selection until every view shows it.

One real JupyterLab in headless Chromium, one kernel, a synthetic 100k-row state with a
prebuilt report (``bench_embedding.synthetic``: no analysis is run), one after the other:

1. baseline, a trivial anywidget comm message and its echo (ms until the frame after it);
2. baseline, the same keyboard relabel with only a RelabelGrid displayed (its own state);
3. the full dashboard (``Dashboard(state)``): focus a grid row, press the class's digit as a
   user does, and time from the keydown until the frame after every view shows it: the
   grid's label cell, every confusion-matrix count, the header's edit counts and a redraw of
   the embedding (its ``data-revision`` is set on each draw). ``j`` moves to the next row
   between repeats, outside the timed window, and the page is let settle;
4. bulk: ``state.select`` of 10k rows from Python, then the grid's "relabel to…" menu.

Times are taken in the page. Usage::

    python benchmarks/bench_relabel.py [--rows 100000] [--repeats 30] [--bulk 10000] [--json P]
    python benchmarks/bench_relabel.py --close balance embedding   # a diagnosis: without them

Target (issue 16): one-row relabel → every view repainted, p95 <= 100 ms at 100k rows.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
from benchmarks import browser_case as case  # noqa: E402
from benchmarks._common import add_json_arg, figure, loadavg, print_machine, write_json  # noqa: E402

SETUP = """
import anywidget, numpy as np, pandas as pd
from benchmarks.bench_embedding import synthetic
from dcml_widgets.state import DatasetState
from dcml_widgets.session.dashboard import Dashboard
from dcml_widgets.views.grid.relabel_grid import RelabelGrid
df, report = synthetic({n})
state = DatasetState(df, "label", report=report)
state_g = DatasetState(df.copy(), "label", report=report)
PRED = pd.Index(state.classes).get_indexer(report.predicted)

class Echo(anywidget.AnyWidget):
    _esm = {esm!r}
    def __init__(self):
        super().__init__()
        self.on_msg(lambda w, content, buffers: w.send({{"pong": 1}}))

def expect(st, cm, positions, target):
    pos = np.asarray(positions, np.int64)
    codes = st.rows.label_codes
    new = codes.copy()
    new[pos] = target
    out = {{"edits": len(st.log) + 1,
           "edited": int((new != st.rows.original_codes).sum()), "matrix": None}}
    if cm is not None:
        m = cm.matrix.to_numpy().copy()
        np.subtract.at(m, (codes[pos], PRED[pos]), 1)
        np.add.at(m, (np.full(len(pos), target), PRED[pos]), 1)
        out["matrix"] = m.tolist()
    return out
"""

DASH_ROOT = ".dcml-dashboard"
GRID_ROOT = ".bench-grid-only"
VIEWS = ["grid", "confusion", "header", "embedding"]


def settle(page, root: str) -> None:
    """Wait until the views in ``root`` have been still for 300 ms (at most 20 s)."""
    page.evaluate(case.QUIET_JS, {"root": root, "quietMs": 300, "maxMs": 20_000})


def timed(page, action, arm: dict) -> dict:
    """Arm the page's timer with ``arm``, do ``action()``, return the page's figures."""
    page.evaluate(case.ARM_JS, {"timeoutMs": 60_000, **arm})
    action()
    return page.evaluate("() => window.__bench")


def relabel_rows(page, k, root: str, views: list[str], st: str, cm: str, repeats: int) -> list:
    """Relabel the focused grid row with a digit key ``repeats`` times; the page's figures."""
    grid = page.locator(f"{root} .dcml-grid").first
    grid.locator(".dcml-grid-row[data-index='0'] > span").nth(1).click()
    page.wait_for_function(
        "(r) => document.activeElement && document.activeElement.closest(r) !== null", arg=root
    )
    out = []
    for i in range(repeats):
        settle(page, root)
        focused = grid.locator(".dcml-grid-row.dcml-grid-focused[data-pos]")
        focused.wait_for()
        pos = int(focused.get_attribute("data-pos"))
        current = int(focused.locator("select.dcml-grid-relabel").input_value())
        target = next(c for c in ((current + 1 + i + j) % 9 for j in range(9)) if c != current)
        exp = k.eval_json(f"expect({st}, {cm}, [{pos}], {target})")
        arm = {"root": root, "views": views, "positions": [pos], "target": target, **exp}
        res = timed(page, lambda t=target: page.keyboard.press(str(t + 1)), arm)
        res["load"] = loadavg()[0]
        out.append(res)
        if res.get("timeout"):
            print(f"  repeat {i}: timed out, missing {res.get('missing')}", flush=True)
        page.keyboard.press("j")
    return out


def bulk_relabel(page, k, n_bulk: int, repeats: int, views: list[str], cm: str) -> list:
    """Select ``n_bulk`` rows from Python, relabel them with the grid's menu; page figures."""
    out = []
    for i in range(repeats):
        ids = k.eval_json(f"[int(p) for p in dash.grid.visible_ids(0, {n_bulk})]")
        k.run(f"state.select({ids})", timeout=120)
        page.locator(f"{DASH_ROOT} .dcml-grid-bulk:not([hidden])").wait_for()
        settle(page, DASH_ROOT)
        target = (3 + 2 * i) % 10
        positions = k.eval_json(f"[int(p) for p in state.rows.positions({ids})]")
        exp = k.eval_json(f"expect(state, {cm}, {positions}, {target})")
        arm = {"root": DASH_ROOT, "views": views, "positions": positions, "target": target, **exp}
        menu = page.locator(f"{DASH_ROOT} select.dcml-grid-bulk-label")
        res = timed(page, lambda t=target, m=menu: m.select_option(str(t)), arm)
        res["load"] = loadavg()[0]
        out.append(res)
        if res.get("timeout"):
            print(f"  bulk {i}: timed out, missing {res.get('missing')}", flush=True)
        k.run("state.select([])")
        settle(page, DASH_ROOT)
    return out


def measure(
    page, server, n: int, repeats: int, n_bulk: int, bulk_repeats: int, close: list[str]
) -> dict:
    """All cases in one notebook; returns the raw per-repeat figures.

    ``close`` names dashboard views (its attributes: ``balance``, ``embedding``, ...) closed
    before the dashboard is timed, to see what each costs; their checks are dropped.
    """
    from tests.ui import harness

    name = harness.open_notebook(page, server, [SETUP.format(n=n, esm=case.ECHO_ESM)])
    k = harness.kernel(page, name)
    out: dict = {"n": n}
    harness.run_cell(page, "echo = Echo()\necho")
    page.wait_for_function("() => typeof window.__echo === 'function'")
    out["echo"] = [page.evaluate("() => window.__echo()") for _ in range(repeats)]
    print(f"echo: {case.stats(out['echo'])} load {loadavg()[0]:.2f}", flush=True)

    harness.run_cell(
        page, "grid_only = RelabelGrid(state_g)\ngrid_only.add_class('bench-grid-only')\ngrid_only"
    )
    page.locator(f"{GRID_ROOT} .dcml-grid-row[data-pos]").first.wait_for()
    out["grid_only"] = relabel_rows(page, k, GRID_ROOT, ["grid"], "state_g", "None", repeats)
    print(f"grid only: {case.stats([r['total'] for r in out['grid_only']])}", flush=True)
    k.run("grid_only.close(); echo.close()")

    harness.run_cell(page, "dash = Dashboard(state)\ndash")
    page.locator(f"{DASH_ROOT} .dcml-grid-row[data-pos]").first.wait_for()
    page.locator(f"{DASH_ROOT} .dcml-embedding[data-ready='1']").wait_for(timeout=300_000)
    if close:
        k.run("".join(f"dash.{name}.close()\n" for name in close))
    views = [v for v in VIEWS if v not in close]
    cm = "None" if "confusion" in close else "dash.confusion"
    out["closed"] = close
    out["dashboard"] = relabel_rows(page, k, DASH_ROOT, views, "state", cm, repeats)
    print(f"dashboard: {case.stats([r['total'] for r in out['dashboard']])}", flush=True)
    out["bulk"] = bulk_relabel(page, k, n_bulk, bulk_repeats, views, cm) if n_bulk else []
    print(f"bulk: {case.stats([r['total'] for r in out['bulk']])}", flush=True)
    return out


def figures_of(r: dict, n_bulk: int) -> list[dict]:
    """The report's rows: p95 against the target, with both baselines."""
    size = f"{r['n'] // 1000}k"
    dash = case.stats([x["total"] for x in r["dashboard"]])
    grid = case.stats([x["total"] for x in r["grid_only"]])
    echo = case.stats(r["echo"])
    bulk = case.stats([x["total"] for x in r["bulk"]])
    timeouts = sum(bool(x.get("timeout")) for x in r["dashboard"] + r["bulk"])

    def ratio(a: float, b: float) -> float | None:
        return round(a / b, 2) if b else None

    per_view = ", ".join(
        f"{v} {case.stats([x.get(v) for x in r['dashboard']])['p95']:.0f}" for v in VIEWS
    )
    note = (
        f"{dash['n']} repeats; keyboard relabel in the grid; {timeouts} timed out; "
        f"p95 per view (ms): {per_view}; main-thread long tasks p50 "
        f"{case.stats([x.get('busy') for x in r['dashboard']])['p50']:.0f} ms"
    )
    target_ok = (dash["p95"] <= 100 and timeouts == 0) if not r.get("closed") else None
    if r.get("closed"):
        note += f"; DIAGNOSIS, views closed: {', '.join(r['closed'])}"
    return [
        figure(f"relabel 1 row → every view repainted, p95, {size}", round(dash["p95"], 1), "ms",
               target="<= 100 ms" + ("" if r["n"] == 100_000 else " (at 100k)"),
               baseline=round(grid["p95"], 1), ratio=ratio(dash["p95"], grid["p95"]),
               passed=target_ok if r["n"] >= 100_000 else None,
               note=note + "; baseline: the same relabel, only a RelabelGrid shown"),
        figure(f"relabel 1 row → every view repainted, p50, {size}", round(dash["p50"], 1), "ms",
               baseline=round(echo["p50"], 1), ratio=ratio(dash["p50"], echo["p50"]),
               note="baseline: a trivial anywidget comm echo, p50"),
        figure(f"relabel 1 row, grid only, p95, {size}", round(grid["p95"], 1), "ms",
               baseline=round(echo["p95"], 1), ratio=ratio(grid["p95"], echo["p95"]),
               note="baseline: a trivial anywidget comm echo, p95"),
        figure(f"bulk relabel {n_bulk // 1000}k rows → every view repainted, median, {size}",
               round(bulk["p50"], 1), "ms", baseline=round(dash["p50"], 1),
               ratio=ratio(bulk["p50"], dash["p50"]),
               note=f"{bulk['n']} repeats (max {bulk['max']:.0f} ms); state.select then the "
               "grid's 'relabel to…' menu; baseline: one-row relabel p50"),
    ]  # fmt: skip


def main() -> None:
    """Run the cases and print p50/p95 per case."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--bulk", type=int, default=10_000, help="rows of the bulk relabel")
    parser.add_argument("--bulk-repeats", type=int, default=5)
    parser.add_argument(
        "--close", nargs="+", default=[], help="dashboard views to close first (a diagnosis)"
    )
    add_json_arg(parser)
    args = parser.parse_args()
    print_machine()
    from playwright.sync_api import sync_playwright

    from tests.ui import harness

    server = harness.start_server("lab", Path(tempfile.mkdtemp(prefix="bench-relabel-")))
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=harness.CHROMIUM, headless=True, args=harness.CHROMIUM_ARGS
            )
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(300_000)
            errors: list[str] = []
            page.on("console", lambda m: m.type == "error" and errors.append(m.text))
            raw = measure(page, server, args.rows, args.repeats, args.bulk, args.bulk_repeats,
                          args.close)  # fmt: skip
            raw["console_errors"] = errors[:20]
            browser.close()
    finally:
        server.stop()
    print_table(raw)
    print_machine()
    write_json(args.json, "bench_relabel", figures_of(raw, args.bulk), raw=raw)


def print_table(r: dict) -> None:
    """p50 / p95 / max per case, and per view for the dashboard."""
    print(f"\nrows: {r['n']:,}; console errors: {len(r['console_errors'])}")
    print(f"{'case':<36} | {'n':>3} | {'p50 ms':>8} | {'p95 ms':>8} | {'max ms':>8} | load")
    cases = [("comm echo (baseline)", r["echo"], None),
             ("relabel 1 row, grid only", [x["total"] for x in r["grid_only"]], r["grid_only"]),
             ("relabel 1 row, dashboard: all", [x["total"] for x in r["dashboard"]],
              r["dashboard"])]  # fmt: skip
    cases += [(f"  dashboard: {v} shows it", [x.get(v) for x in r["dashboard"]], r["dashboard"])
              for v in VIEWS]  # fmt: skip
    cases.append(("  dashboard: main-thread long tasks", [x.get("busy") for x in r["dashboard"]],
                  r["dashboard"]))  # fmt: skip
    cases.append(("bulk relabel, dashboard: all", [x["total"] for x in r["bulk"]], r["bulk"]))
    cases += [(f"  bulk: {v} shows it", [x.get(v) for x in r["bulk"]], r["bulk"]) for v in VIEWS]
    cases.append(("  bulk: main-thread long tasks", [x.get("busy") for x in r["bulk"]], r["bulk"]))
    for label, values, rows in cases:
        s = case.stats(values)
        loads = [x["load"] for x in rows or []]
        load = f"{min(loads):.2f}–{max(loads):.2f}" if loads else ""
        print(f"{label:<36} | {s['n']:>3} | {s['p50']:>8.1f} | {s['p95']:>8.1f} | "
              f"{s['max']:>8.1f} | {load}")  # fmt: skip


if __name__ == "__main__":
    main()
