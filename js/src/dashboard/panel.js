// Small building blocks shared by the dashboard panels (header, measure, annotators): the
// panel frame, text-only tables and number formatting. Dataset text is only ever set with
// textContent (through el()).
import { bindErrorBanner, el } from "../lib/dom.js";
import { lifetime } from "../lib/lifetime.js";
import { addStyle } from "../lib/style.js";
import PANEL_CSS from "./panel.css";

/**
 * Format a number for display: `digits` decimals, "–" for null/NaN.
 * @param {number|null|undefined} value
 * @param {number} [digits]
 */
export function fmt(value, digits = 3) {
  if (value === null || value === undefined || Number.isNaN(value)) return "–";
  if (typeof value !== "number") return String(value);
  return Number.isInteger(value) ? String(value) : value.toFixed(digits);
}

/** Format a fraction as a percentage ("93.1%"), "–" when missing. */
export function pct(value, digits = 1) {
  if (value === null || value === undefined || Number.isNaN(value)) return "–";
  return `${(100 * value).toFixed(digits)}%`;
}

/** Format a signed delta ("+0.031", "−0.012", "0"), "–" when missing. */
export function delta(value, digits = 3) {
  if (value === null || value === undefined || Number.isNaN(value)) return "–";
  if (value === 0) return "0";
  const text = Math.abs(value).toFixed(digits);
  return value > 0 ? `+${text}` : `−${text}`;
}

/**
 * A table whose cells are text. `columns` are {key, title, format?, className?}; `rows` are
 * plain objects. A column's `className` may be a function of the row value.
 * @param {{key: string, title: string, format?: (v: any, row: any) => string,
 *          className?: string | ((v: any, row: any) => string)}[]} columns
 * @param {Record<string, any>[]} rows
 * @param {string} className
 */
export function textTable(columns, rows, className) {
  const head = el("tr", {}, ...columns.map((c) => el("th", { scope: "col" }, c.title)));
  const body = rows.map((row) =>
    el(
      "tr",
      {},
      ...columns.map((c) => {
        const value = row[c.key];
        const text = c.format ? c.format(value, row) : fmt(value);
        const cls = typeof c.className === "function" ? c.className(value, row) : c.className;
        return el("td", { className: cls || undefined }, text);
      }),
    ),
  );
  return el("table", { className }, el("thead", {}, head), el("tbody", {}, ...body));
}

/**
 * Render a dashboard panel into `root`: a `<div class="<className> dcml-panel">` with the
 * panel stylesheets and the error banner. `build(container, life)` adds the panel's content
 * and listeners (through `life`) and returns its paint function, which runs now and on every
 * change of `traits`.
 * @param {{model: any, el: HTMLElement}} view what anywidget passes to render
 * @param {{className: string, css: string, traits: string[],
 *          build: (container: HTMLElement, life: ReturnType<typeof lifetime>) => () => void}} panel
 * @returns {() => void} the cleanup: removes every listener and the panel's DOM
 */
export function renderPanel({ model, el: root }, { className, css, traits, build }) {
  const life = lifetime();
  const container = el("div", { className: `${className} dcml-panel` });
  root.append(container);
  life.add(() => container.remove());
  life.add(addStyle(container, PANEL_CSS, css));
  const paint = build(container, life);
  for (const name of traits) life.on(model, `change:${name}`, paint);
  life.add(bindErrorBanner(model, container));
  paint();
  return life.end;
}

/** Class name for a signed change: "dcml-good" when it improved, "dcml-bad" when worse. */
export function signClass(value) {
  if (value === null || value === undefined || Number.isNaN(value) || value === 0) return "";
  return value > 0 ? "dcml-good" : "dcml-bad";
}

/** "1 edit", "3 edits": a count with its noun, plural when needed. */
export function plural(n, noun) {
  return `${fmt(n)} ${noun}${n === 1 ? "" : "s"}`;
}
