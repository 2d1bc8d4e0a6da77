// Annotator panel: the agreement statistic, quality per annotator, and the rows annotators
// disagree on most, with a button that selects them in every view.
import { el } from "../../lib/dom.js";
import { fmt, pct, renderPanel, textTable } from "../panel.js";
import CSS from "./style.css";

const QUALITY = [
  { key: "annotator", title: "annotator", format: (v) => String(v) },
  { key: "quality", title: "quality" },
  { key: "agreement", title: "agrees with consensus", format: (v) => pct(v) },
  { key: "n_labels", title: "labels" },
];

const ROWS = [
  { key: "id", title: "row", format: (v) => String(v) },
  { key: "consensus", title: "consensus", format: (v) => (v === null ? "–" : String(v)) },
  { key: "agreement", title: "agreement", format: (v) => pct(v) },
];

function render(view) {
  const { model } = view;
  return renderPanel(view, {
    className: "dcml-annotators",
    css: CSS,
    traits: ["statistic", "annotators", "disagreement"],
    build(container, life) {
      const stat = el("div", { className: "dcml-annotators-stat" });
      const quality = el("div", { className: "dcml-annotators-quality" });
      const button = el("button", { type: "button", className: "dcml-annotators-select" });
      const rows = el("div", { className: "dcml-annotators-rows" });
      container.append(
        stat,
        el(
          "div",
          { className: "dcml-annotators-columns" },
          quality,
          el("div", {}, el("div", {}, "Most disagreement ", button), rows),
        ),
      );
      life.listen(button, "click", () => model.send({ type: "select_disagreement" }));
      return () => {
        const s = model.get("statistic") || {};
        stat.textContent = s.name
          ? `Annotator agreement: ${s.name} = ${fmt(s.value)}`
          : "Annotator agreement: not available";
        quality.replaceChildren(
          textTable(QUALITY, model.get("annotators") || [], "dcml-annotators-table"),
        );
        const top = model.get("disagreement") || [];
        button.textContent = `Select these ${top.length} rows`;
        button.disabled = top.length === 0;
        rows.replaceChildren(textTable(ROWS, top, "dcml-annotators-rows-table"));
      };
    },
  });
}

export default { render };
