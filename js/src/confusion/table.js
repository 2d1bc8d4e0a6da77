// The confusion matrix <table> (text only, never HTML). The structure is built when the
// classes or their order change; otherwise only cells whose text, colour or marks changed
// are touched, so an edit costs a few DOM writes even at K = 100 (10,000 cells).
import { el } from "../lib/dom.js";
import {
  classOrder,
  formatCell,
  formatRatio,
  heatColors,
  intensity,
  maxOffDiagonal,
  normalizeRows,
  precisionRecall,
  shortNames,
  topConfusions,
} from "./model.js";

const DIAG_RGB = [25, 118, 210];
const OFF_RGB = [230, 81, 0];
export const N_HOT = 5;
const WHITE = [255, 255, 255];

// Up to this many classes the matrix tries to fit its box with compact cells; past it, it
// scrolls sideways anyway, so the cells keep room for "100%".
const MAX_FIT = 24;
const EM_PER_CHAR = 0.62; // about, for the UI font

/**
 * Column widths (em of the table's font) and header texts for the class names `names`. The
 * table fills its box up to its natural width and shrinks to the minimal one before it
 * scrolls sideways; fixed table layout, so the browser never measures 10,000 cells. From 13
 * to 24 classes the cells are compact (smaller font, numbers of at most three characters):
 * 20 classes fit in half of a 1400 px notebook. Names too long for the row headers lose the
 * prefix they all share (see shortNames); column headers turn on their side when the names
 * are wider than a cell.
 * @param {string[]} names
 */
export function sizing(names) {
  const k = names.length;
  const compact = k > 12 && k <= MAX_FIT;
  const head = 8;
  const margin = compact ? 2.8 : 4;
  const cell = k <= 5 ? 7 : compact ? 2.6 : 4;
  const minCell = k <= 5 ? 4 : compact ? 2.1 : k <= 12 ? 2.6 : 3.6;
  const widest = (list) => Math.max(0, ...list.map((s) => String(s).length)) * EM_PER_CHAR + 0.8;
  const shown = widest(names) > head ? shortNames(names) : names.map(String);
  return {
    compact,
    head,
    margin,
    shown,
    natural: head + margin + k * cell,
    minimal: head + margin + k * minCell,
    rotate: widest(shown) > cell,
  };
}

/**
 * Snapshot of what the table shows.
 * @typedef {{classes: string[], counts: Uint32Array, edited: Uint32Array, normalize: boolean,
 *   sortByMass: boolean, selected: number[][]}} Snapshot
 */

/** Hover text of cell (i, j) (set lazily on hover rather than on 10,000 cells). */
export function cellTitle(snap, i, j) {
  const k = snap.classes.length;
  const n = snap.counts[i * k + j];
  const e = snap.edited[i * k + j];
  return (
    `given ${snap.classes[i]}, predicted ${snap.classes[j]}: ${n} row${n === 1 ? "" : "s"}` +
    (e ? ` (${e} relabelled)` : "")
  );
}

function selectionSets(selected, k) {
  const cells = new Set();
  const rows = new Set();
  const cols = new Set();
  for (const [r, c] of selected) {
    if (r >= 0 && c >= 0) cells.add(r * k + c);
    else if (r >= 0) rows.add(r);
    else if (c >= 0) cols.add(c);
  }
  return { cells, rows, cols };
}

/**
 * A table that renders snapshots. `render(snap)` returns true when it rebuilt the structure
 * (focus must then be restored by the caller).
 */
export class MatrixTable {
  constructor() {
    this.table = null;
    this.key = null;
    this.order = [];
    this.natural = 0; // the table's natural width (em) ...
    this.compact = false; // ... and whether its cells are compact: the box it sits in follows
  }

  /**
   * @param {Snapshot} snap
   * @param {number[]} [base] the table's background ([r, g, b]), for the heat colours
   */
  render(snap, base) {
    const k = snap.classes.length;
    const order = classOrder(snap.counts, k, snap.sortByMass);
    const key = `${snap.classes.join("\u0000")}|${order.join(",")}`;
    const rebuilt = key !== this.key;
    if (rebuilt) this.build(snap, order);
    this.key = key;
    this.order = order;
    this.update(snap, base);
    return rebuilt;
  }

