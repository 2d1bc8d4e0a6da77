"""EmbeddingExplorer against jupyter-scatter: bytes per point, first frame, pan / zoom frames.

Both widgets draw the same synthetic layout (Gaussian blobs, 10 classes, coloured by class) in
the same headless Chromium (software WebGL) inside one real JupyterLab, one after the other.

- bytes/point: what the kernel actually sends for the first view (ours: the layout message's
  buffers, recorded on the live comm; jupyter-scatter: the buffers of its widget state), and
  the same data as JSON lists for reference.
- first frame: from asking JupyterLab to run the cell that displays the widget until the
  plot's canvas holds drawn points (polled every animation frame; same test for both).
- pan: wall time per mouse move while dragging the plot (the next move waits for the page),
  the page's animation-frame intervals meanwhile (mean, p90), and whether the picture moved.
- zoom: the same for 20 mouse-wheel notches over the plot (10 in, 10 out), one per frame.

Usage: ``python benchmarks/bench_embedding.py [--sizes 100000 1000000] [--json PATH]``. The
comparison needs ``pip install jupyter-scatter`` (benchmark-only; not a package dependency);
without it only our figures are measured. Targets (issue 16): <= 5 bytes per point; pan and zoom
frame rates at least jupyter-scatter's (mean frame interval <= its own).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
# The kernel imports this module as ``benchmarks.bench_embedding`` (for ``synthetic``).
from benchmarks._common import add_json_arg, figure, print_machine, write_json  # noqa: E402
from benchmarks.browser_case import pan, zoom  # noqa: E402


def synthetic(n: int, k: int = 10, seed: int = 0):
    """A labelled 2-D layout and a matching AuditReport (5% wrong labels), built directly.

    Returns
    -------
    (DataFrame, AuditReport)
    """
    from dcml_widgets.analysis.report import AuditReport

    rng = np.random.default_rng(seed)
    truth = rng.integers(0, k, n)
    centers = rng.normal(0, 8, (k, 2))
    xy = (centers[truth] + rng.normal(0, 1, (n, 2))).astype(np.float32)
    classes = np.array([f"c{i}" for i in range(k)], dtype=object)
    codes = truth.copy()
    flip = rng.random(n) < 0.05
    codes[flip] = rng.integers(0, k, int(flip.sum()))
    given = classes[codes]
    logits = -((xy[:, None, :] - centers[None].astype(np.float32)) ** 2).sum(-1) / 2
    probs = np.exp(logits - logits.max(1, keepdims=True))
    probs /= probs.sum(1, keepdims=True)
    predicted = classes[probs.argmax(1)]
    score = probs[np.arange(n), codes]
    suspect = (predicted != given) & (score < 0.2)
    ids = pd.RangeIndex(n)
    df = pd.DataFrame({"x": xy[:, 0], "y": xy[:, 1], "label": given}, index=ids)
    issues = pd.DataFrame(
        {
            "is_label_issue": suspect,
            "label_score": score,
            "given_label": given,
            "suggested_label": np.where(suspect, predicted, None),
            "is_too_rare": np.zeros(n, bool),
        },
        index=ids,
    )
    report = AuditReport(
        label="label",
        ids=ids,
        classes=classes,
        given=df["label"].copy(),
        pred_probs=probs,
        predicted=pd.Series(predicted, index=ids),
        folds=np.zeros(n, np.int64),
        feature_plan=pd.DataFrame({"column": ["x", "y"], "role": "numeric", "detail": ""}),
        model_matrix=xy,
        model=None,
        issues=issues,
        summary=pd.DataFrame({"issue_type": ["label"], "num_issues": [int(suspect.sum())]}),
        embedding=xy,
        embedding_method="umap",
        metrics=pd.DataFrame(index=classes),
        accuracy=float((predicted == given).mean()),
    )
    return df, report


SETUP = """
import json, time
import numpy as np
from ipywidgets.widgets.widget import _remove_buffers
from benchmarks.bench_embedding import synthetic
from dcml_widgets.state import DatasetState
from dcml_widgets.views.embedding.explorer import EmbeddingExplorer
{jscatter}
N = {n}
df, report = synthetic(N)
state = DatasetState(df, "label", report=report)
sent_bytes = []
def bytes_of_layout(widget):
    send = widget.comm.send
    def recording(data=None, metadata=None, buffers=None):
        if isinstance(data, dict) and data.get("content", {{}}).get("type") == "layout":
            sent_bytes.append(sum(memoryview(b).nbytes for b in buffers or []))
        return send(data=data, metadata=metadata, buffers=buffers)
    widget.comm.send = recording
