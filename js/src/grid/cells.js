// What each grid cell shows: its text (dataset text is only ever set as textContent) and the
// element of each column kind.
import { el, option } from "../lib/dom.js";
import { groupButtons } from "./groups.js";

const WIDTHS = {
  check: "28px",
  id: "90px",
  thumb: "44px",
  number: "90px",
  text: "200px",
  given: "100px",
  label: "140px",
  suggested: "110px",
  score: "110px",
  issues: "150px",
  rules: "220px",
  status: "140px",
  note: "180px",
};

/** CSS grid-template-columns for the column descriptors (plus the selection checkbox). */
export function template(columns) {
  return [WIDTHS.check, ...columns.map((c) => WIDTHS[c.kind] ?? "120px")].join(" ");
}

/** Display text of a class code (-1 or unknown: empty). */
export function className(names, code) {
  return Number.isInteger(code) && code >= 0 && code < names.length ? String(names[code]) : "";
}

/** "excluded · edited · reviewed" (only those that hold). */
export function statusText(row) {
  const parts = [];
  if (row.excluded) parts.push("excluded");
  if (row.label !== row.given) parts.push("edited");
  if (row.reviewed) parts.push("reviewed");
  return parts.join(" · ");
}

/**
 * A score with three significant digits, so rows sorted by it read in order even where the
 * scores are tiny (cleanlab's label scores of the worst rows are often below 0.001): "0.412",
 * "0.00312", and below 0.001 in e-notation, "5.20e-7". Empty when there is none.
 */
export function scoreText(score) {
  if (typeof score !== "number" || !Number.isFinite(score)) return "";
  if (score === 0) return "0";
  return Math.abs(score) < 0.001 ? score.toExponential(2) : score.toPrecision(3);
}

/**
 * The failed expectations of a row as text: "pixel_3 less_than_or_equal_to; writer isin",
 * then "(+2 more)" when the row broke more rules than it carries.
 * @param {{rules?: {column: string, rule: string, value: string}[], n_rules?: number}} row
 */
export function rulesText(row) {
  const rules = row.rules ?? [];
  const text = rules.map((r) => `${r.column} ${r.rule}`).join("; ");
  const more = (row.n_rules ?? rules.length) - rules.length;
  return more > 0 ? `${text} (+${more} more)` : text;
}

/** One line per failed rule, with the value that broke it (the cell's tooltip). */
export function rulesTitle(row) {
  return (row.rules ?? [])
    .map((r) => `${r.column}: ${r.rule}${r.value === "" ? " (missing)" : ` (value ${r.value})`}`)
    .join("\n");
}

/** A dataset value as text (numbers compactly, missing as empty). */
export function valueText(value) {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") {
    return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(5)));
  }
  return String(value);
}

/**
 * The element of one cell.
 * @param {{kind: string, title: string, cell?: number}} column
 * @param {Record<string, any>} row a row of a page message (plus its thumbnail's Blob URL)
 * @param {string[]} names display names of the classes
 * @returns {HTMLElement}
 */
export function cellFor(column, row, names) {
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
      return el(
        "span",
        {},
        ...groupButtons(row),
        ...row.issues.map((t) => el("span", { className: "dcml-grid-badge" }, t)),
      );
    case "rules":
      return el("span", { className: "dcml-grid-rules", title: rulesTitle(row) }, rulesText(row));
    case "status":
      return el("span", { className: "dcml-grid-status-cell" }, statusText(row));
    case "note":
      return el("span", { className: "dcml-grid-note", title: row.note ?? "" }, row.note ?? "");
    default:
      return el("span");
  }
}
