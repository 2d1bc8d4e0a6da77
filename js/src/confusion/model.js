// Pure numbers behind the confusion matrix view: margins, normalisation, ordering, the most
// confused pairs. Counts are a row-major K x K Uint32Array (row = given, column = predicted).

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

/** Text of one cell: the count, or a row share as a percentage. */
export function formatCell(count, share, normalized) {
  if (!normalized) return String(count);
  if (count === 0) return "0";
  const pct = share * 100;
  if (pct < 1) return "<1%";
  return `${Math.round(pct)}%`;
}

/** A ratio in [0, 1] as text for the margins ("–" when undefined). */
export function formatRatio(value) {
  return Number.isFinite(value) ? value.toFixed(2) : "–";
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
