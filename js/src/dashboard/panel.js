// Small building blocks shared by the dashboard panels (header, measure, annotators):
// text-only tables, number formatting and a scoped stylesheet. Dataset text is only ever
// set with textContent (through el()).
import { el } from "../lib/dom.js";

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
 * A <style> element with the rules shared by every dashboard panel plus `extra`.
 * @param {string} extra
 */
export function panelStyle(extra = "") {
  const css = `
.dcml-panel { font-family: var(--jp-ui-font-family, system-ui, sans-serif);
  font-size: var(--jp-ui-font-size1, 13px); color: var(--jp-ui-font-color1, #222);
  background: var(--jp-layout-color1, #fff); box-sizing: border-box; }
.dcml-panel button { font: inherit; cursor: pointer; padding: 2px 8px; border-radius: 3px;
  border: 1px solid var(--jp-border-color1, #bbb); background: var(--jp-layout-color2, #f3f3f3);
  color: inherit; }
.dcml-panel button:hover:not(:disabled) { border-color: var(--jp-brand-color1, #1976d2); }
.dcml-panel button:disabled { opacity: 0.5; cursor: default; }
.dcml-panel table { border-collapse: collapse; margin: 4px 0; }
.dcml-panel th, .dcml-panel td { padding: 2px 8px; text-align: right;
  border-bottom: 1px solid var(--jp-border-color2, #e0e0e0); }
.dcml-panel th:first-child, .dcml-panel td:first-child { text-align: left; }
.dcml-panel .dcml-good { color: var(--jp-success-color1, #2e7d32); }
.dcml-panel .dcml-bad { color: var(--jp-error-color1, #c62828); }
.dcml-panel .dcml-muted { color: var(--jp-ui-font-color2, #666); }
.dcml-panel .dcml-error { color: var(--jp-error-color1, #c62828); padding: 4px;
  border: 1px solid var(--jp-error-color1, #c62828); margin: 4px 0; }
${extra}`;
  return el("style", {}, css);
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
