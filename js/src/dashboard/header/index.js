// Dashboard header: dataset facts, one button per issue type (selects those rows), where the
// edits are saved, and the dashboard actions (re-run, export). Renders what Python sends;
// sends back intents only.
import { el } from "../../lib/dom.js";
import { fmt, pct, plural, renderPanel } from "../panel.js";
import CSS from "./style.css";

const ACTIONS = [
  ["rerun", "Re-run analysis", "Analyse again on the current labels (excluded rows left out)"],
  ["export_csv", "Export CSV", "Write the cleaned DataFrame as CSV"],
  ["export_parquet", "Export Parquet", "Write the cleaned DataFrame as Parquet"],
  ["export_edits", "Export edit log", "Write the edit log as CSV"],
];

const SELF_CHECK_HELP =
  "Known label errors were planted in a copy and the same check was run again: how many it " +
  "found (recall) and how many of its new flags were planted ones (precision).";

// What a layout was computed from, when it was not the features.
const LAYOUT_INPUT = { pred_probs: " of the model's probabilities" };

function facts(summary) {
  const input = LAYOUT_INPUT[summary.embedding_input] || "";
  const layout = summary.embedding_method
    ? `layout: ${summary.embedding_method}${input}` +
      `${summary.layout_pending ? " (UMAP computing…)" : ""}`
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
    summary.self_check
      ? el("span", { className: "dcml-header-selfcheck", title: SELF_CHECK_HELP },
          summary.self_check)
      : null,
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
  const resumed = journal.resumed ? ` · resumed ${plural(journal.resumed, "edit")}` : "";
  const main = journal.warning
    ? el(
        "div",
        { className: "dcml-header-journal dcml-header-warning", role: "status" },
        journal.warning,
      )
    : el(
        "div",
        { className: "dcml-header-journal dcml-muted" },
        `Edits saved to ${journal.path}${resumed}`,
      );
  const parts = [main];
  if (journal.note) {
    parts.push(el("div", { className: "dcml-header-journal-note", role: "status" }, journal.note));
  }
  const siblings = journal.siblings || [];
  if (siblings.length) {
    const listed = siblings.map(([name, n]) => `${name} (${plural(n, "edit")})`).join(", ");
    parts.push(
      el("div", { className: "dcml-header-siblings dcml-muted" }, `Other journals: ${listed}`),
    );
  }
  return el("div", { className: "dcml-header-journals" }, ...parts);
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

function render(view) {
  const { model } = view;
  return renderPanel(view, {
    className: "dcml-header",
    css: CSS,
    traits: ["summary", "issues", "journal", "busy", "status"],
    build(container, life) {
      const body = el("div");
      container.append(body);
      life.listen(container, "click", (event) => {
        const button = event.target.closest("button");
        if (!button || !container.contains(button) || button.disabled) return;
        if (button.dataset.issue) model.send({ type: "select_issue", issue: button.dataset.issue });
        else if (button.dataset.action) model.send({ type: "action", name: button.dataset.action });
      });
      return () =>
        body.replaceChildren(
          facts(model.get("summary") || {}),
          issueButtons(model.get("issues") || []),
          journalLine(model.get("journal") || {}),
          actions(model.get("busy"), model.get("status")),
        );
    },
  });
}

export default { render };
