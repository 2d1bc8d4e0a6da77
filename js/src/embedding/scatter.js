// The WebGL scatter (regl-scatterplot) as the embedding view uses it, plus a draw queue: the
// library refuses a draw while another runs, so draws run one at a time and coalesce.
import createScatterplot from "regl-scatterplot";

/** True when this browser can make a WebGL context (checked on a throwaway canvas). */
export function hasWebGL() {
  try {
    const gl = document.createElement("canvas").getContext("webgl");
    if (!gl) return false;
    gl.getExtension("WEBGL_lose_context")?.loseContext();
    return true;
  } catch {
    return false;
  }
}

/** Parse a CSS colour ("rgb(...)", "rgba(...)", "#rrggbb") into [r, g, b, a] in [0, 1]. */
export function cssColorToRgba(text, fallback = [1, 1, 1, 1]) {
  const m = /rgba?\(([^)]+)\)/.exec(text ?? "");
  if (m) {
    const parts = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
    if (parts.length >= 3 && parts.slice(0, 3).every(Number.isFinite)) {
      const a = parts.length > 3 && Number.isFinite(parts[3]) ? parts[3] : 1;
      return [parts[0] / 255, parts[1] / 255, parts[2] / 255, a === 0 ? 1 : a];
    }
  }
  const h = /^#([0-9a-f]{6})$/i.exec((text ?? "").trim());
  if (h) {
    const v = parseInt(h[1], 16);
    return [(v >> 16) / 255, ((v >> 8) & 255) / 255, (v & 255) / 255, 1];
  }
  return fallback;
}

/** Point size by how many points there are (small points keep a million legible). */
export function pointSizeFor(n) {
  if (n > 200000) return 1.5;
  if (n > 20000) return 3;
  return 6;
}

/**
 * Create the scatter on `canvas`.
 * @param {HTMLCanvasElement} canvas
 * @param {{n: number, width: number, height: number, background: number[]}} opts
 */
export function createScatter(canvas, { n, width, height, background }) {
  return createScatterplot({
    canvas,
    width,
    height,
    ...themeOptions(background),
    pointSize: pointSizeFor(n),
    pointSizeSelected: n > 200000 ? 1 : 2,
    pointOutlineWidth: n > 200000 ? 1 : 2,
    performanceMode: n > 2000000,
    opacityInactiveMax: 0.35,
    lassoColor: [0.1, 0.45, 0.9, 1],
    lassoMinDelay: 0,
    // Every move extends the lasso, so its last vertex is where the drag ended (clicks are
    // the view's own business: it focuses the clicked point).
    lassoMinDist: 0,
    lassoInitiator: false,
    deselectOnDblClick: true,
    // Escape belongs to the notebook (command mode); it must not clear the shared selection.
    deselectOnEscape: false,
    showReticle: false,
  });
}

/** True when a plot background ([r, g, b, a] in 0..1) is dark. */
export function isDark(background) {
  return background[0] + background[1] + background[2] < 1.5;
}

/**
 * The scatter's colours that follow the plot's background (the theme): the background the
 * points fade into, and the outline of selected / hovered points and the reticle, which must
 * stand out from it.
 * @param {number[]} background [r, g, b, a] in 0..1
 */
export function themeOptions(background) {
  const dark = isDark(background);
  return {
    backgroundColor: background,
    pointColorActive: dark ? [1, 1, 1, 1] : [0.05, 0.05, 0.05, 1],
    pointColorHover: dark ? [1, 1, 0.6, 1] : [0, 0, 0, 1],
    reticleColor: dark ? [1, 1, 1, 0.5] : [0, 0, 0, 0.4],
  };
}

/**
 * A queue that runs `job` now or, if one is running, once more after it (never more than
 * one waiting: the waiting job reads the latest view state when it runs).
 * @param {() => Promise<void>} job
 * @param {(err: Error) => void} onError
 */
export function drawQueue(job, onError) {
  let busy = false;
  let again = false;
  let idle = Promise.resolve();
  const pump = async () => {
    busy = true;
    do {
      again = false;
      try {
        await job();
      } catch (err) {
        onError(err);
      }
    } while (again);
    busy = false;
  };
  const request = () => {
    if (busy) {
      again = true;
      return idle;
    }
    idle = pump();
    return idle;
  };
  request.idle = () => idle;
  return request;
}
