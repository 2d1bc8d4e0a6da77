// Guidelines panel: every class's written definition and its example rows, as text.
import { el } from "../../lib/dom.js";
import { renderPanel, textTable } from "../panel.js";
import CSS from "./style.css";

const COLUMNS = [
  { key: "class", title: "class", format: (v) => String(v) },
  { key: "text", title: "guideline", format: (v) => String(v), className: "dcml-guidelines-text" },
  {
    key: "examples",
    title: "examples",
    format: (v) => (v ?? []).map((ex) => (ex.text ? `${ex.id}: ${ex.text}` : ex.id)).join(" · "),
  },
];

function render(view) {
  const { model } = view;
  return renderPanel(view, {
    className: "dcml-guidelines",
    css: CSS,
    traits: ["guidelines"],
    build(container) {
      const title = el("div", { className: "dcml-guidelines-title" });
      const table = el("div", { className: "dcml-guidelines-table" });
      container.append(title, table);
      return () => {
        const rows = model.get("guidelines") || [];
        title.textContent = rows.length
          ? `Guidelines (${rows.length})`
          : "Guidelines: none yet (state.set_guideline(cls, text))";
        table.replaceChildren(...(rows.length ? [textTable(COLUMNS, rows, "dcml-guidelines-rows")] : []));
      };
    },
  });
}

export default { render };
