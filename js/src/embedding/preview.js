// The hover preview of one row, built from text nodes only (dataset strings never become HTML).
import { el } from "../lib/dom.js";

const str = (v) => (v === null || v === undefined ? "" : String(v));

/**
 * Build the preview card of a row.
 * @param {{row: Record<string, any>}} msg
 * @param {string|null} [thumbUrl] object URL of the row's PNG thumbnail (made by the view
 *   from the kernel's buffer, never from dataset text)
 * @returns {HTMLElement}
 */
export function previewCard(msg, thumbUrl = null) {
  const row = msg.row ?? {};
  const lines = [
    ["id", row.id],
    ["label", row.label],
    ["given", row.given !== row.label ? row.given : undefined],
    ["predicted", row.predicted],
    ["suggested", row.suggested || undefined],
    ["label score", row.score === null || row.score === undefined ? undefined : row.score],
    ["issues", Array.isArray(row.issues) && row.issues.length ? row.issues.join(", ") : undefined],
    ["status", row.status !== "unchanged" ? row.status : undefined],
    ["note", row.note],
  ];
  const card = el("div", { className: "dcml-embedding-preview-card" });
  if (thumbUrl) {
    const img = el("img", { className: "dcml-embedding-thumb", alt: "" });
    img.src = thumbUrl;
    card.append(img);
  }
  const table = el("div", { className: "dcml-embedding-preview-fields" });
  const line = (key, value, className) =>
    el("div", { className: `dcml-embedding-preview-row ${className}` },
      el("span", { className: "dcml-embedding-preview-key", text: key }),
      el("span", { className: "dcml-embedding-preview-value", text: str(value) }));
  for (const [key, value] of lines) {
    if (value === undefined || value === "") continue;
    table.append(line(key, value, ""));
  }
  for (const pair of Array.isArray(row.features) ? row.features : []) {
    if (!Array.isArray(pair) || pair.length !== 2) continue;
    table.append(line(str(pair[0]), pair[1], "dcml-embedding-preview-feature"));
  }
  card.append(table);
  return card;
}
