// Reviewing rows: the review keys (keys.js) and the clicks on rows, turned into intents for
// the kernel. The grid keeps every plain key from JupyterLab while it has the keyboard.
import { lifetime } from "../lib/lifetime.js";
import { keyAction, swallow } from "./keys.js";

const isTyping = (target) =>
  (target instanceof HTMLInputElement && target.type !== "checkbox") ||
  target instanceof HTMLSelectElement ||
  target instanceof HTMLTextAreaElement;

/**
 * @param {{
 *   model: any, wrap: HTMLElement, pane: HTMLElement,
 *   cache: import("./pages.js").PageCache, focus: {index: number},
 *   send: (msg: object, buffers?: ArrayBuffer[]) => void,
 *   act: (action: string, row: object, extra?: object) => void,
 *   setFocus: (index: number) => void,
 *   prompts: {openNote: (row: object) => void, openPicker: (row: object) => void},
 *   help: {toggle: () => void, hide: () => void},
 * }} grid
 * @returns {{cleanup: () => void}}
 */
export function bindReview({ model, wrap, pane, cache, focus, send, act, setFocus, prompts, help }) {
  const life = lifetime();
  const classes = () => model.get("classes");
  const toggleSelect = (row) =>
    send({ type: "select", mode: row.selected ? "remove" : "add" }, [Uint32Array.of(row.pos).buffer]);

  function onRowAction(action, row) {
    switch (action.kind) {
      case "relabel":
        return act("relabel", row, { label: classes()[action.classIndex] });
      case "accept":
        return act("accept", row);
      case "exclude":
        return act(row.excluded ? "restore" : "exclude", row);
      case "reviewed":
        return act("reviewed", row);
      case "note":
        return prompts.openNote(row);
      case "picker":
        return prompts.openPicker(row);
      case "select":
        return toggleSelect(row);
      default:
        return undefined;
    }
  }

  life.listen(wrap, "keydown", (event) => {
    if (swallow(event)) event.stopPropagation(); // JupyterLab must never act on these keys
    if (isTyping(event.target)) return;
    const action = keyAction(event, classes().length);
    if (!action) return;
    event.preventDefault();
    if (action.kind === "help") help.toggle();
    else if (action.kind === "close") help.hide();
    else if (action.kind === "move") setFocus(focus.index + action.by);
    else if (action.kind === "undo") send({ type: "undo" });
    else if (action.kind === "redo") send({ type: "redo" });
    else {
      const row = cache.row(focus.index);
      if (row) onRowAction(action, row);
    }
  });

  life.listen(pane, "click", (event) => {
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

  life.listen(pane, "change", (event) => {
    const target = event.target;
    if (!(target instanceof HTMLSelectElement) || !target.classList.contains("dcml-grid-relabel")) return;
    const row = cache.row(Number(target.closest(".dcml-grid-row")?.dataset.index));
    const code = Number(target.value);
    if (row && code >= 0) act("relabel", row, { label: classes()[code] });
  });

  return { cleanup: life.end };
}
