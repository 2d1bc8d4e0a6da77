// The whole text of one cut cell (asked for with its "…" button), shown below the rows.
import { el } from "../lib/dom.js";
import { lifetime } from "../lib/lifetime.js";

/** @returns {{el: HTMLElement, show: (msg: object) => void, cleanup: () => void}} */
export function createExpanded() {
  const life = lifetime();
  const title = el("div", { className: "dcml-grid-expanded-title" });
  const text = el("pre");
  const close = el("button", { type: "button" }, "close");
  const box = el("div", { className: "dcml-grid-expanded" }, title, text, close);
  box.hidden = true;
  life.listen(close, "click", () => {
    box.hidden = true;
  });

  /** Show a "cell" message from the kernel: {id, column, text, cut}. */
  function show(msg) {
    title.textContent = `row ${msg.id} · ${msg.column}${msg.cut ? " (cut at 100,000 characters)" : ""}`;
    text.textContent = msg.text === null ? "" : String(msg.text);
    box.hidden = false;
  }

  return { el: box, show, cleanup: life.end };
}
