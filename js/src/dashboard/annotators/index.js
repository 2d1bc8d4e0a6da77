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

const REVIEWED = [
  { key: "id", title: "row", format: (v) => String(v) },
  { key: "judgements", title: "reviewers said", format: (v) => String(v) },
];

// Reviewers' agreement beside the annotators': shown once two reviewers judged one row.
function paintReviewers(box, r) {
  if (!r.n_rows) {
    box.replaceChildren();
    box.hidden = true;
    return;
  }
  const alpha = r.alpha === null || r.alpha === undefined ? "" : `, Krippendorff's alpha = ${fmt(r.alpha)}`;
  box.replaceChildren(
    el(
      "div",
      { className: "dcml-annotators-reviewers-stat" },
      `Reviewer agreement: ${pct(r.agreement)} of ${r.n_rows} rows judged by two or more of ` +
        `${r.n_reviewers} reviewers${alpha}`,
    ),
    ...(r.disputed?.length ? [textTable(REVIEWED, r.disputed, "dcml-annotators-reviewers-table")] : []),
  );
  box.hidden = false;
}

function render(view) {
  const { model } = view;
  return renderPanel(view, {
    className: "dcml-annotators",
    css: CSS,
    traits: ["statistic", "annotators", "disagreement", "reviewers"],
    build(container, life) {
      const stat = el("div", { className: "dcml-annotators-stat" });
      const quality = el("div", { className: "dcml-annotators-quality" });
      const button = el("button", { type: "button", className: "dcml-annotators-select" });
      const rows = el("div", { className: "dcml-annotators-rows" });
      const reviewers = el("div", { className: "dcml-annotators-reviewers" });
      container.append(
        stat,
        reviewers,
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
        paintReviewers(reviewers, model.get("reviewers") || {});
      };
    },
  });
}

export default { render };
