// What each grid cell shows, as plain text (dataset text is only ever set as textContent).

const WIDTHS = {
  check: "28px",
  id: "90px",
  thumb: "44px",
  number: "90px",
  text: "200px",
  given: "100px",
  label: "140px",
  suggested: "110px",
  score: "90px",
  issues: "150px",
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

/** A score with three decimals, or empty when there is none. */
export function scoreText(score) {
  return typeof score === "number" && Number.isFinite(score) ? score.toFixed(3) : "";
}

/** A dataset value as text (numbers compactly, missing as empty). */
export function valueText(value) {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") {
    return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(5)));
  }
  return String(value);
}
