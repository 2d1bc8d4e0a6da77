// Annotator panel: the agreement statistic, quality per annotator, and the rows annotators
// disagree on most, with a button that selects them in every view.
import { el, bindErrorBanner } from "../../lib/dom.js";
import { fmt, panelStyle, pct, textTable } from "../panel.js";

const CSS = `
.dcml-annotators { padding: 6px 8px; }
.dcml-annotators-columns { display: flex; gap: 24px; flex-wrap: wrap; align-items: flex-start; }
.dcml-annotators-stat { font-weight: 600; }
`;

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

function render({ model, el: root }) {
  const container = el("div", { className: "dcml-annotators dcml-panel" });
  const stat = el("div", { className: "dcml-annotators-stat" });
  const quality = el("div", { className: "dcml-annotators-quality" });
  const button = el("button", { type: "button", className: "dcml-annotators-select" });
  const rows = el("div", { className: "dcml-annotators-rows" });
  container.append(
    panelStyle(CSS),
    stat,
    el(
      "div",
      { className: "dcml-annotators-columns" },
      quality,
      el("div", {}, el("div", {}, "Most disagreement ", button), rows),
    ),
  );
  root.append(container);

  const paint = () => {
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
  const onClick = () => model.send({ type: "select_disagreement" });
  button.addEventListener("click", onClick);
  const traits = ["statistic", "annotators", "disagreement"];
  for (const name of traits) model.on(`change:${name}`, paint);
  const unbindError = bindErrorBanner(model, container);
  paint();
  return () => {
    button.removeEventListener("click", onClick);
    for (const name of traits) model.off(`change:${name}`, paint);
    unbindError();
    container.remove();
  };
}

export default { render };
