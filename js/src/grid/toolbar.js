// The grid's two bars: the filters (scope, issue, class, status, suggested ≠ given), undo /
// redo and the row count; and, while rows are selected, the bulk actions on the selection.
import { el, option } from "../lib/dom.js";
import { lifetime } from "../lib/lifetime.js";
import { sortText } from "./header.js";

const STATUSES = ["edited", "excluded", "reviewed", "unreviewed", "active"];
const BULK_ACTIONS = ["accept", "exclude", "restore", "reviewed"];
const TRAITS = [
  "filter",
  "class_names",
  "issue_types",
  "can_undo",
  "can_redo",
  "total",
  "n_selected",
  "sort_by",
  "ascending",
  "columns",
];

function fillSelect(select, options, current) {
  select.replaceChildren(...options.map(([v, t]) => option(v, t, v === current)));
}

/**
 * @param {any} model
 * @param {(msg: object, buffers?: ArrayBuffer[]) => void} send
 * @returns {{els: HTMLElement[], paint: () => void, cleanup: () => void}}
 */
export function createToolbar(model, send) {
  const life = lifetime();
  const get = (name) => model.get(name);
  const scopeSel = el("select", { className: "dcml-grid-scope", title: "rows shown" });
  const issueSel = el("select", { className: "dcml-grid-issue", title: "issue filter" });
  const classSel = el("select", { className: "dcml-grid-class", title: "class filter" });
  const statusSel = el("select", { className: "dcml-grid-status", title: "status filter" });
  const disagree = el("input", { type: "checkbox", className: "dcml-grid-disagree" });
  const undoBtn = el("button", { type: "button", className: "dcml-grid-undo" }, "undo");
  const redoBtn = el("button", { type: "button", className: "dcml-grid-redo" }, "redo");
  const count = el("span", { className: "dcml-grid-count" });
  const bar = el(
    "div",
    { className: "dcml-grid-bar" },
    scopeSel,
    issueSel,
    classSel,
    statusSel,
    el("label", {}, disagree, " suggested ≠ given"),
    undoBtn,
    redoBtn,
    count,
  );
  const bulkCount = el("span", { className: "dcml-grid-bulk-count" });
  const bulkLabel = el("select", { className: "dcml-grid-bulk-label" });
  const bulkButtons = BULK_ACTIONS.map((action) =>
    el("button", { type: "button", dataset: { action } }, action),
  );
  const clearSel = el("button", { type: "button", className: "dcml-grid-clear" }, "clear");
  const bulk = el(
    "div",
    { className: "dcml-grid-bar dcml-grid-bulk" },
    bulkCount,
    bulkLabel,
    ...bulkButtons,
    clearSel,
  );

  function paint() {
    const flt = get("filter") || {};
    const names = get("class_names");
    fillSelect(scopeSel, [["all", "all rows"], ["selection", "selection"]], flt.scope || "all");
    fillSelect(
      issueSel,
      [["", "any or no issue"], ["any", "has an issue"], ...get("issue_types").map((t) => [t, `${t} issue`])],
      flt.issue ?? "",
    );
    fillSelect(
      classSel,
      [["", "every class"], ...names.map((n, i) => [String(i), `label: ${n}`])],
      flt.class === null || flt.class === undefined ? "" : String(get("classes").indexOf(flt.class)),
    );
    fillSelect(statusSel, [["", "any status"], ...STATUSES.map((s) => [s, s])], flt.status ?? "");
    disagree.checked = Boolean(flt.disagree);
    undoBtn.disabled = !get("can_undo");
    redoBtn.disabled = !get("can_redo");
    const sorted = get("columns").find((c) => c.key === get("sort_by"));
    const order = sorted ? ` · ${sortText(sorted.title, get("ascending"))}` : "";
    count.textContent = `${get("total")} rows${order}`;
    const n = get("n_selected");
    bulk.hidden = n === 0;
    bulkCount.textContent = `${n} selected:`;
    fillSelect(bulkLabel, [["", "relabel to…"], ...names.map((c, i) => [String(i), c])], "");
  }

  function sendFilter() {
    const classes = get("classes");
    send({
      type: "view",
      filter: {
        scope: scopeSel.value,
        issue: issueSel.value || null,
        class: classSel.value === "" ? null : classes[Number(classSel.value)],
        status: statusSel.value || null,
        disagree: disagree.checked,
      },
    });
  }
  for (const control of [scopeSel, issueSel, classSel, statusSel, disagree]) {
    life.listen(control, "change", sendFilter);
  }
  life.listen(undoBtn, "click", () => send({ type: "undo" }));
  life.listen(redoBtn, "click", () => send({ type: "redo" }));
  life.listen(bulkLabel, "change", () => {
    if (bulkLabel.value === "") return;
    const label = get("classes")[Number(bulkLabel.value)];
    send({ type: "action", action: "relabel", target: "selection", label });
  });
  life.listen(bulk, "click", (event) => {
    const action = event.target?.dataset?.action;
    if (action) send({ type: "action", action, target: "selection" });
  });
  life.listen(clearSel, "click", () => send({ type: "select", mode: "replace" }, [new ArrayBuffer(0)]));
  for (const name of TRAITS) life.on(model, `change:${name}`, paint);

  return { els: [bar, bulk], paint, cleanup: life.end };
}
