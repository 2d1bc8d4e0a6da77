// Codecs of the embedding view: layout and colour-channel buffers from the kernel, diffs
// applied in place, and the point columns the scatter draws.
import { decode } from "../lib/wire.js";

const CODE_DTYPES = new Set(["uint8", "uint16"]);

/** Largest uint16 position code (the kernel's QUANT_MAX). */
const QUANT_MAX = 65535;

/**
 * Decode interleaved uint16 positions (x0, y0, x1, y1, ...) quantised within `box` into
 * float32 x and y columns: `lo + code / 65535 * (hi - lo)`.
 * @param {DataView|ArrayBuffer|ArrayBufferView} buffer
 * @param {number} n expected number of points
 * @param {number[]} box [xLo, xHi, yLo, yHi]
 * @returns {{x: Float32Array, y: Float32Array}}
 */
export function decodeLayout(buffer, n, box) {
  const q = decode(buffer, "uint16");
  if (q.length !== 2 * n) {
    throw new Error(`layout has ${q.length / 2} points, expected ${n}`);
  }
  if (!Array.isArray(box) || box.length !== 4 || !box.every(Number.isFinite)) {
    throw new Error("layout box must be four finite numbers");
  }
  const [x0, x1, y0, y1] = box;
  const sx = (x1 - x0) / QUANT_MAX;
  const sy = (y1 - y0) / QUANT_MAX;
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i += 1) {
    x[i] = x0 + q[2 * i] * sx;
    y[i] = y0 + q[2 * i + 1] * sy;
  }
  return { x, y };
}

/**
 * Decode one colour channel's codes (a copy, so patches never write into a kernel buffer).
 * @param {DataView|ArrayBuffer|ArrayBufferView} buffer
 * @param {{dtype: string, legend: string[], kind: string}} header
 * @param {number} n expected number of points
 * @returns {Uint8Array|Uint16Array}
 */
export function decodeCodes(buffer, header, n) {
  if (!CODE_DTYPES.has(header.dtype)) throw new Error(`unknown code dtype ${header.dtype}`);
  const codes = decode(buffer, header.dtype).slice();
  if (codes.length !== n) throw new Error(`channel has ${codes.length} codes, expected ${n}`);
  return codes;
}

/**
 * Apply a diff to `codes` in place: `codes[positions[i]] = values[i]`.
 * @param {Uint8Array|Uint16Array} codes
 * @param {Uint32Array} positions
 * @param {Uint8Array|Uint16Array} values
 * @returns {number} how many codes changed
 */
export function applyPatch(codes, positions, values) {
  if (positions.length !== values.length) {
    throw new Error(`patch has ${positions.length} positions but ${values.length} codes`);
  }
  let changed = 0;
  for (let i = 0; i < positions.length; i += 1) {
    const p = positions[i];
    if (p >= codes.length) throw new Error(`patch position ${p} out of range`);
    if (codes[p] !== values[i]) changed += 1;
    codes[p] = values[i];
  }
  return changed;
}

/**
 * Column-oriented points for the scatter: x, y and the colour code as valueA.
 * @param {{x: Float32Array, y: Float32Array}} layout
 * @param {Uint8Array|Uint16Array} codes
 */
export function toPoints(layout, codes) {
  return { x: layout.x, y: layout.y, valueA: codes };
}

/**
 * Indices of points whose code is not hidden (for the legend's on/off toggles).
 * @param {Uint8Array|Uint16Array} codes
 * @param {Set<number>} hidden
 * @returns {Uint32Array|null} null when nothing is hidden
 */
export function visibleIndices(codes, hidden) {
  if (!hidden || hidden.size === 0) return null;
  let count = 0;
  for (let i = 0; i < codes.length; i += 1) if (!hidden.has(codes[i])) count += 1;
  const out = new Uint32Array(count);
  let j = 0;
  for (let i = 0; i < codes.length; i += 1) if (!hidden.has(codes[i])) out[j++] = i;
  return out;
}

/**
 * Count of points per code (legend counts).
 * @param {Uint8Array|Uint16Array} codes
 * @param {number} nCodes
 */
export function countCodes(codes, nCodes) {
  const counts = new Uint32Array(nCodes);
  for (let i = 0; i < codes.length; i += 1) if (codes[i] < nCodes) counts[codes[i]] += 1;
  return counts;
}

/**
 * Selection to send to the kernel: uint32 row positions, sorted and unique.
 * @param {ArrayLike<number>} points
 * @returns {Uint32Array}
 */
export function encodeSelection(points) {
  const out = Uint32Array.from(points);
  out.sort();
  let j = 0;
  for (let i = 0; i < out.length; i += 1) if (i === 0 || out[i] !== out[j - 1]) out[j++] = out[i];
  return out.slice(0, j);
}
