// Pool rows (no label yet: rows to label, or new data the model will see) are drawn in one
// neutral grey in every colour channel, behind a legend entry of their own that shows and
// hides them whatever the channel. In the issue channel a pool row with an issue (e.g.
// under-represented) keeps its issue's colour: that is where the pool's own findings show.

/** The legend's name for the pool rows. */
export const POOL_NAME = "unlabeled (pool)";

// A mid grey, darker than the "(missing)" / "no issue" greys, readable on both themes.
const POOL_COLOR = { light: "#8c8c8c", dark: "#9a9a9a" };

/** The pool's grey on a light or dark plot. */
export function poolColor(dark = false) {
  return dark ? POOL_COLOR.dark : POOL_COLOR.light;
}

/**
 * The code the pool rows are drawn with: one past the channel's own codes (256 for a
 * continuous channel, whose codes are 0..255).
 * @param {{kind: string, legend: string[]}} header
 */
export function poolCode(header) {
  return header.kind === "continuous" ? 256 : header.legend.length;
}

/**
 * A pool mask (1 = pool row) from the kernel's uint32 pool positions.
 * @param {ArrayLike<number>} positions
 * @param {number} n number of points
 * @returns {Uint8Array}
 */
export function poolMask(positions, n) {
  const mask = new Uint8Array(n);
  for (let i = 0; i < positions.length; i += 1) {
    const p = positions[i];
    if (p >= n) throw new Error(`pool position ${p} out of range`);
    mask[p] = 1;
  }
  return mask;
}

/**
 * The codes to draw: the channel's, with pool rows set to `poolCode(header)`.
 * @param {{header: {name: string, kind: string, legend: string[]}, codes: Uint8Array|Uint16Array}} ch
 * @param {Uint8Array|null} pool
 * @returns {Uint8Array|Uint16Array} the channel's own array when there is no pool row
 */
export function drawnCodes(ch, pool) {
  if (!pool) return ch.codes;
  const code = poolCode(ch.header);
  const keepIssues = ch.header.name === "issue";
  const out = Uint16Array.from(ch.codes);
  for (let i = 0; i < out.length; i += 1) {
    if (pool[i] && !(keepIssues && out[i] !== 0)) out[i] = code;
  }
  return out;
}

/**
 * The code point `i` is drawn with (one entry of `drawnCodes`, without copying them all).
 * @param {{header: {name: string, kind: string, legend: string[]}, codes: Uint8Array|Uint16Array}} ch
 * @param {Uint8Array|null} pool
 * @param {number} i
 */
export function drawnCode(ch, pool, i) {
  const code = ch.codes[i];
  if (!pool || !pool[i] || (ch.header.name === "issue" && code !== 0)) return code;
  return poolCode(ch.header);
}
