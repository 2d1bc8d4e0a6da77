// Weakest-slices panel: the slices where the model does worst (with the gap's interval);
// clicking a slice's row asks Python to select its rows in every view.
import { el } from "../../lib/dom.js";
import { delta, fmt, pct, renderPanel } from "../panel.js";
import CSS from "./style.css";

/** The slice's name as text: "scanner = S4", or "cluster 3" for a discovered group. */
export function sliceName(row) {
  if (row.source === "underperforming_group") return `cluster ${row.value}`;
  return `${row.column} = ${row.value}`;
}

function sliceRow(row) {
  const cells = [
    sliceName(row),
    fmt(row.n),
    pct(row.accuracy),
    delta(row.accuracy_gap),
    `${delta(row.ci_low)} … ${delta(row.ci_high)}`,
    pct(row.label_issue_rate),
    row.significant ? "yes" : "no",
  ];
  const tr = el(
    "tr",
    {
      className: row.significant ? "dcml-slices-row dcml-slices-significant" : "dcml-slices-row",
      title: "Select this slice's rows",
    },
    ...cells.map((text) => el("td", {}, text)),
  );
  tr.dataset.slice = String(row.slice);
  return tr;
}

function render(view) {
  const { model } = view;
  return renderPanel(view, {
    className: "dcml-slices",
    css: CSS,
    traits: ["slices"],
    build(container, life) {
      const title = el("div", { className: "dcml-slices-title" }, "Weakest slices");
      const head = el(
        "tr",
        {},
        ...["slice", "rows", "accuracy", "gap", "95% interval", "label issues", "significant"].map(
          (t) => el("th", { scope: "col" }, t),
        ),
      );
      const body = el("tbody");
      const table = el("table", { className: "dcml-slices-table" }, el("thead", {}, head), body);
      const empty = el("div", { className: "dcml-slices-empty" }, "No slices to compare.");
      container.append(title, table, empty);
      life.listen(body, "click", (event) => {
        const tr = event.target.closest("tr");
        if (!tr || tr.dataset.slice === undefined) return;
        model.send({ type: "select_slice", slice: Number(tr.dataset.slice) });
      });
      return () => {
        const rows = model.get("slices") || [];
        body.replaceChildren(...rows.map((row) => sliceRow(row)));
        table.hidden = rows.length === 0;
        empty.hidden = rows.length > 0;
      };
    },
  });
}

export default { render };
