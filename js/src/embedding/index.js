// EmbeddingExplorer: the report's 2-D layout as a WebGL scatter. Positions and colour codes
// arrive as binary buffers in messages; selection lives in the `_selection` trait (uint32).
import { el, bindErrorBanner, showError, debounce, onTrait } from "../lib/dom.js";
import { decode } from "../lib/wire.js";
import {
  applyPatch, countCodes, decodeCodes, decodeLayout, encodeSelection, toPoints, visibleIndices,
} from "./codec.js";
import { paletteFor } from "./palette.js";
import { renderLegend, legendCodeOf } from "./legend.js";
import { previewCard } from "./preview.js";
import { createPlot, cssColorToRgba, drawQueue, hasWebGL } from "./scatter.js";
import { addStyle } from "../lib/style.js";
import CSS from "./style.css";

const CHANNELS = [
  ["label", "label"],
  ["predicted", "predicted label"],
  ["score", "label quality"],
  ["issue", "issue type"],
  ["status", "edit status"],
];
const MODES = [["pan", "pan / zoom"], ["lasso", "lasso"], ["box", "box"]];
const CLICK_SLOP = 4;

function render({ model, el: root }) {
  root.classList.add("dcml-embedding");
  const nonce = `${Date.now()}-${Math.random()}`;
  const listeners = [];
  const listen = (target, type, fn, opts) => {
    target.addEventListener(type, fn, opts);
    listeners.push(() => target.removeEventListener(type, fn, opts));
  };

  // ---------------------------------------------------------------- DOM
  const colorSelect = el("select", { className: "dcml-embedding-color", "aria-label": "colour by" },
    ...CHANNELS.map(([value, text]) => el("option", { value, text })));
  const modeButtons = MODES.map(([mode, text]) =>
    el("button", { type: "button", className: "dcml-embedding-mode", dataset: { mode }, text }));
  const resetButton = el("button", { type: "button", className: "dcml-embedding-reset", text: "reset view" });
  const status = el("span", { className: "dcml-embedding-status" });
  const toolbar = el("div", { className: "dcml-embedding-toolbar" },
    el("label", {}, "colour by ", colorSelect), ...modeButtons, resetButton, status);
  const canvas = el("canvas", { className: "dcml-embedding-canvas" });
  const empty = el("div", { className: "dcml-embedding-empty" });
  const tooltip = el("div", { className: "dcml-embedding-preview", hidden: true });
  const plot = el("div", { className: "dcml-embedding-plot" }, canvas, empty, tooltip);
  const legend = el("div", { className: "dcml-embedding-legend" });
  root.append(toolbar, plot, legend);
  const removeStyle = addStyle(root, CSS);
  const unbindError = bindErrorBanner(model, root);

  // ---------------------------------------------------------------- view state
  let scatter = null;
  let layout = null; // {x, y}
  let n = 0;
  let revision = -1;
  let layoutVersion = 0;
  let drawnLayout = 0;
  let spatialIndex = null;
  let channels = new Map(); // name -> {header, codes}
  let hidden = new Set();
  let hovered = -1;
  let mouse = [0, 0];
  let downAt = null;
  let mode = "pan";
  let thumbUrl = null; // object URL of the shown preview's PNG, revoked when replaced
  let closed = false;

  const active = () => channels.get(model.get("color_by"));
  const fail = (err) => showError(root, `Embedding view: ${err?.message ?? err}`);
  const setData = (key, value) => { root.dataset[key] = String(value); };

  const paintStatus = () => {
    const sel = scatter && layout ? scatter.get("selectedPoints").length : 0;
    const method = model.get("layout_method");
    const focus = model.get("focus_label");
    status.textContent = layout
      ? `${n.toLocaleString()} points · ${method || "layout"} · ${sel.toLocaleString()} selected` +
        (focus ? ` · focus: ${focus}` : "")
      : "";
    setData("selected", sel);
  };

  const paintLegend = () => {
    const ch = active();
    if (!ch) return legend.replaceChildren();
    const counts = ch.header.kind === "categorical" ? countCodes(ch.codes, ch.header.legend.length) : null;
    renderLegend(legend, ch.header, paletteFor(ch.header), counts, hidden);
  };

  const applySelection = () => {
    if (!scatter || !layout) return;
    const sel = decode(model.get("_selection"), "uint32");
    if (sel.length) scatter.select(Array.from(sel), { preventEvent: true });
    else scatter.deselect({ preventEvent: true });
    paintStatus();
  };

  const applyFilter = () => {
    const ch = active();
    const keep = ch && ch.header.kind === "categorical" ? visibleIndices(ch.codes, hidden) : null;
    if (keep) scatter.filter(Array.from(keep), { preventEvent: true });
    else if (scatter.get("isPointsFiltered")) scatter.unfilter({ preventEvent: true });
  };

  const draw = drawQueue(async () => {
    const ch = active();
    const plotted = scatter;
    if (!plotted || !layout || !ch) return;
    plotted.set({ pointColor: paletteFor(ch.header) });
    const options = { zDataType: "categorical", preventFilterReset: true };
    const moved = drawnLayout !== layoutVersion;
    if (moved && drawnLayout !== 0) Object.assign(options, { transition: true, transitionDuration: 700 });
    if (!moved && spatialIndex) options.spatialIndex = spatialIndex;
    const target = layoutVersion;
    await plotted.draw(toPoints(layout, ch.codes), options);
    if (closed) return; // the view was removed while the points were drawn
    if (moved) spatialIndex = plotted.get("spatialIndex");
    drawnLayout = target;
    applyFilter();
    applySelection();
    paintLegend();
    setData("colorBy", ch.header.name);
    setData("points", n);
    setData("revision", revision);
    setData("ready", drawnLayout === layoutVersion ? "1" : "0");
  }, fail);

  // ---------------------------------------------------------------- scatter
  const ensureScatter = () => {
    if (scatter) return true;
    if (!hasWebGL()) {
      empty.textContent = "WebGL is not available in this browser, so the layout cannot be drawn.";
      return false;
    }
    const { width, height } = plot.getBoundingClientRect();
    const background = cssColorToRgba(getComputedStyle(plot).backgroundColor);
    scatter = createPlot(canvas, { n, width: Math.max(width, 100), height: model.get("height"), background });
    scatter.set({ colorBy: "valueA" });
    scatter.subscribe("pointOver", onPointOver);
    scatter.subscribe("pointOut", onPointOut);
    scatter.subscribe("select", onSelect);
    scatter.subscribe("deselect", onDeselect);
    applyMode();
    return true;
  };

  const applyMode = () => {
    for (const b of modeButtons) b.classList.toggle("dcml-embedding-active", b.dataset.mode === mode);
    if (!scatter) return;
    if (mode === "pan") scatter.set({ mouseMode: "panZoom" });
    else scatter.set({ mouseMode: "lasso", lassoType: mode === "box" ? "rectangle" : "freeform" });
  };

  // ---------------------------------------------------------------- kernel messages
  const onLayout = (msg, buffers) => {
    // Replies to any view's "init" reach every view: one for a layout already shown is skipped.
    if (msg.revision < revision || (msg.nonce !== null && msg.revision === revision && layout)) return;
    revision = msg.revision;
    n = msg.n;
    channels = new Map();
    hidden = new Set();
    if (!n || !msg.channel) {
      layout = null;
      empty.textContent = "No layout yet: analyse the data (dw.analyze) and set the report on the state.";
      scatter?.clear?.();
      legend.replaceChildren();
      setData("ready", "1");
      setData("points", 0);
      paintStatus();
      return;
    }
    empty.textContent = "";
    const next = decodeLayout(buffers[0], n);
    channels.set(msg.channel.name, { header: msg.channel, codes: decodeCodes(buffers[1], msg.channel, n) });
    if (layout && layout.x.length !== n) drawnLayout = 0;
    layout = next;
    layoutVersion += 1;
    spatialIndex = null;
    setData("ready", "0");
    if (ensureScatter()) draw();
  };

  const onChannel = (msg, buffers) => {
    if (msg.revision !== revision || !layout) return;
    channels.set(msg.name, { header: msg, codes: decodeCodes(buffers[0], msg, n) });
    if (msg.name === model.get("color_by")) draw();
  };

  const onPatch = (msg, buffers) => {
    if (msg.revision !== revision || !layout) return;
    const positions = decode(buffers[0], "uint32");
    let redraw = false;
    msg.channels.forEach((header, i) => {
      const ch = channels.get(header.name);
      if (!ch) return;
      if (header.dtype !== ch.header.dtype) {
        channels.delete(header.name); // code width changed: fetch the channel afresh
        if (header.name === model.get("color_by")) model.send({ type: "channel", name: header.name });
        return;
      }
      applyPatch(ch.codes, positions, decode(buffers[i + 1], header.dtype));
      ch.header = header;
      if (header.name === model.get("color_by")) redraw = true;
    });
    if (redraw) draw();
  };

  const setThumb = (png) => {
    if (thumbUrl) URL.revokeObjectURL(thumbUrl);
    thumbUrl = png ? URL.createObjectURL(new Blob([png], { type: "image/png" })) : null;
  };
  const onHover = (msg, buffers) => {
    if (msg.position !== hovered) return;
    setThumb(msg.thumb === "png" ? buffers[0] : null);
    tooltip.replaceChildren(previewCard(msg, thumbUrl));
    placeTooltip();
    tooltip.hidden = false;
  };

  const onMessage = (msg, buffers) => {
    try {
      if (msg?.type === "layout") onLayout(msg, buffers ?? []);
      else if (msg?.type === "channel") onChannel(msg, buffers ?? []);
      else if (msg?.type === "patch") onPatch(msg, buffers ?? []);
      else if (msg?.type === "hover") onHover(msg, buffers ?? []);
    } catch (err) {
      fail(err);
    }
  };
  model.on("msg:custom", onMessage);

  // ---------------------------------------------------------------- user actions
  const sendSelection = debounce((points) => {
    model.send({ type: "select", mode: "replace", revision }, undefined, [encodeSelection(points).buffer]);
  }, 150);
  const onSelect = ({ points }) => {
    paintStatus();
    sendSelection(points);
  };
  const onDeselect = () => {
    paintStatus();
    sendSelection([]);
  };
  const requestHover = debounce((position) => {
    if (position === hovered) model.send({ type: "hover", position, revision });
  }, 60);
  const onPointOver = (index) => {
    hovered = index;
    if (!downAt) requestHover(index); // no previews while dragging (panning or lassoing)
  };
  const onPointOut = () => {
    hovered = -1;
    tooltip.hidden = true;
  };

  const placeTooltip = () => {
    const { width, height } = plot.getBoundingClientRect();
    const left = mouse[0] + 14 + 260 > width ? Math.max(0, mouse[0] - 274) : mouse[0] + 14;
    const below = mouse[1] < height / 2;
    tooltip.style.left = `${left}px`;
    tooltip.style.top = below ? `${mouse[1] + 10}px` : "";
    tooltip.style.bottom = below ? "" : `${Math.max(0, height - mouse[1] + 10)}px`;
  };

  listen(plot, "mousemove", (e) => {
    const r = plot.getBoundingClientRect();
    mouse = [e.clientX - r.left, e.clientY - r.top];
    if (!tooltip.hidden) placeTooltip();
  });
  listen(plot, "mouseleave", () => { tooltip.hidden = true; });
  listen(window, "mouseup", () => {
    // The click that follows reads downAt; clear it once that has happened.
    setTimeout(() => { downAt = null; }, 0);
  });
  listen(plot, "mousedown", (e) => {
    downAt = [e.clientX, e.clientY];
    tooltip.hidden = true;
  }, true);
  // The scatter starts a lasso or box at the first move after the press; replaying the press
  // point as a move (after the scatter saw the press) anchors it where the drag began.
  listen(plot, "mousedown", (e) => {
    if (e.target !== canvas || e.buttons !== 1 || (mode === "pan" && !e.shiftKey)) return;
    const { clientX, clientY, shiftKey } = e;
    canvas.dispatchEvent(new MouseEvent("mousemove", { bubbles: true, clientX, clientY, shiftKey, buttons: 1 }));
  });
  // A click on a point focuses its row; the scatter's own click-to-select is skipped so a
  // click never replaces the selection made by lasso or elsewhere.
  listen(plot, "click", (e) => {
    if (e.target !== canvas || !layout) return;
    e.stopPropagation();
    const still = downAt && Math.hypot(e.clientX - downAt[0], e.clientY - downAt[1]) < CLICK_SLOP;
    if (still && hovered >= 0) model.send({ type: "focus", position: hovered, revision });
  }, true);

  listen(colorSelect, "change", () => {
    model.set("color_by", colorSelect.value);
    model.save_changes();
  });
  for (const b of modeButtons) {
    listen(b, "click", () => {
      mode = b.dataset.mode;
      applyMode();
    });
  }
  listen(resetButton, "click", () => scatter?.reset());
  listen(legend, "click", (e) => {
    const code = legendCodeOf(e);
    if (code === null) return;
    if (hidden.has(code)) hidden.delete(code);
    else hidden.add(code);
    draw();
  });

  // ---------------------------------------------------------------- traits
  const onColorBy = (name) => {
    colorSelect.value = name;
    hidden = new Set();
    if (channels.has(name)) draw();
    else if (layout) model.send({ type: "channel", name });
  };
  const onFocus = (position) => {
    paintStatus();
    if (scatter && layout && position >= 0 && position < n) {
      scatter.hover(position, { showReticleOnce: true, preventEvent: true });
    }
  };
  const unbinds = [
    onTrait(model, "color_by", onColorBy),
    onTrait(model, "_selection", applySelection),
    onTrait(model, "focus_position", onFocus),
    onTrait(model, "focus_label", paintStatus),
    onTrait(model, "layout_method", paintStatus),
    onTrait(model, "height", (h) => {
      plot.style.height = `${h}px`;
      resize();
    }),
  ];
  colorSelect.value = model.get("color_by");
  plot.style.height = `${model.get("height")}px`;

  const resize = () => {
    if (!scatter) return;
    const { width } = plot.getBoundingClientRect();
    if (width > 0) scatter.set({ width, height: model.get("height") });
  };
  const observer = typeof ResizeObserver === "function" ? new ResizeObserver(resize) : null;
  observer?.observe(plot);

  setData("ready", "0");
  model.send({ type: "init", nonce });

  return () => {
    closed = true;
    model.off("msg:custom", onMessage);
    for (const off of unbinds) off();
    for (const off of listeners) off();
    sendSelection.cancel();
    requestHover.cancel();
    observer?.disconnect();
    unbindError();
    removeStyle();
    scatter?.destroy(); // unsubscribes its handlers and destroys its regl (WebGL) context
    scatter = null;
    setThumb(null);
  };
}

export default { render };
