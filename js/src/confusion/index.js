// ConfusionMatrix view: renders the K x K counts it is sent; clicks send class indices back
// ({type: "select_cell" | "select_class", ..., revision}) and the kernel resolves the rows.
import { over, parseColor } from "../lib/color.js";
import { bindErrorBanner, el } from "../lib/dom.js";
import { lifetime } from "../lib/lifetime.js";
import { addStyle } from "../lib/style.js";
import { onThemeChange } from "../lib/theme.js";
import { decode } from "../lib/wire.js";
import { moveFocus } from "./model.js";
import { MatrixTable, buildTopList, cellTitle } from "./table.js";
import CSS from "./style.css";

const N_TOP = 10;

function snapshot(model) {
  const classes = model.get("classes") ?? [];
  const k = classes.length;
  let counts = decode(model.get("counts"), "uint32");
  let edited = decode(model.get("edited_counts"), "uint32");
  if (counts.length !== k * k) counts = new Uint32Array(k * k);
  if (edited.length !== k * k) edited = new Uint32Array(k * k);
  return {
    classes,
    counts,
    edited,
    normalize: Boolean(model.get("normalize")),
    sortByMass: Boolean(model.get("sort_by_mass")),
    selected: model.get("selected_cells") ?? [],
  };
}

function captionText(model, counts) {
  let total = 0;
  for (const v of counts) total += v;
  const excluded = model.get("n_excluded");
  const unlabelled = model.get("n_unlabelled");
  let text =
    `${total} rows counted; given = current label (edits move rows), predicted = ` +
    `out-of-sample prediction of the analysis. ${excluded} excluded row${excluded === 1 ? " is" : "s are"} ` +
    "left out (they are not trained on either)";
  if (unlabelled) text += `, and ${unlabelled} without a label or prediction`;
  return `${text}. ✎n = rows relabelled in that cell. Click a cell or class to select its rows (shift adds).`;
}

function checkbox(label, className) {
  const input = el("input", { type: "checkbox", className });
  return { input, label: el("label", {}, input, ` ${label}`) };
}

