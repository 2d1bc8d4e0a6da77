// Colours of the embedding view's channels: one hex colour per code.

const CATEGORICAL = [
  "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
  "#9c755f", "#bab0ac", "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
  "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
];
// The neutral colours (no value; rows left as they were) recede into the background: light
// greys on a light plot, dark greys on a dark one.
const NEUTRAL = {
  light: { missing: "#c8c8c8", unchanged: "#b4bcc8" },
  dark: { missing: "#5c5c5c", unchanged: "#68707c" },
};
const STATUS = { reviewed: "#59a14f", edited: "#f28e2b", excluded: "#e15759" };

const hex = (v) => Math.round(Math.max(0, Math.min(255, v))).toString(16).padStart(2, "0");

/** A distinct colour for category `i` (a fixed list, then golden-angle hues). */
export function categoryColor(i) {
  if (i < CATEGORICAL.length) return CATEGORICAL[i];
  const hue = (i * 137.508) % 360;
  return hslToHex(hue, 0.55, 0.5);
}

/** HSL (h in degrees, s and l in [0, 1]) to "#rrggbb". */
export function hslToHex(h, s, l) {
  const a = s * Math.min(l, 1 - l);
  const f = (n) => {
    const k = (n + h / 30) % 12;
    return l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
  };
  return `#${hex(f(0) * 255)}${hex(f(8) * 255)}${hex(f(4) * 255)}`;
}

/** Score ramp: code 0 (likely wrong) red through yellow to 254 (likely right) teal. */
export function scoreColor(code, missing = NEUTRAL.light.missing) {
  if (code >= 255) return missing;
  const t = code / 254;
  const stops = [[215, 48, 39], [254, 224, 139], [26, 152, 80]];
  const seg = t < 0.5 ? 0 : 1;
  const u = t < 0.5 ? t * 2 : (t - 0.5) * 2;
  const [a, b] = [stops[seg], stops[seg + 1]];
  return `#${hex(a[0] + (b[0] - a[0]) * u)}${hex(a[1] + (b[1] - a[1]) * u)}${hex(a[2] + (b[2] - a[2]) * u)}`;
}

/**
 * One colour per code of a channel.
 * @param {{name: string, kind: string, legend: string[]}} header
 * @param {{dark?: boolean}} [theme] dark: the plot's background is dark
 * @returns {string[]}
 */
export function paletteFor(header, { dark = false } = {}) {
  const neutral = dark ? NEUTRAL.dark : NEUTRAL.light;
  const missing = neutral.missing;
  if (header.kind === "continuous") return Array.from({ length: 256 }, (_, i) => scoreColor(i, missing));
  const { legend, name } = header;
  if (name === "status") {
    return legend.map((s, i) => (s === "unchanged" ? neutral.unchanged : (STATUS[s] ?? categoryColor(i))));
  }
  if (name === "issue") return legend.map((_, i) => (i === 0 ? missing : categoryColor(i - 1)));
  // label / predicted: the last entry is "(missing)"
  return legend.map((_, i) => (i === legend.length - 1 ? missing : categoryColor(i)));
}
