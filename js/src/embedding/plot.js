// The plot: the WebGL scatter of the points, made on the first layout and redrawn (one draw
// at a time) with the active channel's colours and the legend's filter; points move to a new
// layout of the same size. An edit's few new colours are painted at once and the full redraw
// waits for idle time (recolor.js). Sized to the plot element and the `height` trait.
import { el } from "../lib/dom.js";
import { lifetime } from "../lib/lifetime.js";
import { onThemeChange } from "../lib/theme.js";
import { toPoints } from "./codec.js";
import { paletteFor } from "./palette.js";
import { poolColor } from "./pool.js";
import { createRecolor, MAX_QUICK } from "./recolor.js";
import { createScatter, cssColorToRgba, drawQueue, hasWebGL, isDark, themeOptions } from "./scatter.js";

const MOVE_MS = 700;
/** "#rrggbb" of an [r, g, b, a] colour in 0..1. */
const cssHex = (rgba) =>
  `#${rgba
    .slice(0, 3)
    .map((v) => Math.round(v * 255).toString(16).padStart(2, "0"))
    .join("")}`;
const NO_WEBGL = "WebGL is not available in this browser, so the layout cannot be drawn.";

/**
 * @param {any} model
 * @param {import("./points.js").PointData} points
 * @param {{onError: (err: Error) => void,
 *          onDrawn: (channel: import("./points.js").Channel, current: boolean) => void,
 *          onRecolored: () => void}} hooks
 *   onDrawn runs after each draw; `current` is false when a newer layout is waiting;
 *   onRecolored after an edit's new colours were painted over the frame (no full draw yet)
 */
