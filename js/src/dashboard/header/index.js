// Dashboard header: dataset facts, one button per issue type (selects those rows), where the
// edits are saved, and the dashboard actions (re-run, export). Renders what Python sends;
// sends back intents only.
import { el, bindErrorBanner } from "../../lib/dom.js";
import { fmt, pct, panelStyle, plural } from "../panel.js";

const CSS = `
.dcml-header { padding: 6px 8px; border-bottom: 1px solid var(--jp-border-color2, #e0e0e0); }
.dcml-header-facts { display: flex; flex-wrap: wrap; gap: 14px; align-items: baseline; }
.dcml-header-title { font-weight: 600; font-size: 1.1em; }
.dcml-header-issues, .dcml-header-actions { display: flex; flex-wrap: wrap; gap: 6px;
  margin-top: 6px; align-items: center; }
.dcml-header-issue .dcml-header-count { font-weight: 600; margin-left: 4px; }
.dcml-header-journal { margin-top: 6px; }
.dcml-header-warning { color: var(--jp-warn-color1, #b26a00); font-weight: 600; }
.dcml-header-busy { color: var(--jp-brand-color1, #1976d2); }
`;

const ACTIONS = [
  ["rerun", "Re-run analysis", "Analyse again on the current labels (excluded rows left out)"],
  ["export_csv", "Export CSV", "Write the cleaned DataFrame as CSV"],
  ["export_parquet", "Export Parquet", "Write the cleaned DataFrame as Parquet"],
  ["export_edits", "Export edit log", "Write the edit log as CSV"],
];

function facts(summary) {
  const layout = summary.embedding_method
    ? `layout: ${summary.embedding_method}${summary.layout_pending ? " (UMAP computing…)" : ""}`
    : "";
  return el(
    "div",
    { className: "dcml-header-facts" },
    el("span", { className: "dcml-header-title" }, "dcml audit"),
    el("span", { className: "dcml-header-rows" }, `${fmt(summary.n_rows)} rows`),
    el("span", { className: "dcml-header-classes" }, `${fmt(summary.n_classes)} classes`),
    el("span", { className: "dcml-header-accuracy" }, `CV accuracy ${pct(summary.accuracy)}`),
    el(
      "span",
      { className: "dcml-header-edits" },
      `${plural(summary.n_edit_groups, "edit")} · ${fmt(summary.n_edited)} relabelled · ` +
        `${fmt(summary.n_excluded)} excluded`,
    ),
    el("span", { className: "dcml-header-layout dcml-muted" }, layout),
  );
}

function issueButtons(issues) {
  const buttons = issues.map((issue) => {
    const assessed = issue.count !== null && issue.count !== undefined;
    return el(
      "button",
      {
        type: "button",
        className: "dcml-header-issue",
        dataset: { issue: issue.issue },
        disabled: !(assessed && issue.selectable && issue.count > 0),
        title: assessed ? `Select the ${issue.label} rows` : `${issue.label}: not assessed`,
      },
      issue.label,
      el("span", { className: "dcml-header-count" }, assessed ? String(issue.count) : "n/a"),
    );
  });
  return el("div", { className: "dcml-header-issues" }, ...buttons);
}

function journalLine(journal) {
  if (journal.warning) {
    return el(
      "div",
      { className: "dcml-header-journal dcml-header-warning", role: "status" },
      journal.warning,
    );
  }
  const resumed = journal.resumed ? ` · resumed ${plural(journal.resumed, "edit")}` : "";
  return el(
    "div",
    { className: "dcml-header-journal dcml-muted" },
    `Edits saved to ${journal.path}${resumed}`,
  );
}

function actions(busy, status) {
  const buttons = ACTIONS.map(([name, text, title]) =>
    el(
      "button",
      { type: "button", className: "dcml-header-action", dataset: { action: name }, title,
        disabled: Boolean(busy) },
      text,
    ),
  );
  return el(
    "div",
    { className: "dcml-header-actions" },
    ...buttons,
    el("span", { className: "dcml-header-busy" }, busy || ""),
    el("span", { className: "dcml-header-status dcml-muted" }, status || ""),
  );
}

function render({ model, el: root }) {
  const container = el("div", { className: "dcml-header dcml-panel" });
  const body = el("div");
  container.append(panelStyle(CSS), body);
  root.append(container);

  const paint = () => {
    body.replaceChildren(
      facts(model.get("summary") || {}),
      issueButtons(model.get("issues") || []),
      journalLine(model.get("journal") || {}),
      actions(model.get("busy"), model.get("status")),
    );
  };
  const onClick = (event) => {
    const button = event.target.closest("button");
    if (!button || !container.contains(button) || button.disabled) return;
    if (button.dataset.issue) model.send({ type: "select_issue", issue: button.dataset.issue });
    else if (button.dataset.action) model.send({ type: "action", name: button.dataset.action });
  };
  container.addEventListener("click", onClick);
  const traits = ["summary", "issues", "journal", "busy", "status"];
  for (const name of traits) model.on(`change:${name}`, paint);
  const unbindError = bindErrorBanner(model, container);
  paint();
  return () => {
    container.removeEventListener("click", onClick);
    for (const name of traits) model.off(`change:${name}`, paint);
    unbindError();
    container.remove();
  };
}

export default { render };
