// EmbeddingExplorer: the report's 2-D layout as a WebGL scatter. Positions and colour codes
// arrive as binary buffers in messages; selection lives in the `_selection` trait (uint32).
//
// The pieces: points.js (what the kernel sent), plot.js (the scatter), toolbar.js (colour-by
// menu, mouse modes, status), legend.js, selection.js (lasso / box), hover.js (the preview
// card), pointer.js (hover, click-to-focus and drag gestures).
import { bindErrorBanner, showError } from "../lib/dom.js";
import { lifetime } from "../lib/lifetime.js";
import { addStyle } from "../lib/style.js";
import { decode } from "../lib/wire.js";
import { createHover } from "./hover.js";
import { createLegend } from "./legend.js";
import { createPlot } from "./plot.js";
import { bindPointer } from "./pointer.js";
import { PointData } from "./points.js";
import { createSelection } from "./selection.js";
import { createToolbar } from "./toolbar.js";
import CSS from "./style.css";

const NO_LAYOUT = "No layout yet: analyse the data (dw.analyze) and set the report on the state.";

function render({ model, el: root }) {
  const life = lifetime();
  root.classList.add("dcml-embedding");
  life.add(addStyle(root, CSS));
  const points = new PointData();
  const colorBy = () => model.get("color_by");
  const setData = (key, value) => {
    root.dataset[key] = String(value);
  };
  const fail = (err) => showError(root, `Embedding view: ${err?.message ?? err}`);

  const plot = createPlot(model, points, {
    onError: fail,
    onDrawn(ch, current) {
      selection.apply();
      legend.paint();
      setData("colorBy", ch.header.name);
      setData("points", points.n);
      setData("shown", plot.shownCount());
      setData("revision", points.revision);
      setData("ready", current ? "1" : "0");
      setData("dark", plot.dark ? "1" : "0"); // the colours drawn are for a dark background
      setData("exact", plot.exact ? "1" : "0");
    },
    onRecolored() {
      legend.paint();
      setData("revision", points.revision); // the frame shows this revision's latest codes
      setData("exact", "0"); // the painted points wait for the idle redraw's z-order
    },
  });
  const toolbar = createToolbar(model, { onMode: plot.setMode, onReset: plot.reset });
  const paintStatus = () => {
    const selected = plot.selectedCount();
    toolbar.paintStatus({ n: points.n, shown: points.layout !== null, selected });
    setData("selected", selected);
  };
  const legend = createLegend(points, colorBy, () => plot.draw(), () => plot.dark);
  const selection = createSelection(model, plot, points, paintStatus);
  const hover = createHover(model, plot.el, points);
  const pointer = bindPointer(model, plot, hover, points);
  const pieces = [plot, toolbar, legend, selection, hover, pointer];
  life.add(() => {
    for (const piece of pieces.reverse()) piece.cleanup();
  });
  root.append(toolbar.el, plot.el, legend.el);
  life.add(bindErrorBanner(model, root));

  // ---------------------------------------------------------------- kernel messages
  const onLayout = (msg, buffers) => {
    const { kind, resized } = points.acceptLayout(msg, buffers);
    if (kind === "stale") return;
    if (kind === "empty") {
      plot.showEmpty(NO_LAYOUT);
      plot.clear();
      legend.paint();
      setData("ready", "1");
      setData("points", 0);
      paintStatus();
      return;
    }
    plot.showEmpty("");
    plot.newLayout(resized);
    setData("ready", "0");
    if (plot.ensure()) plot.draw();
  };
  const onPatch = (msg, buffers) => {
    const { changed, dropped, pool } = points.acceptPatch(msg, buffers);
    if (dropped.includes(colorBy())) model.send({ type: "channel", name: colorBy() });
    if (pool) plot.draw();
    else if (changed.includes(colorBy())) plot.recolor(decode(buffers[0], "uint32"));
  };
  life.on(model, "msg:custom", (msg, buffers = []) => {
    try {
      if (msg?.type === "layout") onLayout(msg, buffers);
      else if (msg?.type === "channel") {
        if (points.acceptChannel(msg, buffers) && msg.name === colorBy()) plot.draw();
      } else if (msg?.type === "patch") onPatch(msg, buffers);
      else if (msg?.type === "hover") hover.show(msg, buffers);
    } catch (err) {
      fail(err);
    }
  });

  // ---------------------------------------------------------------- traits
  life.trait(model, "color_by", (name) => {
    points.hidden = new Set();
    if (points.channel(name)) plot.draw();
    else if (points.layout) model.send({ type: "channel", name });
  });
  life.trait(model, "focus_position", (position) => {
    paintStatus();
    plot.mark(position);
  });
  life.trait(model, "focus_label", paintStatus);
  life.trait(model, "layout_method", paintStatus);

  setData("ready", "0");
  model.send({ type: "init", nonce: `${Date.now()}-${Math.random()}` });
  return life.end;
}

export default { render };
