// Colour arithmetic the views need to stay readable in any theme: parse a computed CSS colour,
// lay a translucent colour over an opaque one, and pick the text colour (black or white) with
// the higher WCAG 2 contrast on a background. (No library in the bundle does this; it is a
// few lines of the WCAG formulas.)

/**
 * A computed CSS colour as [r, g, b, a] (r, g, b in 0..255, a in 0..1), or null.
 * Takes "rgb(...)", "rgba(...)", "#rrggbb" and "color(srgb r g b / a)".
 * @param {string} text
 * @returns {number[] | null}
 */
export function parseColor(text) {
  const s = String(text ?? "").trim();
  let m = /^rgba?\(([^)]+)\)$/i.exec(s);
  if (m) {
    const p = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
    if (p.length >= 3 && p.every(Number.isFinite)) return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
    return null;
  }
  m = /^color\(srgb ([^)]+)\)$/i.exec(s);
  if (m) {
    const p = m[1].split(/[\s/]+/).filter(Boolean).map(Number);
    if (p.length >= 3 && p.every(Number.isFinite)) {
      return [p[0] * 255, p[1] * 255, p[2] * 255, p.length > 3 ? p[3] : 1];
    }
    return null;
  }
  m = /^#([0-9a-f]{6})$/i.exec(s);
  if (m) {
    const v = parseInt(m[1], 16);
    return [v >> 16, (v >> 8) & 255, v & 255, 1];
  }
  return null;
}

/**
 * `top` ([r, g, b, a]) drawn over the opaque `bottom` ([r, g, b]): the [r, g, b] seen.
 * @param {number[]} top
 * @param {number[]} bottom
 */
export function over(top, bottom) {
  const a = top.length > 3 ? top[3] : 1;
  return [0, 1, 2].map((i) => top[i] * a + bottom[i] * (1 - a));
}

/** WCAG 2 relative luminance of [r, g, b] (0..255). */
export function luminance(rgb) {
  const lin = (v) => {
    const c = v / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(rgb[0]) + 0.7152 * lin(rgb[1]) + 0.0722 * lin(rgb[2]);
}

/** WCAG 2 contrast ratio of two [r, g, b] colours (1..21). */
export function contrast(a, b) {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/**
 * The text colour for a background [r, g, b]: black or white, whichever contrasts more
 * (at least 4.58:1 on any background).
 * @returns {"#000" | "#fff"}
 */
export function inkOn(rgb) {
  return contrast(rgb, [0, 0, 0]) >= contrast(rgb, [255, 255, 255]) ? "#000" : "#fff";
}
