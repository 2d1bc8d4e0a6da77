// The rows: a virtual-scrolled pane that draws only the visible rows, from the page cache,
// and asks the kernel for the pages it lacks (plus the next one).
import { el } from "../lib/dom.js";
import { lifetime } from "../lib/lifetime.js";
import { cellFor, template } from "./cells.js";
import { scrollToShow, spacer, visibleRange } from "./scroll.js";

const ROW_H = 36;
const VIEWPORT = 420; // the scroller's CSS height, used until it has been laid out

/**
 * @param {any} model
 * @param {import("./pages.js").PageCache} cache
 * @param {{index: number, painted: () => void}} focus the focused row; told after each paint
 * @returns {{el: HTMLElement, pane: HTMLElement, paint: () => void,
 *            ensureVisible: (index: number) => void, cleanup: () => void}}
 */
export function createRows(model, cache, focus) {
  const life = lifetime();
  const get = (name) => model.get(name);
  const pane = el("div", { className: "dcml-grid-pane" });
  const spacerEl = el("div", { className: "dcml-grid-spacer" }, pane);
  const scroller = el("div", { className: "dcml-grid-scroller" }, spacerEl);

  function requestPages(first, last) {
    const revision = cache.revision;
    for (const start of cache.missing(first, last, get("total"))) {
      cache.markPending(start);
      model.send({ type: "page", start, count: cache.pageSize, revision });
    }
  }

  function rowNode(i, columns, names, gridTemplate) {
    const row = cache.row(i);
    const node = el("div", { className: "dcml-grid-row", role: "row", dataset: { index: String(i) } });
    node.style.gridTemplateColumns = gridTemplate;
    if (i === focus.index) node.classList.add("dcml-grid-focused");
    if (!row) {
      node.classList.add("dcml-grid-loading");
      node.append(el("span"), el("span", {}, "loading…"));
      return node;
    }
    node.dataset.id = String(row.id);
    node.dataset.pos = String(row.pos);
    if (row.selected) node.classList.add("dcml-grid-selected");
    if (row.excluded) node.classList.add("dcml-grid-excluded");
    const check = el("input", { type: "checkbox", className: "dcml-grid-check", title: "select" });
    check.checked = Boolean(row.selected);
    node.append(el("span", {}, check), ...columns.map((c) => cellFor(c, row, names)));
    return node;
  }

  function paint() {
    const total = get("total");
    const columns = get("columns");
    const names = get("class_names");
    const gridTemplate = template(columns);
    spacerEl.style.height = `${Math.max(spacer(total, ROW_H).height, ROW_H)}px`;
    const range = visibleRange(scroller.scrollTop, scroller.clientHeight || VIEWPORT, total, ROW_H);
    pane.style.top = `${range.top}px`;
    const nodes = [];
    for (let i = range.first; i < range.first + range.count; i++) {
      nodes.push(rowNode(i, columns, names, gridTemplate));
    }
    pane.replaceChildren(...nodes);
    requestPages(range.first, range.first + range.count - 1);
    cache.trim(range.first);
    focus.painted();
  }

  /** Scroll so row `index` is in view (no-op when it is). */
  function ensureVisible(index) {
    const viewport = scroller.clientHeight || VIEWPORT;
    const top = scrollToShow(index, scroller.scrollTop, viewport, get("total"), ROW_H);
    if (top !== null) scroller.scrollTop = top;
  }

  life.listen(scroller, "scroll", paint);
  for (const name of ["columns", "sort_by", "ascending"]) life.on(model, `change:${name}`, paint);

  return { el: scroller, pane, paint, ensureVisible, cleanup: life.end };
}