"""

OURS = "ours = EmbeddingExplorer(state, height=420)\nbytes_of_layout(ours)\nours"
THEIRS = (
    "sc = jscatter.Scatter(data=df, x='x', y='y', color_by='label', height=420)\n"
    "theirs = sc.show()\n"
    "theirs"
)

# Append a cell, run it without waiting, and return the ms until a canvas in its output shows
# drawn points (pixels that differ from the canvas's corner, the background).
FIRST_FRAME_JS = """
async (code) => {
  const app = window.jupyterapp;
  const nb = app.shell.currentWidget.content;
  const n = nb.model.cells.length;
  nb.model.sharedModel.insertCell(n, {cell_type: 'code', source: code});
  nb.activeCellIndex = n;
  nb.deselectAll();
  const drawn = (c) => {
    if (!c.width || !c.height) return false;
    const ctx = c.getContext('2d');
    if (!ctx) return false;
    const px = ctx.getImageData(0, 0, c.width, c.height).data;
    const bg = [px[0], px[1], px[2], px[3]];
    let differ = 0;
    for (let i = 0; i < px.length; i += 4 * 7) {
      const same = px[i] === bg[0] && px[i + 1] === bg[1] && px[i + 2] === bg[2];
      if (!same || px[i + 3] !== bg[3]) differ += 1;
      if (differ > 50) return true;
    }
    return false;
  };
  const t0 = performance.now();
  app.commands.execute('notebook:run-cell');
  for (;;) {
    await new Promise((r) => requestAnimationFrame(r));
    const cell = nb.widgets[n];
    const canvases = cell ? cell.node.querySelectorAll('.jp-OutputArea-output canvas') : [];
    for (const c of canvases) if (drawn(c)) {
      c.dataset.benchTarget = String(n);
      return performance.now() - t0;
    }
    if (performance.now() - t0 > 600000) return -1;
  }
}
"""


def has_jscatter() -> bool:
    """Whether jupyter-scatter is installed (the comparison's other side)."""
    import importlib.util

    return importlib.util.find_spec("jscatter") is not None


def measure(page, server, n: int) -> dict:
    """Both widgets at ``n`` points in one notebook; returns the figures."""
    from tests.ui import harness

    theirs = has_jscatter()
    setup = SETUP.format(n=n, jscatter="import jscatter" if theirs else "")
    name = harness.open_notebook(page, server, [setup])
    k = harness.kernel(page, name)
    out: dict = {"n": n}
    json_bytes = k.eval_json(
        "len(json.dumps({'x': df['x'].tolist(), 'y': df['y'].tolist(), "
        "'c': state.rows.label_codes.tolist()}))"
    )
    out["json_bpp"] = json_bytes / n

    ms = page.evaluate(FIRST_FRAME_JS, OURS)
    page.wait_for_function(_IDLE_JS, timeout=600_000, polling=200)
    out["ours_first_ms"] = ms
    out["ours_bpp"] = k.eval_json("sent_bytes[0]") / n
    out["ours_pan"] = pan(page, "canvas[data-bench-target]")
    out["ours_zoom"] = zoom(page, "canvas[data-bench-target]")
    k.run("ours.close()")
    page.evaluate(
        "() => document.querySelector('[data-bench-target]')?.removeAttribute('data-bench-target')"
    )

    if not theirs:
        nan = float("nan")
        out["theirs_first_ms"] = out["theirs_bpp"] = nan
        out["theirs_pan"] = out["theirs_zoom"] = {
            "per_move_ms": nan, "frame_mean_ms": nan, "frame_p90_ms": nan, "moved": None
        }  # fmt: skip
        return out
    ms = page.evaluate(FIRST_FRAME_JS, THEIRS)
    page.wait_for_function(_IDLE_JS, timeout=600_000, polling=200)
    out["theirs_first_ms"] = ms
    out["theirs_bpp"] = (
        k.eval_json("sum(memoryview(b).nbytes for b in _remove_buffers(theirs.get_state())[2])") / n
    )
    out["theirs_pan"] = pan(page, "canvas[data-bench-target]")
    out["theirs_zoom"] = zoom(page, "canvas[data-bench-target]")
    k.run("theirs.close()")
    return out


_IDLE_JS = """
() => {
  const w = window.jupyterapp.shell.currentWidget;
  const kernel = w && w.sessionContext.session && w.sessionContext.session.kernel;
  return !!kernel && kernel.status === 'idle';
}
"""


def main() -> None:
    """Run the comparison and print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    add_json_arg(parser)
    args = parser.parse_args()
    print_machine()
    if not has_jscatter():
        print("jupyter-scatter is not installed: measuring our widget only", flush=True)

    from playwright.sync_api import sync_playwright

    from tests.ui import harness

    base = Path(tempfile.mkdtemp(prefix="bench-embedding-"))
    server = harness.start_server("lab", base)
    rows = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=harness.CHROMIUM, headless=True, args=harness.CHROMIUM_ARGS
            )
            for n in args.sizes:
                context = browser.new_context(viewport={"width": 1400, "height": 900})
                page = context.new_page()
                page.set_default_timeout(600_000)
                errors = []
                page.on("console", lambda m, e=errors: m.type == "error" and e.append(m.text))
                row = measure(page, server, n)
                row["console_errors"] = len(errors)
                rows.append(row)
                print_row(row)
                context.close()
            browser.close()
    finally:
        server.stop()
    print_table(rows)
    print_machine()
    write_json(args.json, "bench_embedding", [f for r in rows for f in figures_of(r)], raw=rows)


def figures_of(r: dict) -> list[dict]:
    """The report rows of one size (baseline: jupyter-scatter on the same page)."""
    size = f"{r['n'] / 1e6:g}M" if r["n"] >= 1_000_000 else f"{r['n'] // 1000}k"
    theirs = r["theirs_bpp"] == r["theirs_bpp"]  # not NaN: jupyter-scatter was measured
    note = "baseline: jupyter-scatter" if theirs else "jupyter-scatter not installed"

    def row(name, ours, base, unit, **kw):
        ratio = round(base / ours, 2) if theirs and ours else None
        base = round(base, 1) if theirs else None
        return figure(name, round(ours, 2), unit, baseline=base, ratio=ratio, note=note, **kw)

    o, t = r["ours_pan"], r["theirs_pan"]
    oz, tz = r["ours_zoom"], r["theirs_zoom"]
    return [
        row(f"embedding bytes/point, first view, {size}", r["ours_bpp"], r["theirs_bpp"],
            "B/point", target="<= 5", passed=r["ours_bpp"] <= 5.0),
        row(f"embedding time to first frame, {size}", r["ours_first_ms"], r["theirs_first_ms"],
            "ms"),
        row(f"embedding pan, mean frame, {size}", o["frame_mean_ms"], t["frame_mean_ms"], "ms",
            target="<= jupyter-scatter's",
            passed=(o["frame_mean_ms"] <= t["frame_mean_ms"]) if theirs else None),
        row(f"embedding pan, p90 frame, {size}", o["frame_p90_ms"], t["frame_p90_ms"], "ms"),
        row(f"embedding zoom (wheel), mean frame, {size}", oz["frame_mean_ms"],
            tz["frame_mean_ms"], "ms", target="<= jupyter-scatter's",
            passed=(oz["frame_mean_ms"] <= tz["frame_mean_ms"]) if theirs else None),
        row(f"embedding zoom (wheel), p90 frame, {size}", oz["frame_p90_ms"], tz["frame_p90_ms"],
            "ms"),
    ]  # fmt: skip


def print_row(r: dict) -> None:
    """One size's raw figures."""
    print(f"n={r['n']:,}: {r}", flush=True)


def print_table(rows: list[dict]) -> None:
    """Side-by-side table with ratios (jupyter-scatter / ours)."""
    print()
    head = f"{'points':>10} | {'metric':<26} | {'dcml':>10} | {'jscatter':>10} | {'ratio':>6}"
    print(head)
    print("-" * len(head))
    for r in rows:
        o, t = r["ours_pan"], r["theirs_pan"]
        oz, tz = r["ours_zoom"], r["theirs_zoom"]
        lines = [
            ("bytes / point (first view)", r["ours_bpp"], r["theirs_bpp"]),
            ("time to first frame (ms)", r["ours_first_ms"], r["theirs_first_ms"]),
            ("pan: ms per mouse move", o["per_move_ms"], t["per_move_ms"]),
            ("pan: mean frame (ms)", o["frame_mean_ms"], t["frame_mean_ms"]),
            ("pan: p90 frame (ms)", o["frame_p90_ms"], t["frame_p90_ms"]),
            ("zoom: ms per wheel event", oz["per_move_ms"], tz["per_move_ms"]),
            ("zoom: mean frame (ms)", oz["frame_mean_ms"], tz["frame_mean_ms"]),
            ("zoom: p90 frame (ms)", oz["frame_p90_ms"], tz["frame_p90_ms"]),
        ]
        for label, ours, theirs in lines:
            ratio = theirs / ours if ours else float("nan")
            print(f"{r['n']:>10,} | {label:<26} | {ours:>10.1f} | {theirs:>10.1f} | {ratio:>6.2f}")
        print(
            f"{r['n']:>10,} | {'JSON lists, bytes / point':<26} | {r['json_bpp']:>10.1f} | "
            f"{'':>10} | {r['json_bpp'] / r['ours_bpp']:>6.2f}"
        )
        print(
            f"{r['n']:>10,} | {'view moved while panning':<26} | {o['moved']!s:>10} | "
            f"{t['moved']!s:>10} |"
        )
        print(
            f"{r['n']:>10,} | {'view moved while zooming':<26} | {oz['moved']!s:>10} | "
            f"{tz['moved']!s:>10} |"
        )
        print(f"{r['n']:>10,} | {'console errors':<26} | {r['console_errors']:>10} |")
    print("(single runs on a shared machine: read orders of magnitude and ratios)")


if __name__ == "__main__":
    main()
