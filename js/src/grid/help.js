// The key help: `?` in the grid shows every key the grid handles (built from keys.js's table,
// so it cannot drift from what the keys do), over the rows. `?` or Escape in the grid, or a
// click anywhere, close it. It listens for nothing while closed: the grid's own keydown
// handler opens it, and only an open panel listens for the closing click.
import { el } from "../lib/dom.js";
import { lifetime } from "../lib/lifetime.js";
import { KEYS } from "./keys.js";

/**
 * @returns {{el: HTMLElement, toggle: () => void, hide: () => void, cleanup: () => void}}
 */
export function createHelp() {
  const rows = KEYS.map((k) =>
    el("tr", {}, el("th", { scope: "row" }, el("kbd", {}, k.label)), el("td", {}, k.help)),
  );
  const panel = el(
    "div",
    { className: "dcml-grid-help", role: "dialog", "aria-label": "Keys of the relabel grid" },
    el("div", { className: "dcml-grid-help-title" }, "Keys (while the grid has the keyboard)"),
    el("table", {}, el("tbody", {}, ...rows)),
    el("div", { className: "dcml-grid-help-close" }, "? or Esc or a click closes this"),
  );
  panel.hidden = true;
  let shown = lifetime(); // the listener of the open panel

  function hide() {
    shown.end();
    panel.hidden = true;
  }
  function show() {
    panel.hidden = false;
    shown = lifetime();
    // Capture: the click closes the panel whatever it lands on, and still does its own job.
    shown.listen(document, "click", hide, true);
  }

  return {
    el: panel,
    toggle: () => (panel.hidden ? show() : hide()),
    hide,
    cleanup: hide,
  };
}