function render({ model, el: root }) {
  const life = lifetime();
  root.classList.add("dcml-confusion");
  life.add(() => root.replaceChildren());
  life.add(addStyle(root, CSS));
  const norm = checkbox("Row-normalised (% of the row)", "dcml-confusion-normalize");
  const sort = checkbox("Sort by confusion mass", "dcml-confusion-sort");
  const toolbar = el("div", { className: "dcml-confusion-toolbar" }, norm.label, sort.label);
  const caption = el("p", { className: "dcml-confusion-caption" });
  const scroll = el("div", { className: "dcml-confusion-scroll" });
  const side = el("div", { className: "dcml-confusion-side" });
  const body = el("div", { className: "dcml-confusion-body" }, scroll, side);
  root.append(toolbar, caption, body);
  life.add(bindErrorBanner(model, root));

  // Keyboard focus lives on one element at a time (roving tabindex), kept across re-renders
  // by display coordinates.
  let focusAt = [0, 0];
  let k = 0;
  let scheduled = false;
  let alive = true;
  life.add(() => {
    alive = false;
  });
  const matrix = new MatrixTable();
  let last = null;
  // The heat colours are laid over the view's background, which the theme sets.
  const background = () => {
    const bg = parseColor(getComputedStyle(root).backgroundColor);
    return bg && bg[3] > 0 ? over(bg, [255, 255, 255]) : [255, 255, 255];
  };
  let painted = String(background());
  const recolor = () => {
    const now = String(background());
    if (now === painted) return;
    painted = now;
    schedule();
  };
  life.add(onThemeChange(recolor));
  // The first paint may run before the view is in the page (no theme to read yet).
  const frame = requestAnimationFrame(recolor);
  life.add(() => cancelAnimationFrame(frame));

  const target = (r, c) => scroll.querySelector(`[data-r="${r}"][data-c="${c}"]`);

  const paint = () => {
    scheduled = false;
    if (!alive) return;
    const snap = snapshot(model);
    k = snap.classes.length;
    norm.input.checked = snap.normalize;
    sort.input.checked = snap.sortByMass;
    const hadFocus = scroll.contains(document.activeElement);
    const { scrollTop, scrollLeft } = scroll;
    if (!model.get("has_report")) {
      matrix.key = null;
      caption.textContent = "";
      scroll.replaceChildren(
        el("p", {
          className: "dcml-confusion-empty",
          text: "No analysis report yet: the matrix needs out-of-sample predictions (state.set_report).",
        }),
      );
      side.replaceChildren();
      return;
    }
    caption.textContent = captionText(model, snap.counts);
    if (k === 0) {
      matrix.key = null;
      scroll.replaceChildren(el("p", { className: "dcml-confusion-empty", text: "No classes." }));
      side.replaceChildren();
      return;
    }
    const rebuilt = matrix.render(snap, background());
    if (rebuilt || matrix.table.parentNode !== scroll) {
      scroll.replaceChildren(matrix.table);
      scroll.classList.toggle("dcml-confusion-compact", matrix.compact);
      scroll.style.flexBasis = `${matrix.natural}em`;
      scroll.scrollTop = scrollTop;
      scroll.scrollLeft = scrollLeft;
      focusAt = [Math.min(focusAt[0], k - 1), Math.min(focusAt[1], k - 1)];
      const node = target(focusAt[0], focusAt[1]) ?? target(0, 0);
      if (node) {
        node.tabIndex = 0;
        if (hadFocus) node.focus({ preventScroll: true });
      }
    }
    last = snap;
    side.replaceChildren(buildTopList(snap, N_TOP));
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    queueMicrotask(paint);
  };

  const send = (message, add) =>
    model.send({ ...message, add: Boolean(add), revision: model.get("revision") });

  const activate = (node, add) => {
    if (!node) return;
    const d = node.dataset;
    if (d.given !== undefined && d.predicted !== undefined) {
      send({ type: "select_cell", row: Number(d.given), col: Number(d.predicted) }, add);
    } else if (d.axis !== undefined) {
      send({ type: "select_class", axis: d.axis, index: Number(d.index) }, add);
    }
  };

  const onClick = (event) => {
    const node = event.target.closest("[data-given], [data-axis]");
    if (!node || !root.contains(node)) return;
    activate(node, event.shiftKey);
    if (node.dataset.r !== undefined) setFocus(Number(node.dataset.r), Number(node.dataset.c));
    else {
      // A top-confusions entry: bring its cell into view in the matrix.
      const { given, predicted } = node.dataset;
      const td = scroll.querySelector(`td[data-given="${given}"][data-predicted="${predicted}"]`);
      td?.scrollIntoView?.({ block: "nearest", inline: "nearest" });
    }
  };

  const setFocus = (r, c) => {
    const old = target(focusAt[0], focusAt[1]);
    const next = target(r, c);
    if (!next) return;
    if (old) old.tabIndex = -1;
    next.tabIndex = 0;
    next.focus();
    focusAt = [r, c];
  };

  const onKey = (event) => {
    const node = event.target.closest("[data-r]");
    if (!node) return;
    const r = Number(node.dataset.r);
    const c = Number(node.dataset.c);
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      activate(node, event.shiftKey);
      return;
    }
    const next = moveFocus(r, c, event.key, k);
    if (next) {
      event.preventDefault();
      setFocus(next[0], next[1]);
    }
  };

  // Cell hover text is made on demand rather than kept on 10,000 cells.
  const onOver = (event) => {
    const td = event.target.closest?.("td[data-given]");
    if (td && last && scroll.contains(td)) {
      td.title = cellTitle(last, Number(td.dataset.given), Number(td.dataset.predicted));
    }
  };

  const onNorm = () => {
    model.set("normalize", norm.input.checked);
    model.save_changes();
  };
  const onSort = () => {
    model.set("sort_by_mass", sort.input.checked);
    model.save_changes();
  };

  life.listen(scroll, "click", onClick);
  life.listen(side, "click", onClick);
  life.listen(scroll, "keydown", onKey);
  life.listen(scroll, "mouseover", onOver);
  life.listen(norm.input, "change", onNorm);
  life.listen(sort.input, "change", onSort);
  const traits = [
    "classes",
    "counts",
    "edited_counts",
    "normalize",
    "sort_by_mass",
    "selected_cells",
    "has_report",
    "n_excluded",
    "n_unlabelled",
  ];
  for (const name of traits) life.on(model, `change:${name}`, schedule);
  paint();
  return life.end;
}

export default { render };
