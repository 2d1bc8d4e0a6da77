// A few points recoloured at once (an edit's patch): their new colours are painted over the
// frame shown, now, and the exact redraw of every point waits for idle time. The scatter's
// canvas is a 2-D canvas (regl-scatterplot renders offscreen and copies each frame onto it),
// so a few dots go straight onto it. In software WebGL a frame of 100k points holds the main
// thread for ~170 ms; the dots take well under 1 ms. Until the exact redraw the painted points
// lie on top of their neighbours (their z-order is not yet the scatter's own), and they are
// painted again after every frame the scatter renders meanwhile (pan, zoom, hover).

/** Most points painted this way; a larger patch is redrawn in full at once. */
export const MAX_QUICK = 10000;

/**
 * Run `job` in idle time once `delay` ms have passed (so a run of edits, and the rest of
 * an edit's messages to the other views, come first); returns a cancel function.
 */
export function whenIdle(job, delay = 1000) {
  let idle = null;
  const timer = setTimeout(() => {
    if (typeof requestIdleCallback === "function") idle = requestIdleCallback(job, { timeout: 1000 });
    else job();
  }, delay);
  return () => {
    clearTimeout(timer);
    if (idle !== null) cancelIdleCallback(idle);
  };
}

/**
 * @typedef {{radius: number, color: string, alpha: number}} Layer one disc: radius in CSS px
 */

/**
 * @param {{canvas: HTMLCanvasElement,
 *          screenOf: (position: number) => number[] | undefined,
 *          looks: () => (position: number) => Layer[] | null,
 *          redraw: () => void,
 *          pixelRatio?: () => number,
 *          schedule?: (job: () => void) => () => void}} opts
 *   screenOf: a point's place in CSS px on the canvas; looks: asked once per paint, how
 *   each point is drawn now (its discs, bottom first; null: not at all); redraw: the exact
 *   redraw of all points; schedule: when that redraw runs (default: idle time)
 */
export function createRecolor({
  canvas,
  screenOf,
  looks,
  redraw,
  pixelRatio = () => globalThis.devicePixelRatio || 1,
  schedule = whenIdle,
}) {
  /** Positions painted over the frame, not yet in an exact redraw. */
  const pending = new Set();
  let cancel = null;

  function paint() {
    if (!pending.size) return;
    const ctx = canvas.getContext("2d");
    if (!ctx) return;
    const dpr = pixelRatio();
    const look = looks();
    const layers = []; // per layer: one path per colour and opacity, so the points' discs stack
    for (const p of pending) {
      const discs = look(p);
      const xy = discs && screenOf(p);
      if (!xy) continue;
      discs.forEach(({ radius, color, alpha }, i) => {
        layers[i] ??= new Map();
        const key = `${color} ${alpha}`;
        if (!layers[i].has(key)) layers[i].set(key, []);
        layers[i].get(key).push([xy[0] * dpr, xy[1] * dpr, radius * dpr]);
      });
    }
    const alpha = ctx.globalAlpha;
    for (const groups of layers) {
      for (const [key, dots] of groups) {
        const [color, a] = key.split(" ");
        ctx.fillStyle = color;
        ctx.globalAlpha = Number(a);
        ctx.beginPath();
        for (const [x, y, r] of dots) {
          ctx.moveTo(x + r, y);
          ctx.arc(x, y, r, 0, 2 * Math.PI);
        }
        ctx.fill();
      }
    }
    ctx.globalAlpha = alpha;
  }

  function later() {
    cancel?.();
    cancel = schedule(() => {
      cancel = null;
      if (pending.size) redraw();
    });
  }

  return {
    /** Positions painted over the frame and waiting for the exact redraw. */
    get pending() {
      return pending.size;
    },
    /** Paint the new colours of `positions` now; the exact redraw follows in idle time. */
    add(positions) {
      for (const p of positions) pending.add(p);
      paint();
      later();
    },
    /** The scatter rendered a frame (over the painted points): paint them again. */
    repaint: paint,
    /**
     * A full redraw is about to read the codes: every position pending now is in it.
     * @returns {() => void} call once that redraw is shown: those positions are done
     */
    snapshot() {
      const taken = [...pending];
      return () => {
        for (const p of taken) pending.delete(p);
        if (!pending.size) {
          cancel?.();
          cancel = null;
        }
      };
    },
    /** Forget the painted points (a new layout replaces them all). */
    clear() {
      pending.clear();
      cancel?.();
      cancel = null;
    },
    cleanup() {
      pending.clear();
      cancel?.();
      cancel = null;
    },
  };
}