  build(snap, order) {
    const { classes } = snap;
    const k = classes.length;
    this.k = k;
    this.td = new Array(k * k);
    this.value = new Array(k * k);
    this.mark = new Array(k * k);
    this.last = Array.from({ length: k * k }, () => ({}));
    this.rowHead = new Array(k);
    this.colHead = new Array(k);
    this.recall = new Array(k);
    this.precision = new Array(k);

    const size = sizing(classes);
    const { shown } = size;
    this.compact = size.compact;
    const cols = el(
      "colgroup",
      {},
      el("col", { style: { width: `${size.head}em` } }),
      ...order.map(() => el("col")), // the cells share what the headers leave
      el("col", { style: { width: `${size.margin}em` } }),
    );
    const name = (text) => el("span", { className: "dcml-confusion-name", text });

    const head = el(
      "tr",
      {},
      el("th", { scope: "col", className: "dcml-confusion-corner", text: "given ↓ predicted →" }),
    );
    order.forEach((j, c) => {
      const title = `predicted ${classes[j]}: click to select the whole column`;
      this.colHead[j] = el(
        "th",
        {
          scope: "col",
          className: "dcml-confusion-colhead",
          dataset: { axis: "predicted", index: String(j), r: "-1", c: String(c) },
          tabindex: "-1",
          title,
        },
        name(shown[j]),
      );
      head.append(this.colHead[j]);
    });
    head.append(
      el("th", { scope: "col", className: "dcml-confusion-margin", title: "recall" }, name("recall")),
    );

    const body = el("tbody");
    order.forEach((i, r) => {
      this.rowHead[i] = el(
        "th",
        {
          scope: "row",
          className: "dcml-confusion-rowhead",
          dataset: { axis: "given", index: String(i), r: String(r), c: "-1" },
          tabindex: "-1",
          title: `given ${classes[i]}: click to select the whole row`,
        },
        name(shown[i]),
      );
      const tr = el("tr", {}, this.rowHead[i]);
      order.forEach((j, c) => {
        const flat = i * k + j;
        const value = el("span", { className: "dcml-confusion-value" });
        const mark = el("span", { className: "dcml-confusion-edited" });
        const td = el(
          "td",
          {
            dataset: { given: String(i), predicted: String(j), r: String(r), c: String(c) },
            tabindex: "-1",
          },
          value,
          mark,
        );
        this.td[flat] = td;
        this.value[flat] = value;
        this.mark[flat] = mark;
        tr.append(td);
      });
      this.recall[i] = el("td", { className: "dcml-confusion-margin" });
      tr.append(this.recall[i]);
      body.append(tr);
    });

    const foot = el("tr", {}, el("th", { scope: "row", text: "precision" }));
    order.forEach((j) => {
      this.precision[j] = el("td");
      foot.append(this.precision[j]);
    });
    foot.append(el("td"));

    this.table = el(
      "table",
      {
        className: `dcml-confusion-table${size.rotate ? " dcml-confusion-rotated" : ""}`,
        role: "grid",
        style: { width: `min(100%, ${size.natural}em)`, minWidth: `${size.minimal}em` },
      },
      el("caption", { text: "Given label (rows) × out-of-sample predicted label (columns)" }),
      cols,
      el("thead", {}, head),
      body,
      el("tfoot", {}, foot),
    );
    this.natural = size.natural;
  }

  /**
   * Show `snap`'s numbers; `base` is the table's background ([r, g, b]) the heat is laid on.
   * @param {Snapshot} snap
   * @param {number[]} [base]
   */
  update(snap, base = WHITE) {
    const { counts, edited, normalize } = snap;
    if (this.base !== String(base)) {
      this.base = String(base); // a new theme: every coloured cell is repainted
      for (const last of this.last) last.bg = undefined;
    }
    const k = this.k;
    const shares = normalizeRows(counts, k);
    const { precision, recall } = precisionRecall(counts, k);
    const maxOff = maxOffDiagonal(counts, k);
    const hot = new Set(topConfusions(counts, k, N_HOT).map((t) => t.row * k + t.col));
    const sel = selectionSets(snap.selected, k);
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) {
        const flat = i * k + j;
        const n = counts[flat];
        const e = edited[flat];
        const diagonal = i === j;
        let cls = "dcml-confusion-cell";
        if (diagonal) cls += " dcml-confusion-diag";
        if (n === 0) cls += " dcml-confusion-zero";
        if (hot.has(flat)) cls += " dcml-confusion-hot";
        const selected = sel.cells.has(flat);
        if (selected) cls += " dcml-confusion-selected";
        else if (sel.rows.has(i) || sel.cols.has(j)) cls += " dcml-confusion-line";
        const strength = intensity(n, shares[flat], maxOff, normalize, diagonal);
        if (strength) cls += " dcml-confusion-heat";
        const heat = strength ? heatColors(diagonal ? DIAG_RGB : OFF_RGB, strength, base) : null;
        const bg = heat ? heat.background : "";
        const text = formatCell(n, shares[flat], normalize, this.compact);
        const markText = e ? `✎${e}` : "";
        const last = this.last[flat];
        const td = this.td[flat];
        if (last.cls !== cls) td.className = last.cls = cls;
        if (last.bg !== bg) {
          td.style.background = last.bg = bg;
          td.style.color = heat ? heat.color : "";
        }
        if (last.text !== text) this.value[flat].textContent = last.text = text;
        if (last.mark !== markText) this.mark[flat].textContent = last.mark = markText;
        if (last.n !== n) td.dataset.count = last.n = n;
        if (last.e !== e) td.dataset.edited = last.e = e;
        if (last.sel !== selected) {
          td.setAttribute("aria-selected", (last.sel = selected) ? "true" : "false");
        }
      }
      this.recall[i].textContent = formatRatio(recall[i], this.compact);
      this.precision[i].textContent = formatRatio(precision[i], this.compact);
      this.rowHead[i].classList.toggle("dcml-confusion-selected", sel.rows.has(i));
      this.colHead[i].classList.toggle("dcml-confusion-selected", sel.cols.has(i));
    }
  }
}

/**
 * The "top confusions" list: buttons carrying data-given / data-predicted.
 * @param {Snapshot} snap
 * @param {number} n
 */
export function buildTopList(snap, n) {
  const k = snap.classes.length;
  const top = topConfusions(snap.counts, k, n);
  const list = el("ol");
  for (const { row, col, count } of top) {
    const button = el("button", {
      type: "button",
      className: "dcml-confusion-pair",
      dataset: { given: String(row), predicted: String(col) },
      title: `${cellTitle(snap, row, col)} (click to select)`,
      text: `${snap.classes[row]} → ${snap.classes[col]}`,
    });
    const countText = el("span", { className: "dcml-confusion-paircount", text: String(count) });
    list.append(el("li", {}, countText, button));
  }
  return el(
    "div",
    { className: "dcml-confusion-top" },
    el("h4", { text: "Top confusions: rows, given → predicted" }),
    top.length ? list : el("p", { text: "No off-diagonal rows." }),
  );
}
