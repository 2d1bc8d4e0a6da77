// RelabelGrid: a virtual-scrolled review table. The kernel sorts, filters and pages; this
// view shows the rows it is sent, and sends back intents (page requests, actions, focus,
// selection). Dataset text only ever reaches the page as textContent.
//
// The pieces: toolbar.js (filters, undo/redo, bulk actions), header.js (sorting), rows.js
// (virtual scroll and paging), focus.js (the focused row), review.js (keys and clicks on
// rows), prompts.js (note and class picker), expanded.js (a cut cell's whole text), help.js
// (the key help, `?`).
import { bindErrorBanner, el } from "../lib/dom.js";
import { lifetime } from "../lib/lifetime.js";
import { addStyle } from "../lib/style.js";
import { createExpanded } from "./expanded.js";
import { createFocus } from "./focus.js";
import { bindGroups } from "./groups.js";
import { createHeader } from "./header.js";
import { createHelp } from "./help.js";
import { HINT } from "./keys.js";
import { PageCache } from "./pages.js";
import { createPrompts } from "./prompts.js";
import { bindReview } from "./review.js";
import { createRows } from "./rows.js";
import { createToolbar } from "./toolbar.js";
import CSS from "./style.css";

function render({ model, el: root }) {
  const life = lifetime();
  const get = (name) => model.get(name);
  const wrap = el("div", {
    className: "dcml-grid",
    tabindex: "0",
    "data-lm-suppress-shortcuts": "true",
    role: "grid",
    "aria-label": "relabel grid",
  });
  root.append(wrap);
  life.add(() => wrap.remove());
  life.add(addStyle(wrap, CSS));

  const cache = new PageCache(
    get("page_size"),
    (buffer) => URL.createObjectURL(new Blob([buffer], { type: "image/png" })),
    (url) => URL.revokeObjectURL(url),
  );
  life.add(() => cache.clear());
  const focus = createFocus(model, cache);
  // Every message but page requests and focus writes: a pending focus move goes first.
  const send = (msg, buffers) => {
    focus.flush();
    model.send(msg, undefined, buffers);
  };
  const act = (action, row, extra = {}) => send({ type: "action", action, ids: [row.id], ...extra });
  const refocus = () => wrap.focus({ preventScroll: true });

  const toolbar = createToolbar(model, send);
  const prompts = createPrompts(model, act, refocus);
  const header = createHeader(model, send);
  const rows = createRows(model, cache, focus);
  const expanded = createExpanded();
  const help = createHelp();
  const showFocus = () => {
    rows.ensureVisible(focus.index);
    rows.paint();
  };
  const setFocus = (index) => {
    if (focus.move(index)) showFocus();
  };
  const followFocus = () => {
    if (focus.follow()) showFocus();
  };
  const review = bindReview({
    model,
    wrap,
    pane: rows.pane,
    cache,
    focus,
    send,
    act,
    setFocus,
    prompts,
    help,
  });
  const groups = bindGroups({ model, pane: rows.pane, cache, send });
  const pieces = [focus, toolbar, prompts, header, rows, expanded, help, review, groups];
  life.add(() => {
    for (const piece of pieces.reverse()) piece.cleanup();
  });

  wrap.append(
    ...toolbar.els,
    prompts.el,
    header.el,
    rows.el,
    expanded.el,
    help.el,
    el("div", { className: "dcml-grid-hint" }, HINT),
  );
  life.add(bindErrorBanner(model, wrap));
  life.listen(rows.el, "scroll", () => {
    header.el.scrollLeft = rows.el.scrollLeft;
  });

  life.on(model, "msg:custom", (msg, buffers) => {
    if (msg?.type === "page") {
      if (cache.accept(msg, buffers)) rows.paint();
    } else if (msg?.type === "cell") {
      expanded.show(msg);
    }
  });
  life.on(model, "change:revision", () => {
    cache.reset(get("revision"));
    followFocus();
    rows.paint();
  });
  for (const name of ["focus_position", "focus_index", "focus_seq"]) {
    life.on(model, `change:${name}`, followFocus);
  }

  cache.reset(get("revision"));
  toolbar.paint();
  header.paint();
  rows.paint();
  if (get("focus_index") >= 0) rows.ensureVisible(focus.index);
  return life.end;
}

export default { render };