export function createPlot(model, points, { onError, onDrawn, onRecolored }) {
  const life = lifetime();
  const canvas = el("canvas", { className: "dcml-embedding-canvas" });
  const empty = el("div", { className: "dcml-embedding-empty" });
  const plot = el("div", { className: "dcml-embedding-plot" }, canvas, empty);
  const subscriptions = []; // [event, handler]: subscribed when the scatter is made
  let scatter = null;
  let mode = "pan";
  let drawn = 0; // layout version last drawn (0: none the points could move from)
  let spatialIndex = null; // of the layout drawn, reused while it stays
  let closed = false;
  let drawnStyle = ""; // channel, legend and theme of the colours last drawn
  let markAt = null; // a point to mark in the next draw's frame
  // The plot's background comes from the theme; the scatter's colours follow it.
  const readBackground = () => cssColorToRgba(getComputedStyle(plot).backgroundColor);
  let background = readBackground();

  const ready = () => scatter !== null && points.layout !== null;
  const styleOf = (ch, dark) => JSON.stringify([ch.header.name, ch.header.kind, ch.header.legend, dark]);
  const colorsOf = (ch, dark) => [...paletteFor(ch.header, { dark }), poolColor(dark)];

  let palette = { style: "", colors: [] }; // of the active channel, for painted points
  const recolorer = createRecolor({
    canvas,
    screenOf: (p) => (scatter?.get("isPointsDrawn") ? scatter.getScreenPosition(p) : undefined),
    looks() {
      const name = model.get("color_by");
      const ch = points.channel(name);
      if (!ch) return () => null; // a channel on its way: its draw will show every point
      const dark = isDark(background);
      const style = styleOf(ch, dark);
      if (palette.style !== style) palette = { style, colors: colorsOf(ch, dark) };
      const { colors } = palette;
      // Sizes as regl-scatterplot draws them (its default "asinh" point scale), in CSS px.
      const s = scatter.get("camera").scaling[0];
      const size = scatter.get("pointSize");
      const base = Array.isArray(size) ? size[0] : size;
      const d = base * (s > 1 ? Math.asinh(s) / Math.asinh(1) : Math.max(1 / base, s));
      const selected = scatter.get("selectedPoints");
      if (!selected.length) return (p) => [{ radius: d / 2, color: colors[points.drawnAt(name, p)], alpha: 1 }];
      // A selected point: its colour, a ring of background, its colour (outline and body);
      // the others fade: drawn afresh over a disc of background.
      const [sel, out] = [scatter.get("pointSizeSelected"), scatter.get("pointOutlineWidth")];
      const bg = cssHex(background);
      const faded = scatter.get("opacityInactiveMax");
      const picked = new Set(selected);
      return (p) => {
        const color = colors[points.drawnAt(name, p)];
        if (!picked.has(p)) return [{ radius: d / 2, color: bg, alpha: 1 }, { radius: d / 2, color, alpha: faded }];
        return [
          { radius: (d + sel + 2 * out) / 2, color, alpha: 1 },
          { radius: (d + sel + out) / 2, color: bg, alpha: 1 },
          { radius: (d + sel) / 2, color, alpha: 1 },
        ];
      };
    },
    redraw: () => draw(),
  });

  function applyMode() {
    if (!scatter) return;
    if (mode === "pan") scatter.set({ mouseMode: "panZoom" });
    else scatter.set({ mouseMode: "lasso", lassoType: mode === "box" ? "rectangle" : "freeform" });
  }

  /** Make the scatter if there is none; false when this browser has no WebGL. */
  function ensure() {
    if (scatter) return true;
    if (!hasWebGL()) {
      empty.textContent = NO_WEBGL;
      return false;
    }
    const { width } = plot.getBoundingClientRect();
    background = readBackground();
    scatter = createScatter(canvas, {
      n: points.n,
      width: Math.max(width, 100),
      height: model.get("height"),
      background,
    });
    scatter.set({ colorBy: "valueA" });
    for (const [event, handler] of subscriptions) scatter.subscribe(event, handler);
    scatter.subscribe("drawing", recolorer.repaint); // published right after a frame is copied
    applyMode();
    return true;
  }

  function applyFilter(name) {
    const keep = points.visible(name);
    if (keep) scatter.filter(Array.from(keep), { preventEvent: true });
    else if (scatter.get("isPointsFiltered")) scatter.unfilter({ preventEvent: true });
  }

  const draw = drawQueue(async () => {
    const name = model.get("color_by");
    const ch = points.channel(name);
    const plotted = scatter;
    if (!plotted || !points.layout || !ch) return;
    const dark = isDark(background);
    const style = styleOf(ch, dark);
    // Setting the colours renders a frame of its own (~175 ms at 100k in software WebGL)
    if (style !== drawnStyle) plotted.set({ pointColor: colorsOf(ch, dark) });
    const painted = recolorer.snapshot(); // this draw reads every code patched so far
    const options = { zDataType: "categorical", preventFilterReset: true };
    const target = points.version;
    const moved = drawn !== target;
    if (moved && drawn !== 0) Object.assign(options, { transition: true, transitionDuration: MOVE_MS });
    if (!moved && spatialIndex) options.spatialIndex = spatialIndex;
    if (markAt !== null && markAt < points.n) Object.assign(options, { hover: markAt, showReticleOnce: true });
    markAt = null;
    await plotted.draw(toPoints(points.layout, points.drawn(name)), options);
    if (closed) return; // the view was removed while the points were drawn
    if (moved) spatialIndex = plotted.get("spatialIndex");
    drawn = target;
    drawnStyle = style;
    painted();
    applyFilter(name);
    onDrawn(ch, drawn === points.version);
  }, onError);

  function resize() {
    if (!scatter) return;
    const { width } = plot.getBoundingClientRect();
    if (width > 0) scatter.set({ width, height: model.get("height") });
  }
  life.add(
    onThemeChange(() => {
      const now = readBackground();
      if (String(now) === String(background)) return;
      background = now;
      if (!scatter) return;
      scatter.set(themeOptions(background));
      draw(); // the palette's neutral colours follow too (and the legend, after the draw)
    }),
  );

  const observer = typeof ResizeObserver === "function" ? new ResizeObserver(resize) : null;
  observer?.observe(plot);
  plot.style.height = `${model.get("height")}px`;
  life.trait(model, "height", (h) => {
    plot.style.height = `${h}px`;
    resize();
  });
  life.add(() => {
    closed = true;
    recolorer.cleanup();
    observer?.disconnect();
    scatter?.destroy(); // unsubscribes its handlers and destroys its regl (WebGL) context
    scatter = null;
  });

  /** The active channel's codes changed at `positions` (an edit): show the new colours. */
  function recolor(positions) {
    const ch = points.channel(model.get("color_by"));
    const quick =
      ready() &&
      ch &&
      drawn === points.version &&
      styleOf(ch, isDark(background)) === drawnStyle &&
      positions.length <= MAX_QUICK &&
      !scatter.get("isPointsFiltered");
    if (!quick) return draw();
    recolorer.add(positions);
    onRecolored();
    return Promise.resolve();
  }

  return {
    el: plot,
    canvas,
    draw,
    recolor,
    /** True when the frame is an exact draw (no edit's colours painted over it). */
    get exact() {
      return recolorer.pending === 0;
    },
    ensure,
    /** True once there is a scatter and a layout to show on it. */
    ready,
    /** A layout arrived; `resized`: its point count differs, so the points cannot move. */
    newLayout(resized) {
      if (resized) drawn = 0;
      spatialIndex = null;
      recolorer.clear();
    },
    /** True when the plot's background (the theme) is dark. */
    get dark() {
      return isDark(background);
    },
    /** "pan", "lasso" or "box". */
    get mode() {
      return mode;
    },
    setMode(next) {
      mode = next;
      applyMode();
    },
    /** Show `text` over the plot ("" hides it). */
    showEmpty(text) {
      empty.textContent = text;
    },
    clear: () => scatter?.clear?.(),
    reset: () => scatter?.reset(),
    /** How many points the scatter shows (the legend's toggles filter the others out). */
    shownCount() {
      if (!ready()) return 0;
      return scatter.get("isPointsFiltered") ? scatter.get("filteredPoints").length : points.n;
    },
    /** How many points are selected on the scatter. */
    selectedCount: () => (ready() ? scatter.get("selectedPoints").length : 0),
    /** Show `positions` (a Uint32Array) as the selection, without a select event. */
    select(positions) {
      if (!ready()) return;
      if (positions.length) scatter.select(Array.from(positions), { preventEvent: true });
      else scatter.deselect({ preventEvent: true });
    },
    /** Mark the point at `position` (the focused row). */
    mark(position) {
      markAt = null;
      if (!ready() || position < 0 || position >= points.n) return;
      if (recolorer.pending) {
        // The mark renders a frame anyway: let it be the exact redraw an edit waits for.
        markAt = position;
        draw();
      } else scatter.hover(position, { showReticleOnce: true, preventEvent: true });
    },
    /** Call `handler` on the scatter's `event` (pointOver, pointOut, select, deselect). */
    on(event, handler) {
      subscriptions.push([event, handler]);
      scatter?.subscribe(event, handler);
    },
    cleanup: life.end,
  };
}
