// Pure numbers behind the confusion matrix view: margins, normalisation, ordering, the most
// confused pairs, cell text and colours. Counts are a row-major K x K Uint32Array (row =
// given, column = predicted).
import { inkOn, over } from "../lib/color.js";

/** Row sums (rows per given class). */
export function rowSums(counts, k) {
  const out = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let s = 0;
    for (let j = 0; j < k; j++) s += counts[i * k + j];
    out[i] = s;
  }
  return out;
}

/** Column sums (rows per predicted class). */
export function colSums(counts, k) {
  const out = new Float64Array(k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) out[j] += counts[i * k + j];
  return out;
}

/**
 * Per-class precision (diagonal / column sum) and recall (diagonal / row sum); NaN where the
 * class has no predicted (precision) or no given (recall) rows.
 */
export function precisionRecall(counts, k) {
  const rows = rowSums(counts, k);
  const cols = colSums(counts, k);
  const precision = new Float64Array(k);
  const recall = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    const d = counts[i * k + i];
    precision[i] = cols[i] > 0 ? d / cols[i] : NaN;
    recall[i] = rows[i] > 0 ? d / rows[i] : NaN;
  }
  return { precision, recall };
}

/** Share of each cell in its row (0 for empty rows). */
export function normalizeRows(counts, k) {
  const rows = rowSums(counts, k);
  const out = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    if (rows[i] === 0) continue;
    for (let j = 0; j < k; j++) out[i * k + j] = counts[i * k + j] / rows[i];
  }
  return out;
}

/**
 * Display order of the classes. Unsorted: 0..K-1. Sorted: by confusion mass (off-diagonal
 * rows in the class's row plus its column), largest first, ties by index.
 */
export function classOrder(counts, k, sortByMass) {
  const order = Array.from({ length: k }, (_, i) => i);
  if (!sortByMass) return order;
  const rows = rowSums(counts, k);
  const cols = colSums(counts, k);
  const mass = order.map((i) => rows[i] + cols[i] - 2 * counts[i * k + i]);
  return order.sort((a, b) => mass[b] - mass[a] || a - b);
}

/**
 * The `n` off-diagonal cells with the most rows (zero cells never), largest first, ties by
 * (row, col). Each entry: {row, col, count}.
 */
export function topConfusions(counts, k, n) {
  const cells = [];
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const c = counts[i * k + j];
      if (i !== j && c > 0) cells.push({ row: i, col: j, count: c });
    }
  }
  cells.sort((a, b) => b.count - a.count || a.row - b.row || a.col - b.col);
  return cells.slice(0, n);
}

/** A count in at most three characters plus a unit ("999", "1k", "12k", "3M"). */
export function shortCount(count) {
  if (count < 1000) return String(count);
  for (const [unit, size] of [["M", 1e6], ["k", 1e3]]) {
    if (count >= size) return `${Math.floor(count / size)}${unit}`;
  }
  return String(count);
}

/**
 * Text of one cell: the count, or a row share as a percentage. Compact cells (many classes)
 * leave out the "%" (the toggle says it) and shorten large counts; the hover text has them
 * in full.
 */
export function formatCell(count, share, normalized, compact = false) {
  if (!normalized) return compact ? shortCount(count) : String(count);
  if (count === 0) return "0";
  const pct = share * 100;
  const unit = compact ? "" : "%";
  if (pct < 1) return `<1${unit}`;
  return `${Math.round(pct)}${unit}`;
}

/**
 * Names to show in narrow headers: when every class name starts with the same words (the
 * longest common prefix, cut back to its last separator: space - _ . / :), that prefix is
 * dropped and "…" marks where ("category-07-forest" → "…07-forest"); otherwise the names as
 * they are. The full name stays in each header's hover text.
 * @param {string[]} names
 * @returns {string[]}
 */
export function shortNames(names) {
  const all = names.map(String);
  if (all.length < 2) return all;
  let n = 0;
  while (n < all[0].length && all.every((s) => s[n] === all[0][n])) n += 1;
  const prefix = all[0].slice(0, n);
  const cut = Math.max(...[" ", "-", "_", ".", "/", ":"].map((sep) => prefix.lastIndexOf(sep))) + 1;
  if (cut < 3 || all.some((s) => s.length <= cut)) return all;
  return all.map((s) => `…${s.slice(cut)}`);
}

/**
 * A ratio in [0, 1] as text for the margins ("–" when undefined); compact cells drop the
 * leading zero (".85", and "1" for 1.00).
 */
export function formatRatio(value, compact = false) {
  if (!Number.isFinite(value)) return "–";
  const text = value.toFixed(2);
  if (!compact) return text;
  return text === "1.00" ? "1" : text.replace(/^0/, "");
}

/**
 * Background and text colour of a heat cell: the class colour `rgb` at opacity
 * `strength` * 0.55, laid over the table's own background `base` (both [r, g, b]), so the
 * cell is opaque and its text colour can be chosen on what is seen (black or white, whichever
 * contrasts more) in a light and in a dark theme alike.
 * @returns {{background: string, color: string}}
 */
export function heatColors(rgb, strength, base) {
  const seen = over([...rgb, strength * 0.55], base).map(Math.round);
  return { background: `rgb(${seen.join(", ")})`, color: inkOn(seen) };
}

/** Colour strength in [0, 1] of a cell: its share of the row (counts view: of the maximum). */
export function intensity(count, share, maxOffDiagonal, normalized, diagonal) {
  if (count === 0) return 0;
  if (normalized || diagonal) return Math.max(0.08, share);
  return maxOffDiagonal > 0 ? Math.max(0.08, count / maxOffDiagonal) : 0;
}

/** Largest off-diagonal count. */
export function maxOffDiagonal(counts, k) {
  let m = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) if (i !== j && counts[i * k + j] > m) m = counts[i * k + j];
  }
  return m;
}

/**
 * Where keyboard focus goes from (r, c) on `key`, in display coordinates: -1 is the header
 * row / header column, 0..k-1 the cells; the empty corner (-1, -1) is never a target.
 * Returns null if the key does not move focus.
 */
export function moveFocus(r, c, key, k) {
  const clamp = (v) => Math.max(-1, Math.min(k - 1, v));
  let next;
  if (key === "ArrowUp") next = [clamp(r - 1), c];
  else if (key === "ArrowDown") next = [clamp(r + 1), c];
  else if (key === "ArrowLeft") next = [r, clamp(c - 1)];
  else if (key === "ArrowRight") next = [r, clamp(c + 1)];
  else if (key === "Home") next = [r, r === -1 ? 0 : -1];
  else if (key === "End") next = [r, k - 1];
  else return null;
  return next[0] === -1 && next[1] === -1 ? [r, c] : next;
}
