// Class-balance chart: rows per class as given (grey) and now (blue), one pair of bars per
// class, drawn as plain DOM (no plotting library: plotly's widget cost 3.2 s to import and
// ~30 ms of main thread per re-plot). Class names are text; counts are in each bar's title.
import { el } from "../../lib/dom.js";
import { fmt, renderPanel } from "../panel.js";
import CSS from "./style.css";

/** Bar heights as percentages of the tallest count (0 when every count is 0). */
export function heights(given, now) {
  const top = Math.max(1, ...given, ...now);
  return {
    given: given.map((v) => (100 * v) / top),
    now: now.map((v) => (100 * v) / top),
  };
}

function bar(kind, name, value, height) {
  const node = el("div", { className: `dcml-balance-bar dcml-balance-${kind}` });
  node.style.height = `${height}%`;
  node.title = `${name}: ${fmt(value)} rows ${kind}`;
  return node;
}

function render(view) {
  const { model } = view;
  return renderPanel(view, {
    className: "dcml-balance",
    css: CSS,
    traits: ["names", "given", "now"],
    build(container) {
      const legend = el(
        "div",
        { className: "dcml-balance-legend" },
        el("span", { className: "dcml-balance-key dcml-balance-given" }),
        "given",
        el("span", { className: "dcml-balance-key dcml-balance-now" }),
        "now",
      );
      const title = el("div", { className: "dcml-balance-title" }, "Class balance", legend);
      const bars = el("div", { className: "dcml-balance-bars" });
      const names = el("div", { className: "dcml-balance-names" });
      container.append(title, bars, names);
      return () => {
        const labels = model.get("names") || [];
        const given = model.get("given") || [];
        const now = model.get("now") || [];
        const h = heights(given, now);
        bars.replaceChildren(
          ...labels.map((name, i) =>
            el(
              "div",
              { className: "dcml-balance-class" },
              bar("given", name, given[i], h.given[i]),
              bar("now", name, now[i], h.now[i]),
            ),
          ),
        );
        names.replaceChildren(
          ...labels.map((name, i) =>
            el("div", { className: "dcml-balance-name", title: `${name}: ${fmt(now[i])} now` }, name),
          ),
        );
      };
    },
  });
}

export default { render };
