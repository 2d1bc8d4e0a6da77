// Class-balance chart: rows per class as given (grey) and now (blue), one pair of bars per
// class, drawn as plain DOM (no plotting library: plotly's widget cost 3.2 s to import and
// ~30 ms of main thread per re-plot). Class names are text; counts are in each bar's title.
import { barChart } from "../bars.js";
import BARS_CSS from "../bars.css";
import { fmt, renderPanel } from "../panel.js";
import CSS from "./style.css";

const SERIES = [
  { kind: "given", label: "given" },
  { kind: "now", label: "now" },
];

/** Bar heights as percentages of the tallest count (0 when every count is 0). */
export function heights(given, now) {
  const top = Math.max(1, ...given, ...now);
  return {
    given: given.map((v) => (100 * v) / top),
    now: now.map((v) => (100 * v) / top),
  };
}

function render(view) {
  const { model } = view;
  return renderPanel(view, {
    className: "dcml-balance",
    css: `${BARS_CSS}\n${CSS}`,
    traits: ["names", "given", "now"],
    build(container) {
      const chart = barChart(container, { prefix: "dcml-balance", title: "Class balance", series: SERIES });
      return () => {
        const labels = model.get("names") || [];
        const counts = [model.get("given") || [], model.get("now") || []];
        const h = heights(...counts);
        chart.paint(
          labels,
          [h.given, h.now],
          (i, s) => `${labels[i]}: ${fmt(counts[s][i])} rows ${SERIES[s].kind}`,
          (i) => `${labels[i]}: ${fmt(counts[1][i])} now`,
        );
      };
    },
  });
}

export default { render };
