// The legend of the active colour channel: swatches that toggle a category on and off, or a
// colour ramp for a continuous channel. Names are set as text. Each item carries its code in
// data-code, for the one delegated click listener.
import { el } from "../lib/dom.js";
import { lifetime } from "../lib/lifetime.js";
import { countCodes } from "./codec.js";
import { paletteFor } from "./palette.js";

/**
 * Render the legend into `container` (replacing what was there).
 * @param {HTMLElement} container
 * @param {{kind: string, legend: string[]}} header
 * @param {string[]} palette one colour per code
 * @param {Uint32Array|null} counts points per code
 * @param {Set<number>} hidden codes toggled off
 */
export function renderLegend(container, header, palette, counts, hidden) {
  container.replaceChildren();
  if (header.kind === "continuous") {
    const stops = [0, 64, 127, 191, 254].map((c) => palette[c]).join(", ");
    container.append(
      el("span", { className: "dcml-embedding-legend-end", text: header.legend[0] }),
      el("span", {
        className: "dcml-embedding-ramp",
        style: { background: `linear-gradient(to right, ${stops})` },
      }),
      el("span", { className: "dcml-embedding-legend-end", text: header.legend[1] }),
    );
    return;
  }
  header.legend.forEach((name, code) => {
    const n = counts ? counts[code] : 0;
    if (counts && n === 0) return;
    const off = hidden.has(code);
    const item = el(
      "button",
      {
        type: "button",
        className: `dcml-embedding-legend-item${off ? " dcml-embedding-off" : ""}`,
        title: off ? "show" : "hide",
        dataset: { code: String(code) },
        "aria-pressed": off ? "false" : "true",
      },
      el("span", { className: "dcml-embedding-swatch", style: { background: palette[code] } }),
      el("span", { className: "dcml-embedding-legend-name", text: name }),
      counts ? el("span", { className: "dcml-embedding-legend-count", text: ` ${n}` }) : null,
    );
    container.append(item);
  });
}

/**
 * The legend code a click landed on, or null.
 * @param {Event} event
 */
export function legendCodeOf(event) {
  const item = event.target?.closest?.(".dcml-embedding-legend-item");
  if (!item) return null;
  const code = Number(item.dataset.code);
  return Number.isInteger(code) ? code : null;
}

/**
 * The legend piece: shows the active channel and toggles its categories on click.
 * @param {import("./points.js").PointData} points
 * @param {() => string} active name of the active channel
 * @param {() => void} onToggle runs after a category was shown or hidden
 * @param {() => boolean} [dark] true when the plot's background is dark (the palette follows)
 * @returns {{el: HTMLElement, paint: () => void, cleanup: () => void}}
 */
export function createLegend(points, active, onToggle, dark = () => false) {
  const life = lifetime();
  const legend = el("div", { className: "dcml-embedding-legend" });
  life.listen(legend, "click", (event) => {
    const code = legendCodeOf(event);
    if (code === null) return;
    points.toggleHidden(code);
    onToggle();
  });
  function paint() {
    const ch = points.channel(active());
    if (!ch) {
      legend.replaceChildren();
      return;
    }
    const { header, codes } = ch;
    const counts = header.kind === "categorical" ? countCodes(codes, header.legend.length) : null;
    renderLegend(legend, header, paletteFor(header, { dark: dark() }), counts, points.hidden);
  }
  return { el: legend, paint, cleanup: life.end };
}
