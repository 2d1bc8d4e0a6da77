// Measure panel: a button that asks the kernel to retrain on the edited labels, the list of
// past measurements (each with how many edits it included), and the per-class before/after
// table of the one shown. Its per-class F1 chart is a view of its own (measure_chart), which
// Python adds under it at the first measurement.
import { el } from "../../lib/dom.js";
import { delta, pct, plural, renderPanel, signClass, textTable } from "../panel.js";
import CSS from "./style.css";

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

/** "3→8: 12 → 4": one confusion cell before and after (class names set as text). */
export function cellText(cell) {
  return `${cell.given}→${cell.predicted}: ${cell.before} → ${cell.after}`;
}

function cellItem(cell) {
  const change = cell.after - cell.before;
  // Fewer rows off the diagonal is the improvement.
  return el("li", { className: signClass(-change) || undefined }, cellText(cell));
}

function movedList(moved) {
  if (!moved.length) return "";
  return el(
    "div",
    { className: "dcml-measure-moved" },
    el("strong", {}, "Confusion cells that moved (given→predicted: before → after)"),
    el("ul", {}, ...moved.map(cellItem)),
  );
}

function reasonList(reasons) {
  if (!reasons.length) return "";
  const items = reasons.map((group) => {
    const counts = [];
    if (group.n_relabelled) counts.push(`${plural(group.n_relabelled, "row")} relabelled`);
    if (group.n_excluded) counts.push(`${plural(group.n_excluded, "row")} excluded`);
    return el(
      "li",
      {},
      el("span", { className: "dcml-measure-reason" }, group.reason),
      ` · ${counts.join(", ")}`,
      group.cells.length ? el("ul", {}, ...group.cells.map(cellItem)) : "",
    );
  });
  return el(
    "div",
    { className: "dcml-measure-reasons" },
    el("strong", {}, "Edits by reason"),
    el("ul", {}, ...items),
  );
}

function render(view) {
  const { model } = view;
  return renderPanel(view, {
    className: "dcml-measure",
    css: CSS,
    traits: ["busy", "history", "shown", "table", "edits_since", "moved", "reasons"],
    build(container, life) {
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
      const targets = el("div", { className: "dcml-measure-targets" });
      container.append(
        el("div", { className: "dcml-measure-bar" }, el("strong", {}, "Measure"), button, info),
        history,
        note,
        targets,
        table,
      );
      life.listen(button, "click", () => model.send({ type: "measure" }));
      life.listen(history, "click", (event) => {
        const item = event.target.closest("li");
        if (!item || !history.contains(item)) return;
        model.send({ type: "show", index: Number(item.dataset.index) });
      });
      return () => {
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
        targets.replaceChildren(
          movedList(model.get("moved") || []),
          reasonList(model.get("reasons") || []),
        );
      };
    },
  });
}

export default { render };
