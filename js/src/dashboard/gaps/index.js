// Coverage-gaps panel: regions of pool rows the training rows do not reach (size, nearest
// classes, example ids, all as text); clicking a gap asks Python to select its rows.
import { el } from "../../lib/dom.js";
import { renderPanel } from "../panel.js";
import CSS from "./style.css";

/** The panel's one line when there is nothing to list. */
export function emptyText(nPool) {
  if (!nPool) return "No pool rows: audit with unlabeled=... to check coverage.";
  return `No gaps: the training rows cover all ${nPool} pool rows.`;
}

function gapRow(row) {
  const cells = [
    `gap ${row.gap}`,
    String(row.size),
    row.nearest_classes.join(", ") || "–",
    row.example_ids.join(", "),
  ];
  const tr = el(
    "tr",
    { className: "dcml-gaps-row", title: "Select this gap's rows" },
    ...cells.map((text) => el("td", {}, text)),
  );
  tr.dataset.gap = String(row.gap);
  return tr;
}

function render(view) {
  const { model } = view;
  return renderPanel(view, {
    className: "dcml-gaps",
    css: CSS,
    traits: ["gaps", "n_pool"],
    build(container, life) {
      const title = el("div", { className: "dcml-gaps-title" }, "Coverage gaps");
      const head = el(
        "tr",
        {},
        ...["region", "pool rows", "nearest classes", "examples"].map((t) => el("th", { scope: "col" }, t)),
      );
      const body = el("tbody");
      const table = el("table", { className: "dcml-gaps-table" }, el("thead", {}, head), body);
      const empty = el("div", { className: "dcml-gaps-empty" });
      container.append(title, table, empty);
      life.listen(body, "click", (event) => {
        const tr = event.target.closest("tr");
        if (!tr || tr.dataset.gap === undefined) return;
        model.send({ type: "select_gap", gap: Number(tr.dataset.gap) });
      });
      return () => {
        const rows = model.get("gaps") || [];
        body.replaceChildren(...rows.map((row) => gapRow(row)));
        table.hidden = rows.length === 0;
        empty.hidden = rows.length > 0;
        empty.textContent = emptyText(model.get("n_pool"));
      };
    },
  });
}

export default { render };
