// RelabelGrid: a virtual-scrolled review table. The kernel sorts, filters and pages; this
// view shows the rows it is sent, and sends back intents (page requests, actions, focus,
// selection). Dataset text only ever reaches the page as textContent.
import { el, bindErrorBanner, debounce } from "../lib/dom.js";
import { PageCache } from "./pages.js";
import { visibleRange, spacer, scrollToShow } from "./scroll.js";
import { keyAction, swallow, matchClasses, HINT } from "./keys.js";
import { template, className, statusText, scoreText, valueText } from "./cells.js";
import { addStyle } from "../lib/style.js";
import CSS from "./style.css";

const ROW_H = 36;
// Focus moves are written to the kernel once keys stop repeating (every other message
// flushes a pending move first, so the kernel sees intents in the order they were made).
const FOCUS_MS = 60;

function option(value, text, selected) {
  const node = el("option", { value }, text);
  if (selected) node.selected = true;
  return node;
}

function render({ model, el: root }) {
  const cleanups = [];
  const listen = (target, type, fn) => {
    target.addEventListener(type, fn);
    cleanups.push(() => target.removeEventListener(type, fn));
  };
  const onModel = (name, fn) => {
    model.on(name, fn);
    cleanups.push(() => model.off(name, fn));
  };
  const get = (name) => model.get(name);
  // Every message but page requests: a pending focus move goes first (see FOCUS_MS).
  const send = (msg, buffers) => {
    focusWrite.flush();
    model.send(msg, undefined, buffers);
  };

  const cache = new PageCache(
    get("page_size"),
    (buffer) => URL.createObjectURL(new Blob([buffer], { type: "image/png" })),
    (url) => URL.revokeObjectURL(url),
  );
  let focusIndex = Math.max(0, get("focus_index"));
  // Our focus moves are numbered; until the kernel echoes the latest number back, its focus
  // traits describe an older move of ours and must not pull the focus back.
  let focusSeq = 0;
  let movePending = false; // a move not sent yet (its row's page may still be loading)
  let promptOff = []; // listeners of the open note/class prompt

  // ---------------------------------------------------------------- skeleton
  const wrap = el("div", {
    className: "dcml-grid",
    tabindex: "0",
    "data-lm-suppress-shortcuts": "true",
    role: "grid",
    "aria-label": "relabel grid",
  });
  const scopeSel = el("select", { className: "dcml-grid-scope", title: "rows shown" });
  const issueSel = el("select", { className: "dcml-grid-issue", title: "issue filter" });
  const classSel = el("select", { className: "dcml-grid-class", title: "class filter" });
  const statusSel = el("select", { className: "dcml-grid-status", title: "status filter" });
  const disagree = el("input", { type: "checkbox", className: "dcml-grid-disagree" });
  const undoBtn = el("button", { type: "button", className: "dcml-grid-undo" }, "undo");
  const redoBtn = el("button", { type: "button", className: "dcml-grid-redo" }, "redo");
  const count = el("span", { className: "dcml-grid-count" });
  const bar = el(
    "div",
    { className: "dcml-grid-bar" },
    scopeSel,
    issueSel,
    classSel,
    statusSel,
    el("label", {}, disagree, " suggested ≠ given"),
    undoBtn,
    redoBtn,
    count,
  );
  const bulkCount = el("span", { className: "dcml-grid-bulk-count" });
  const bulkLabel = el("select", { className: "dcml-grid-bulk-label" });
  const bulkButtons = ["accept", "exclude", "restore", "reviewed"].map((action) =>
    el("button", { type: "button", dataset: { action } }, action),
  );
  const clearSel = el("button", { type: "button", className: "dcml-grid-clear" }, "clear");
  const bulk = el(
    "div",
    { className: "dcml-grid-bar dcml-grid-bulk" },
    bulkCount,
    bulkLabel,
    ...bulkButtons,
    clearSel,
  );
  const prompt = el("div", { className: "dcml-grid-prompt" });
  prompt.hidden = true;
  const hrow = el("div", { className: "dcml-grid-hrow" });
  const header = el("div", { className: "dcml-grid-header" }, hrow);
  const pane = el("div", { className: "dcml-grid-pane" });
  const spacerEl = el("div", { className: "dcml-grid-spacer" }, pane);
  const scroller = el("div", { className: "dcml-grid-scroller" }, spacerEl);
  const expandedTitle = el("div", { className: "dcml-grid-expanded-title" });
  const expandedText = el("pre");
  const expandedClose = el("button", { type: "button" }, "close");
  const expanded = el(
    "div",
    { className: "dcml-grid-expanded" },
    expandedTitle,
    expandedText,
    expandedClose,
  );
  expanded.hidden = true;
  const hint = el("div", { className: "dcml-grid-hint" }, HINT);
  wrap.append(bar, bulk, prompt, header, scroller, expanded, hint);
  const removeStyle = addStyle(wrap, CSS);
  root.append(wrap);
  const unbindError = bindErrorBanner(model, wrap);

  // ---------------------------------------------------------------- toolbar
  function fillSelect(select, options, current) {
    select.replaceChildren(...options.map(([v, t]) => option(v, t, v === current)));
  }
  function paintBar() {
    const flt = get("filter") || {};
    const names = get("class_names");
    fillSelect(scopeSel, [["all", "all rows"], ["selection", "selection"]], flt.scope || "all");
    fillSelect(
      issueSel,
      [["", "any or no issue"], ["any", "has an issue"], ...get("issue_types").map((t) => [t, `${t} issue`])],
      flt.issue ?? "",
    );
    fillSelect(
      classSel,
      [["", "every class"], ...names.map((n, i) => [String(i), `label: ${n}`])],
      flt.class === null || flt.class === undefined ? "" : String(get("classes").indexOf(flt.class)),
    );
    fillSelect(
      statusSel,
      [["", "any status"], ...["edited", "excluded", "reviewed", "unreviewed", "active"].map((s) => [s, s])],
      flt.status ?? "",
    );
    disagree.checked = Boolean(flt.disagree);
    undoBtn.disabled = !get("can_undo");
    redoBtn.disabled = !get("can_redo");
    count.textContent = `${get("total")} rows`;
    const n = get("n_selected");
    bulk.hidden = n === 0;
    bulkCount.textContent = `${n} selected:`;
    fillSelect(bulkLabel, [["", "relabel to…"], ...names.map((c, i) => [String(i), c])], "");
  }
  function sendFilter() {
    const classes = get("classes");
    send({
      type: "view",
      filter: {
        scope: scopeSel.value,
        issue: issueSel.value || null,
        class: classSel.value === "" ? null : classes[Number(classSel.value)],
        status: statusSel.value || null,
        disagree: disagree.checked,
      },
    });
  }
  for (const select of [scopeSel, issueSel, classSel, statusSel, disagree]) {
    listen(select, "change", sendFilter);
  }
  listen(undoBtn, "click", () => send({ type: "undo" }));
  listen(redoBtn, "click", () => send({ type: "redo" }));
  listen(bulkLabel, "change", () => {
    if (bulkLabel.value === "") return;
    const label = get("classes")[Number(bulkLabel.value)];
    send({ type: "action", action: "relabel", target: "selection", label });
  });
  listen(bulk, "click", (event) => {
    const action = event.target?.dataset?.action;
    if (action) send({ type: "action", action, target: "selection" });
  });
  listen(clearSel, "click", () => send({ type: "select", mode: "replace" }, [new ArrayBuffer(0)]));

  // ---------------------------------------------------------------- header
  function paintHeader() {
    const columns = get("columns");
    const sortBy = get("sort_by");
    const arrow = get("ascending") ? " ▲" : " ▼";
    hrow.style.gridTemplateColumns = template(columns);
    hrow.replaceChildren(
      el("span"),
      ...columns.map((c) => {
        if (c.kind === "thumb") return el("span", {}, c.title);
        return el(
          "button",
          { type: "button", dataset: { key: c.key }, title: `sort by ${c.title}` },
          c.title + (c.key === sortBy ? arrow : ""),
        );
      }),
    );
  }
  listen(hrow, "click", (event) => {
    const key = event.target?.closest?.("button")?.dataset?.key;
    if (!key) return;
    const ascending = key === get("sort_by") ? !get("ascending") : true;
    send({ type: "view", sort: key, ascending });
  });
  listen(scroller, "scroll", () => {
    header.scrollLeft = scroller.scrollLeft;
    paintRows();
  });

  // ---------------------------------------------------------------- rows
  function cellFor(column, row, names) {
    switch (column.kind) {
      case "id":
        return el("span", { title: String(row.id) }, String(row.id));
      case "thumb": {
        const cell = el("span");
        if (row.thumbUrl) {
          const img = el("img", { className: "dcml-grid-thumb", alt: "" });
          img.src = row.thumbUrl; // a Blob URL we made from the PNG buffer, never dataset text
          cell.append(img);
        }
        return cell;
      }
      case "number":
      case "text": {
        const text = valueText(row.cells[column.cell]);
        const cell = el("span", { title: text }, text);
        if (row.trunc.includes(column.title)) {
          cell.append(
            el("button", { type: "button", className: "dcml-grid-more", dataset: { col: column.title } }, "…"),
          );
        }
        return cell;
      }
      case "given":
        return el("span", {}, className(names, row.given));
      case "label": {
        const select = el("select", { className: "dcml-grid-relabel", title: "relabel" });
        select.append(...names.map((n, i) => option(String(i), n, i === row.label)));
        if (row.label < 0) select.prepend(option("-1", "(missing)", true));
        return el(
          "span",
          { className: `dcml-grid-label${row.label !== row.given ? " dcml-grid-edited" : ""}` },
          select,
        );
      }
      case "suggested":
        return el("span", {}, className(names, row.suggested));
      case "score":
        return el("span", {}, scoreText(row.score));
      case "issues":
        return el("span", {}, ...row.issues.map((t) => el("span", { className: "dcml-grid-badge" }, t)));
      case "status":
        return el("span", { className: "dcml-grid-status-cell" }, statusText(row));
      case "note":
        return el("span", { className: "dcml-grid-note", title: row.note ?? "" }, row.note ?? "");
      default:
        return el("span");
    }
  }

  function requestPages(first, last) {
    const total = get("total");
    const revision = cache.revision;
    for (const start of cache.missing(first, last, total)) {
      cache.markPending(start);
      model.send({ type: "page", start, count: cache.pageSize, revision });
    }
  }

  function paintRows() {
    const total = get("total");
    const columns = get("columns");
    const names = get("class_names");
    const gridTemplate = template(columns);
    const { height } = spacer(total, ROW_H);
    spacerEl.style.height = `${Math.max(height, ROW_H)}px`;
    const range = visibleRange(scroller.scrollTop, scroller.clientHeight || 420, total, ROW_H);
    pane.style.top = `${range.top}px`;
    const rows = [];
    for (let i = range.first; i < range.first + range.count; i++) {
      const row = cache.row(i);
      const node = el("div", {
        className: "dcml-grid-row",
        role: "row",
        dataset: { index: String(i) },
      });
      node.style.gridTemplateColumns = gridTemplate;
      if (i === focusIndex) node.classList.add("dcml-grid-focused");
      if (!row) {
        node.classList.add("dcml-grid-loading");
        node.append(el("span"), el("span", {}, "loading…"));
      } else {
        node.dataset.id = String(row.id);
        node.dataset.pos = String(row.pos);
        if (row.selected) node.classList.add("dcml-grid-selected");
        if (row.excluded) node.classList.add("dcml-grid-excluded");
        const check = el("input", { type: "checkbox", className: "dcml-grid-check", title: "select" });
        check.checked = Boolean(row.selected);
        node.append(el("span", {}, check), ...columns.map((c) => cellFor(c, row, names)));
      }
      rows.push(node);
    }
    pane.replaceChildren(...rows);
    requestPages(range.first, range.first + range.count - 1);
    cache.trim(range.first);
    if (movePending) focusWrite();
  }

  // ---------------------------------------------------------------- focus
  function ensureVisible() {
    const top = scrollToShow(focusIndex, scroller.scrollTop, scroller.clientHeight || 420, get("total"), ROW_H);
    if (top !== null) scroller.scrollTop = top;
  }
  function sendFocus() {
    const row = cache.row(focusIndex);
    if (!movePending || !row) return; // an unloaded row is sent by paintRows once it arrives
    movePending = false;
    model.send({ type: "focus", position: row.pos, seq: focusSeq });
  }
  const focusWrite = debounce(sendFocus, FOCUS_MS);
  function setFocus(index) {
    const total = get("total");
    if (total === 0) return;
    focusIndex = Math.max(0, Math.min(total - 1, index));
    focusSeq += 1;
    movePending = true; // paintRows (re)starts the debounced write
    ensureVisible();
    paintRows();
  }
  function followModelFocus() {
    if ((get("focus_seq") ?? 0) < focusSeq) return; // the kernel has not seen our last move
    const idx = get("focus_index");
    if (idx >= 0 && idx !== focusIndex) {
      focusIndex = idx;
      ensureVisible();
      paintRows();
    }
  }

  // ---------------------------------------------------------------- actions
  function act(action, row, extra = {}) {
    send({ type: "action", action, ids: [row.id], ...extra });
  }
  function toggleSelect(row) {
    const mode = row.selected ? "remove" : "add";
    send({ type: "select", mode }, [Uint32Array.of(row.pos).buffer]);
  }
  const listenPrompt = (target, type, fn) => {
    target.addEventListener(type, fn);
    promptOff.push(() => target.removeEventListener(type, fn));
  };
  const unlistenPrompt = () => {
    for (const off of promptOff.splice(0)) off();
  };
  function closePrompt() {
    unlistenPrompt();
    prompt.hidden = true;
    prompt.replaceChildren();
    wrap.focus({ preventScroll: true });
  }
  function openNote(row) {
    const input = el("input", { type: "text", className: "dcml-grid-note-input", size: "50" });
    input.value = row.note ?? "";
    unlistenPrompt();
    listenPrompt(input, "keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        act("note", row, { text: input.value });
        closePrompt();
      } else if (event.key === "Escape") {
        event.preventDefault();
        closePrompt();
      }
    });
    prompt.replaceChildren(el("label", {}, `Note for row ${row.id}: `, input), " Enter saves · Esc cancels");
    prompt.hidden = false;
    input.focus();
  }
  function openPicker(row) {
    const names = get("class_names");
    const classes = get("classes");
    const input = el("input", { type: "text", className: "dcml-grid-picker-input", placeholder: "type to filter classes" });
    const list = el("div", { className: "dcml-grid-picks" });
    let matches = [];
    let active = 0;
    const paintList = () => {
      matches = matchClasses(names, input.value);
      active = Math.min(active, Math.max(0, matches.length - 1));
      list.replaceChildren(
        ...matches.slice(0, 30).map((i, k) =>
          el("button", { type: "button", dataset: { cls: String(i) }, className: k === active ? "dcml-grid-active" : "" }, names[i]),
        ),
      );
    };
    const pick = (i) => {
      if (i === undefined) return;
      act("relabel", row, { label: classes[i] });
      closePrompt();
    };
    unlistenPrompt();
    listenPrompt(input, "input", () => {
      active = 0;
      paintList();
    });
    listenPrompt(input, "keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        pick(matches[active]);
      } else if (event.key === "Escape") {
        event.preventDefault();
        closePrompt();
      } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        active = Math.max(0, Math.min(matches.length - 1, active + (event.key === "ArrowDown" ? 1 : -1)));
        paintList();
      }
    });
    listenPrompt(list, "click", (event) => {
      const cls = event.target?.dataset?.cls;
      if (cls !== undefined) pick(Number(cls));
    });
    prompt.replaceChildren(el("label", {}, `Class for row ${row.id}: `, input), list);
    prompt.hidden = false;
    paintList();
    input.focus();
  }

  const onKey = (event) => {
    if (swallow(event)) event.stopPropagation(); // JupyterLab must never act on these keys
    const target = event.target;
    const typing = target instanceof HTMLInputElement || target instanceof HTMLSelectElement ||
      target instanceof HTMLTextAreaElement;
    if (typing && !(target.type === "checkbox")) return;
    const action = keyAction(event, get("classes").length);
    if (!action) return;
    event.preventDefault();
    if (action.kind === "move") return setFocus(focusIndex + action.by);
    if (action.kind === "undo") return send({ type: "undo" });
    if (action.kind === "redo") return send({ type: "redo" });
    const row = cache.row(focusIndex);
    if (!row) return;
    switch (action.kind) {
      case "relabel":
        return act("relabel", row, { label: get("classes")[action.classIndex] });
      case "accept":
        return act("accept", row);
      case "exclude":
        return act(row.excluded ? "restore" : "exclude", row);
      case "reviewed":
        return act("reviewed", row);
      case "note":
        return openNote(row);
      case "picker":
        return openPicker(row);
      case "select":
        return toggleSelect(row);
      default:
        return undefined;
    }
  };
  listen(wrap, "keydown", onKey);

  listen(pane, "click", (event) => {
    const target = event.target;
    const node = target?.closest?.(".dcml-grid-row");
    if (!node || node.dataset.pos === undefined) return;
    const index = Number(node.dataset.index);
    const row = cache.row(index);
    if (!row) return;
    if (target.classList.contains("dcml-grid-more")) {
      send({ type: "cell", id: row.id, column: target.dataset.col });
      return;
    }
    if (target.classList.contains("dcml-grid-check") || event.shiftKey || event.ctrlKey || event.metaKey) {
      toggleSelect(row);
    }
    if (target instanceof HTMLSelectElement) return;
    setFocus(index);
    wrap.focus({ preventScroll: true });
  });
  listen(pane, "change", (event) => {
    const target = event.target;
    if (!(target instanceof HTMLSelectElement) || !target.classList.contains("dcml-grid-relabel")) return;
    const node = target.closest(".dcml-grid-row");
    const row = cache.row(Number(node?.dataset.index));
    const code = Number(target.value);
    if (row && code >= 0) act("relabel", row, { label: get("classes")[code] });
  });
  listen(expandedClose, "click", () => {
    expanded.hidden = true;
  });

  // ---------------------------------------------------------------- kernel -> view
  const onMessage = (msg, buffers) => {
    if (msg?.type === "page") {
      if (cache.accept(msg, buffers)) paintRows();
    } else if (msg?.type === "cell") {
      expandedTitle.textContent = `row ${msg.id} · ${msg.column}${msg.cut ? " (cut at 100,000 characters)" : ""}`;
      expandedText.textContent = msg.text === null ? "" : String(msg.text);
      expanded.hidden = false;
    }
  };
  onModel("msg:custom", onMessage);
  const onRevision = () => {
    cache.reset(get("revision"));
    followModelFocus();
    paintRows();
  };
  onModel("change:revision", onRevision);
  onModel("change:focus_position", followModelFocus);
  onModel("change:focus_index", followModelFocus);
  onModel("change:focus_seq", followModelFocus);
  const onBar = () => paintBar();
  for (const name of ["filter", "class_names", "issue_types", "can_undo", "can_redo", "total", "n_selected"]) {
    onModel(`change:${name}`, onBar);
  }
  const onColumns = () => {
    paintHeader();
    paintRows();
  };
  for (const name of ["columns", "sort_by", "ascending"]) onModel(`change:${name}`, onColumns);

  cache.reset(get("revision"));
  paintBar();
  paintHeader();
  paintRows();
  if (get("focus_index") >= 0) ensureVisible();

  return () => {
    for (const cleanup of cleanups.splice(0)) cleanup();
    unlistenPrompt();
    focusWrite.cancel();
    unbindError();
    removeStyle();
    cache.clear();
    wrap.remove();
  };
}

export default { render };
