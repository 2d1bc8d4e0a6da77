// What-if panel: a button that asks the kernel to project the six candidate interventions
// (in a background thread), the progress while it runs, then one bar per intervention
// (projected accuracy change, best first, drawn as DOM boxes, no chart library) with its
// macro-F1 change and an Apply button that asks the kernel to run it as one command.
import { el } from "../../lib/dom.js";
import { delta, pct, plural, renderPanel, signClass } from "../panel.js";
import CSS from "./style.css";

/** Width (% of the half-axis) of a bar for `value`, against the largest |delta| shown. */
export function barWidth(value, scale) {
  if (value === null || value === undefined || Number.isNaN(value) || !scale) return 0;
  return Math.min(100, (100 * Math.abs(value)) / scale);
}

function bar(value, scale) {
  const width = barWidth(value, scale);
  const side = value >= 0 ? "dcml-whatif-pos" : "dcml-whatif-neg";
  return el(
    "div",
    { className: "dcml-whatif-axis" },
    el("div", { className: "dcml-whatif-half dcml-whatif-left" },
      value < 0 ? el("div", { className: `dcml-whatif-bar ${side}`, style: { width: `${width}%` } }) : ""),
    el("div", { className: "dcml-whatif-half dcml-whatif-right" },
      value >= 0 ? el("div", { className: `dcml-whatif-bar ${side}`, style: { width: `${width}%` } }) : ""),
  );
}

function rowItem(row, scale, stale, busy) {
  const empty = !row.n_rows || row.accuracy_delta === null;
  const button = el(
    "button",
    {
      type: "button",
      className: "dcml-whatif-apply",
      dataset: { intervention: row.intervention },
      disabled: empty || stale || busy,
      title: stale ? "The labels changed since: project again first" : "Apply as one command (undoable)",
    },
    "Apply",
  );
  const figures = empty
    ? "touches no row"
    : `accuracy ${pct(row.accuracy_after)} (${delta(row.accuracy_delta)}) · ` +
      `macro-F1 ${delta(row.macro_f1_delta)}`;
  return el(
    "div",
    { className: "dcml-whatif-row", dataset: { intervention: row.intervention } },
    el("div", { className: "dcml-whatif-name", title: row.intervention }, row.title),
    el("div", { className: "dcml-whatif-rows dcml-muted" }, plural(row.n_rows, "row")),
    empty ? el("div", { className: "dcml-whatif-axis" }) : bar(row.accuracy_delta, scale),
    el("div", { className: `dcml-whatif-figures ${signClass(row.accuracy_delta)}` }, figures),
    button,
  );
}

function render(view) {
  const { model } = view;
  return renderPanel(view, {
    className: "dcml-whatif",
    css: CSS,
    traits: ["busy", "progress", "rows", "status", "edits_since"],
    build(container, life) {
      const button = el(
        "button",
        { type: "button", className: "dcml-whatif-run",
          title: "Measure each candidate intervention on a copy of the data (edits nothing)" },
        "Project",
      );
      const meter = el("progress", { className: "dcml-whatif-progress", max: "1", value: "0" });
      const info = el("span", { className: "dcml-whatif-info dcml-muted" });
      const chart = el("div", { className: "dcml-whatif-chart" });
      const note = el("div", { className: "dcml-whatif-note dcml-muted" });
      container.append(
        el("div", { className: "dcml-whatif-bar-top" }, el("strong", {}, "What if"), button, meter, info),
        chart,
        note,
      );
      life.listen(button, "click", () => model.send({ type: "compute" }));
      life.listen(chart, "click", (event) => {
        const target = event.target.closest("button.dcml-whatif-apply");
        if (!target || !chart.contains(target) || target.disabled) return;
        model.send({ type: "apply", intervention: target.dataset.intervention });
      });
      return () => {
        const busy = Boolean(model.get("busy"));
        const progress = model.get("progress") || {};
        const rows = model.get("rows") || [];
        const stale = model.get("edits_since") > 0;
        button.disabled = busy;
        button.textContent = busy ? "Projecting…" : rows.length ? "Project again" : "Project";
        meter.hidden = !busy;
        if (busy && progress.total) {
          meter.max = progress.total;
          meter.value = progress.done;
        }
        if (busy) {
          info.textContent = progress.total
            ? `${progress.done} of ${progress.total}${progress.name ? `: ${progress.name}` : ""}`
            : "starting…";
        } else if (stale && rows.length) {
          info.textContent = `${plural(model.get("edits_since"), "edit")} since this projection: project again to apply a row`;
        } else {
          info.textContent = model.get("status") || (rows.length ? "" : "Which fix would help most? Project to see.");
        }
        const scale = Math.max(0, ...rows.map((r) => Math.abs(r.accuracy_delta ?? 0)));
        chart.replaceChildren(...rows.map((row) => rowItem(row, scale, stale, busy)));
        const optimistic = rows.some((r) => r.optimistic);
        note.textContent = rows.length
          ? optimistic
            ? "Out-of-sample on the stored folds, scored against the edited labels: optimistic. " +
              "Pass test= to audit() for figures on trusted rows."
            : "Scored on the trusted test set."
          : "";
      };
    },
  });
}

export default { render };
