// The legend of the active colour channel: swatches that toggle a category on and off, or a
// colour ramp for a continuous channel. Names are set as text. Each item carries its code in
// data-code ("pool" for the pool rows' entry, shown in every channel), for the one delegated
// click listener.
import { el } from "../lib/dom.js";
import { lifetime } from "../lib/lifetime.js";
import { countCodes } from "./codec.js";
import { paletteFor } from "./palette.js";
import { POOL_NAME, poolCode, poolColor } from "./pool.js";

/**
 * Render the legend into `container` (replacing what was there).
 * @param {HTMLElement} container
 * @param {{kind: string, legend: string[]}} header
 * @param {string[]} palette one colour per code
 * @param {Uint32Array|null} counts points per code
 * @param {Set<number>} hidden codes toggled off
 * @param {{count: number, hidden: boolean, color: string} | null} [pool] the pool rows'
 *   entry (none when null or empty)
 */
export function renderLegend(container, header, palette, counts, hidden, pool = null) {
  container.replaceChildren();
  const poolItem = pool && pool.count > 0 ? legendItem("pool", POOL_NAME, pool.color, pool.count, pool.hidden) : null;
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
    if (poolItem) container.append(poolItem);
    return;
  }
  header.legend.forEach((name, code) => {
    const n = counts ? counts[code] : 0;
    if (counts && n === 0) return;
    container.append(legendItem(String(code), name, palette[code], counts ? n : null, hidden.has(code)));
  });
  if (poolItem) container.append(poolItem);
}

function legendItem(code, name, color, n, off) {
  return el(
    "button",
    {
      type: "button",
      className: `dcml-embedding-legend-item${off ? " dcml-embedding-off" : ""}`,
      title: off ? "show" : "hide",
      dataset: { code },
      "aria-pressed": off ? "false" : "true",
    },
    el("span", { className: "dcml-embedding-swatch", style: { background: color } }),
    el("span", { className: "dcml-embedding-legend-name", text: name }),
    n !== null ? el("span", { className: "dcml-embedding-legend-count", text: ` ${n}` }) : null,
  );
}

/**
 * The legend code a click landed on ("pool" for the pool rows' entry), or null.
 * @param {Event} event
 * @returns {number | "pool" | null}
 */
export function legendCodeOf(event) {
  const item = event.target?.closest?.(".dcml-embedding-legend-item");
  if (!item) return null;
  if (item.dataset.code === "pool") return "pool";
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
    if (code === "pool") points.togglePool();
    else points.toggleHidden(code);
    onToggle();
  });
  function paint() {
    const ch = points.channel(active());
    if (!ch) {
      legend.replaceChildren();
      return;
    }
    const { header } = ch;
    const pc = poolCode(header);
    const all = countCodes(points.drawn(active()), pc + 1);
    const counts = header.kind === "categorical" ? all : null;
    const pool = { count: all[pc], hidden: points.poolHidden, color: poolColor(dark()) };
    renderLegend(legend, header, paletteFor(header, { dark: dark() }), counts, points.hidden, pool);
  }
  return { el: legend, paint, cleanup: life.end };
}
