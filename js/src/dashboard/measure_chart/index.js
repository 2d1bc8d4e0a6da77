// Measure chart: per-class F1 before (grey) and after (blue) the shown measurement, one pair
// of bars per class on a 0–1 scale, drawn as plain DOM (plotly's widget cost 3.2 s to import
// at the first measurement). Python sets every trait; this view only draws them. Class names
// are text; the F1 values are in each bar's title.
import { barChart } from "../bars.js";
import BARS_CSS from "../bars.css";
import { fmt, renderPanel } from "../panel.js";
import CSS from "./style.css";

const SERIES = [
  { kind: "before", label: "F1 before" },
  { kind: "after", label: "F1 after" },
];

/** Bar heights in percent of the 0–1 scale: clamped, 0 for a missing F1. */
export function heights(values) {
  return values.map((v) => (typeof v === "number" && Number.isFinite(v) ? 100 * Math.min(1, Math.max(0, v)) : 0));
}

function render(view) {
  const { model } = view;
  return renderPanel(view, {
    className: "dcml-measure-chart",
    css: `${BARS_CSS}\n${CSS}`,
    traits: ["title", "names", "f1_before", "f1_after"],
    build(container) {
      const chart = barChart(container, {
        prefix: "dcml-measure-chart",
        title: "",
        series: SERIES,
        ticks: [0, 0.5, 1],
      });
      return () => {
        chart.setTitle(model.get("title") || "");
        const names = model.get("names") || [];
        const values = [model.get("f1_before") || [], model.get("f1_after") || []];
        chart.paint(
          names,
          values.map(heights),
          (i, s) => `${names[i]}: ${SERIES[s].label} ${fmt(values[s][i])}`,
        );
      };
    },
  });
}

export default { render };
