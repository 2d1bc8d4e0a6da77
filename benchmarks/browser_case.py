"""Page-side pieces of the browser benchmarks: frame recording, pan and zoom, repaint timing.

Used by ``bench_embedding.py`` (pan / zoom frame times) and ``bench_relabel.py`` (time from
a user's key or menu choice until every view shows the edit). The timings are taken in the
page (``performance.now()``), so Playwright's own round trips are not counted in them.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

RECORD_JS = """
() => {
  window.__frames = [];
  window.__rec = true;
  const tick = (t) => { window.__frames.push(t); if (window.__rec) requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
  return true;
}
"""
STOP_JS = "() => { window.__rec = false; return window.__frames; }"
NEXT_FRAME_JS = "() => new Promise((r) => requestAnimationFrame(() => r(true)))"
PIXELS_JS = """
(sel) => {
  const c = document.querySelector(sel);
  const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let h = 0;
  for (let i = 0; i < px.length; i += 16) h = (h * 31 + px[i]) >>> 0;
  return h;
}
"""


def _frames_summary(page: Any, steps: int, seconds: float, before: int, selector: str) -> dict:
    gaps = np.diff(np.asarray(page.evaluate(STOP_JS)))
    return {
        "per_move_ms": seconds * 1000 / steps,
        "frame_mean_ms": float(gaps.mean()) if len(gaps) else float("nan"),
        "frame_p90_ms": float(np.percentile(gaps, 90)) if len(gaps) else float("nan"),
        "moved": before != page.evaluate(PIXELS_JS, selector),
    }


def _centre(page: Any, selector: str) -> tuple[float, float]:
    canvas = page.locator(selector)
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def pan(page: Any, selector: str, steps: int = 20) -> dict:
    """Drag the plot by ``steps`` mouse moves (each waits for the page).

    Parameters
    ----------
    page : playwright.sync_api.Page
    selector : str
        CSS selector of the plot's canvas.
    steps : int
        Mouse moves of the drag.

    Returns
    -------
    dict
        ``per_move_ms``, the animation-frame intervals meanwhile (``frame_mean_ms``,
        ``frame_p90_ms``) and ``moved`` (the picture changed).
    """
    cx, cy = _centre(page, selector)
    before = page.evaluate(PIXELS_JS, selector)
    page.mouse.move(cx, cy)
    page.evaluate(RECORD_JS)
    page.mouse.down()
    t0 = time.perf_counter()
    for i in range(1, steps + 1):
        page.mouse.move(cx + 6 * i, cy + 3 * i)
    page.mouse.up()
    page.evaluate(NEXT_FRAME_JS)  # the drag is over once its last move has been drawn
    return _frames_summary(page, steps, time.perf_counter() - t0, before, selector)


def zoom(page: Any, selector: str, steps: int = 20) -> dict:
    """Zoom in, then out, with ``steps`` mouse-wheel notches over the plot's centre.

    Parameters
    ----------
    page : playwright.sync_api.Page
    selector : str
        CSS selector of the plot's canvas.
    steps : int
        Wheel events (half in, half out).

    Returns
    -------
    dict
        As :func:`pan`, per wheel event.
    """
    cx, cy = _centre(page, selector)
    page.mouse.move(cx - 40, cy - 20)
    before = page.evaluate(PIXELS_JS, selector)
    page.evaluate(RECORD_JS)
    t0 = time.perf_counter()
    for i in range(steps):
        page.mouse.wheel(0, -120 if i < steps // 2 else 120)
        page.evaluate(NEXT_FRAME_JS)  # as a user's wheel: one notch per frame at most
    return _frames_summary(page, steps, time.perf_counter() - t0, before, selector)


# ------------------------------------------------------------------ relabel → every view
# Arm a timer: it starts at the user's next keydown or <select> change (capture phase, before
# the widget's own handler) and stops at the first animation frame after every named view in
# `root` shows the expected state. Resolves window.__bench with per-view and total ms, and
# `busy`: the summed long tasks (> 50 ms) of the main thread that started meanwhile.
ARM_JS = """
({root, views, positions, target, matrix, edits, edited, timeoutMs}) => {
  const box = document.querySelector(root);
  const want = new Set(positions);
  const st = {t0: null, draws: 0, done: {}, busy: 0};
  const num = (s) => Number(String(s).replace(/[^0-9]/g, ''));
  const checks = {
    grid: () => {
      const rows = [...box.querySelectorAll('.dcml-grid-row[data-pos]')]
        .filter((r) => want.has(Number(r.dataset.pos)));
      return rows.length > 0 && rows.every(
        (r) => r.querySelector('select.dcml-grid-relabel')?.value === String(target));
    },
    confusion: () => {
      const tds = box.querySelectorAll('.dcml-confusion td[data-given][data-predicted]');
      if (!tds.length) return false;
      for (const td of tds) {
        const want = matrix[td.dataset.given][td.dataset.predicted];
        if (Number(td.dataset.count) !== want) return false;
      }
      return true;
    },
    header: () => {
      const h = box.querySelector('.dcml-header-edits');
      const m = h && /([\\d,]+) edits? · ([\\d,]+) relabelled/.exec(h.textContent);
      return !!m && num(m[1]) === edits && num(m[2]) === edited;
    },
    embedding: () => st.draws > 0,
  };
  window.__bench = new Promise((resolve) => {
    let finished = false;
    const finish = (extra) => {
      if (finished) return;
      finished = true;
      obs.disconnect();
      requestAnimationFrame(() => {
        const total = st.t0 === null ? null : performance.now() - st.t0;
        // Long tasks (> 50 ms) of the page's main thread while the views caught up.
        setTimeout(() => {
          tasks.disconnect();
          resolve({total, busy: st.busy, ...st.done, ...extra});
        }, 0);
      });
    };
    const tasks = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        if (st.t0 !== null && e.startTime >= st.t0 - 1) st.busy += e.duration;
      }
    });
    tasks.observe({type: 'longtask'});
    const check = () => {
      if (st.t0 === null) return;
      for (const v of views) {
        if (!(v in st.done) && checks[v]()) st.done[v] = performance.now() - st.t0;
      }
      if (views.every((v) => v in st.done)) finish({});
    };
    const obs = new MutationObserver((records) => {
      if (st.t0 !== null && records.some((r) => r.attributeName === 'data-revision')) st.draws++;
      check();
    });
    obs.observe(box, {subtree: true, childList: true, attributes: true, characterData: true});
    const start = () => {
      if (st.t0 !== null) return;
      st.t0 = performance.now();
      document.removeEventListener('keydown', start, true);
      document.removeEventListener('change', start, true);
      queueMicrotask(check);
    };
    document.addEventListener('keydown', start, true);
    document.addEventListener('change', start, true);
    setTimeout(() => finish({timeout: true, missing: views.filter((v) => !(v in st.done))}),
               timeoutMs);
  });
  return true;
}
"""

# Resolve once nothing in `root` has changed for `quietMs` (at most `maxMs`): the views have
# settled after the previous action (focus moves redraw the embedding too).
QUIET_JS = """
({root, quietMs, maxMs}) => new Promise((resolve) => {
  const box = document.querySelector(root);
  const t0 = performance.now();
  let last = t0;
  const obs = new MutationObserver(() => { last = performance.now(); });
  obs.observe(box, {subtree: true, childList: true, attributes: true, characterData: true});
  const poll = () => {
    const now = performance.now();
    if (now - last >= quietMs || now - t0 >= maxMs) { obs.disconnect(); resolve(now - t0); }
    else setTimeout(poll, 25);
  };
  poll();
})
"""

# A trivial anywidget that echoes a comm message: the round-trip baseline.
ECHO_ESM = """
export default { render({ model, el }) {
  el.classList.add('bench-echo');
  el.textContent = 'echo';
  window.__echo = () => new Promise((resolve) => {
    const t0 = performance.now();
    const on = (msg) => {
      if (!msg || !msg.pong) return;
      model.off('msg:custom', on);
      requestAnimationFrame(() => resolve(performance.now() - t0));
    };
    model.on('msg:custom', on);
    model.send({ ping: 1 });
  });
} };
"""


def stats(values: list[float]) -> dict:
    """p50, p95, mean and max of a list of milliseconds (NaN when empty)."""
    a = np.asarray([v for v in values if v is not None], float)
    if not len(a):
        nan = float("nan")
        return {"n": 0, "p50": nan, "p95": nan, "mean": nan, "max": nan}
    return {"n": len(a), "p50": float(np.percentile(a, 50)),
            "p95": float(np.percentile(a, 95)), "mean": float(a.mean()),
            "max": float(a.max())}  # fmt: skip
