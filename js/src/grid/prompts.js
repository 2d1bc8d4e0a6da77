// The prompt line above the rows: the note editor (n) and the type-to-filter class picker
// (l). One prompt is open at a time; its listeners go when it closes.
import { el } from "../lib/dom.js";
import { lifetime } from "../lib/lifetime.js";
import { createGuideline } from "./guideline.js";
import { matchClasses } from "./keys.js";

const MAX_PICKS = 30;

/**
 * @param {any} model
 * @param {(action: string, row: object, extra?: object) => void} act sends an action on a row
 * @param {() => void} refocus gives the keyboard back to the grid
 * @returns {{el: HTMLElement, openNote: (row: object) => void,
 *            openPicker: (row: object) => void, cleanup: () => void}}
 */
export function createPrompts(model, act, refocus) {
  const prompt = el("div", { className: "dcml-grid-prompt" });
  prompt.hidden = true;
  const open = lifetime(); // listeners of the open prompt
  const guideline = createGuideline(model); // the active class's guideline under the picker

  function show(...children) {
    prompt.replaceChildren(...children);
    prompt.hidden = false;
  }
  function close() {
    open.end();
    prompt.hidden = true;
    prompt.replaceChildren();
    refocus();
  }
  const onKeys = (target, keys) =>
    open.listen(target, "keydown", (event) => {
      const handler = keys[event.key] ?? (event.key === "Escape" ? close : null);
      if (!handler) return;
      event.preventDefault();
      handler(event);
    });

  function openNote(row) {
    open.end();
    const input = el("input", { type: "text", className: "dcml-grid-note-input", size: "50" });
    input.value = row.note ?? "";
    onKeys(input, {
      Enter: () => {
        act("note", row, { text: input.value });
        close();
      },
    });
    show(el("label", {}, `Note for row ${row.id}: `, input), " Enter saves · Esc cancels");
    input.focus();
  }

  function openPicker(row) {
    open.end();
    const names = model.get("class_names");
    const classes = model.get("classes");
    const input = el("input", {
      type: "text",
      className: "dcml-grid-picker-input",
      placeholder: "type to filter classes",
    });
    const list = el("div", { className: "dcml-grid-picks" });
    let matches = [];
    let active = 0;
    const paintList = () => {
      matches = matchClasses(names, input.value);
      active = Math.min(active, Math.max(0, matches.length - 1));
      list.replaceChildren(
        ...matches.slice(0, MAX_PICKS).map((i, k) =>
          el(
            "button",
            { type: "button", dataset: { cls: String(i) }, className: k === active ? "dcml-grid-active" : "" },
            names[i],
          ),
        ),
      );
      guideline.showFor(matches[active]);
    };
    const pick = (i) => {
      if (i === undefined) return;
      act("relabel", row, { label: classes[i] });
      close();
    };
    const step = (by) => () => {
      active = Math.max(0, Math.min(matches.length - 1, active + by));
      paintList();
    };
    open.listen(input, "input", () => {
      active = 0;
      paintList();
    });
    onKeys(input, { Enter: () => pick(matches[active]), ArrowDown: step(1), ArrowUp: step(-1) });
    open.listen(list, "click", (event) => {
      const cls = event.target?.dataset?.cls;
      if (cls !== undefined) pick(Number(cls));
    });
    show(el("label", {}, `Class for row ${row.id}: `, input), list, guideline.el);
    paintList();
    input.focus();
  }

  const cleanup = () => {
    open.end();
    guideline.cleanup();
  };
  return { el: prompt, openNote, openPicker, cleanup };
}
