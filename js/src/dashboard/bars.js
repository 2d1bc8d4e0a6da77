// A grouped bar chart drawn as plain DOM, shared by the class-balance and the measure charts:
// a title with a legend, one group of bars per class (one bar per series), the class names
// under them and an optional y axis. Class names are set as text; each bar's value is in
// its title. Every element carries a shared `dcml-bars-<part>` class (bars.css lays them
// out) and the view's own `<prefix>-<part>`; a bar and a legend key also `<prefix>-<kind>`
// for the view's colours.
import { el } from "../lib/dom.js";
import { fmt } from "./panel.js";

/**
 * Build the chart's elements into `container`.
 * @param {HTMLElement} container
 * @param {{prefix: string, title: string, series: {kind: string, label: string}[],
 *          ticks?: number[]}} spec `ticks`: y-axis labels, as fractions of the full height
 * @returns {{setTitle: (text: string) => void,
 *            paint: (names: string[], heights: number[][], barTitle: (i: number, s: number) => string,
 *                    nameTitle?: (i: number) => string) => void}}
 *   `heights[s][i]`: percent of the full height of series `s`'s bar for class `i`
 */
export function barChart(container, { prefix, title, series, ticks = [] }) {
  const part = (name) => `dcml-bars-${name} ${prefix}-${name}`;
  const heading = el("span", { className: part("heading") }, title);
  const legend = el(
    "div",
    { className: part("legend") },
    ...series.flatMap((s) => [el("span", { className: `${part("key")} ${prefix}-${s.kind}` }), s.label]),
  );
  const axis = el(
    "div",
    { className: part("axis") },
    ...ticks.map((t) => el("span", { style: { bottom: `${100 * t}%` } }, fmt(t, 1))),
  );
  const bars = el("div", { className: part("bars") });
  const names = el("div", { className: part("names") });
  container.append(
    el("div", { className: part("title") }, heading, legend),
    el("div", { className: part("plot") }, axis, bars, names),
  );
  return {
    setTitle(text) {
      heading.textContent = text;
    },
    paint(labels, heights, barTitle, nameTitle = (i) => labels[i]) {
      bars.replaceChildren(
        ...labels.map((_, i) =>
          el(
            "div",
            { className: part("class") },
            ...series.map((s, j) => {
              const bar = el("div", { className: `${part("bar")} ${prefix}-${s.kind}` });
              bar.style.height = `${heights[j][i]}%`;
              bar.title = barTitle(i, j);
              return bar;
            }),
          ),
        ),
      );
      names.replaceChildren(
        ...labels.map((name, i) => el("div", { className: part("name"), title: nameTitle(i) }, name)),
      );
    },
  };
}
