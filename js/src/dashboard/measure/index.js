// Measure panel: a button that asks the kernel to retrain on the edited labels, the list of
// past measurements (each with how many edits it included), and the per-class before/after
// table of the one shown. The chart next to it is a plotly FigureWidget owned by Python.
import { el, bindErrorBanner } from "../../lib/dom.js";
import { delta, panelStyle, pct, plural, signClass, textTable } from "../panel.js";

const CSS = `
.dcml-measure { padding: 6px 8px; }
.dcml-measure-bar { display: flex; gap: 10px; align-items: center; flex-wrap: wrap; }
.dcml-measure-history li { cursor: pointer; }
.dcml-measure-history li.dcml-measure-shown { font-weight: 600; }
.dcml-measure-history { margin: 4px 0; padding-left: 18px; }
`;

const COLUMNS = [
  { key: "class", title: "class", format: (v) => String(v) },
  { key: "precision_before", title: "precision before" },
  { key: "precision_after", title: "after" },
  { key: "recall_before", title: "recall before" },
  { key: "recall_after", title: "after" },
  { key: "f1_before", title: "F1 before" },
  { key: "f1_after", title: "after" },
  { key: "f1_delta", title: "F1 Δ", format: (v) => delta(v), className: (v) => signClass(v) },
  { key: "support_after", title: "support" },
];

function historyItem(item, shown) {
  const change = item.accuracy_after - item.accuracy_before;
  const where = item.on_test ? "on the test set" : "out-of-sample";
  return el(
    "li",
    {
      className: item.index === shown ? "dcml-measure-shown" : undefined,
      dataset: { index: String(item.index) },
      title: item.note || "",
    },
    `#${item.index + 1} · ${plural(item.n_edits, "edit")} · accuracy ${pct(item.accuracy_before)} → ` +
      `${pct(item.accuracy_after)} (${delta(change)}) ${where}`,
  );
}

function render({ model, el: root }) {
  const container = el("div", { className: "dcml-measure dcml-panel" });
  const button = el(
    "button",
    { type: "button", className: "dcml-measure-run",
      title: "Retrain on the edited labels (same folds) and compare per class" },
    "Measure",
  );
  const info = el("span", { className: "dcml-measure-info dcml-muted" });
  const history = el("ol", { className: "dcml-measure-history" });
  const table = el("div", { className: "dcml-measure-table" });
  const note = el("div", { className: "dcml-measure-note dcml-muted" });
  container.append(
    panelStyle(CSS),
    el("div", { className: "dcml-measure-bar" }, el("strong", {}, "Measure"), button, info),
    history,
    note,
    table,
  );
  root.append(container);

  const paint = () => {
    const busy = model.get("busy");
    const items = model.get("history") || [];
    const shown = model.get("shown");
    button.disabled = Boolean(busy);
    button.textContent = busy ? "Measuring…" : "Measure";
    const pending = model.get("edits_since");
    info.textContent = items.length
      ? `${plural(pending, "edit")} since the last measurement`
      : "No measurement yet: edit some labels, then measure.";
    history.replaceChildren(...items.map((item) => historyItem(item, shown)));
    const current = items.find((item) => item.index === shown);
    note.textContent = current ? current.note || "" : "";
    const rows = model.get("table") || [];
    table.replaceChildren(rows.length ? textTable(COLUMNS, rows, "dcml-measure-classes") : "");
  };
  const onClick = () => model.send({ type: "measure" });
  const onPick = (event) => {
    const item = event.target.closest("li");
    if (!item || !history.contains(item)) return;
    model.send({ type: "show", index: Number(item.dataset.index) });
  };
  button.addEventListener("click", onClick);
  history.addEventListener("click", onPick);
  const traits = ["busy", "history", "shown", "table", "edits_since"];
  for (const name of traits) model.on(`change:${name}`, paint);
  const unbindError = bindErrorBanner(model, container);
  paint();
  return () => {
    button.removeEventListener("click", onClick);
    history.removeEventListener("click", onPick);
    for (const name of traits) model.off(`change:${name}`, paint);
    unbindError();
    container.remove();
  };
}

export default { render };
