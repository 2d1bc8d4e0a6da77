// Conflict groups in the grid: a row flagged conflicting_label carries two small buttons,
// "group" (select the rows of its group in every view) and "resolve" (give the whole group
// this row's current label: one command, one undo step). Clicks are delegated on the pane.
import { el } from "../lib/dom.js";
import { lifetime } from "../lib/lifetime.js";

const ISSUE = "conflicting_label";

/** The buttons for a row's issues cell (none unless the row is in a conflict group). */
export function groupButtons(row) {
  if (!row.issues || !row.issues.includes(ISSUE)) return [];
  return [
    el(
      "button",
      { type: "button", className: "dcml-grid-group-show", title: "Select this row's conflict group" },
      "group",
    ),
    el(
      "button",
      {
        type: "button",
        className: "dcml-grid-group-resolve",
        title: "Give every row of this group this row's label (one undo step)",
      },
      "resolve",
    ),
  ];
}

/**
 * Send show_group / resolve_group for clicks on those buttons.
 * @param {{model: any, pane: HTMLElement, cache: any, send: (msg: any) => void}} parts
 * @returns {{cleanup: () => void}}
 */
export function bindGroups({ model, pane, cache, send }) {
  const life = lifetime();
  life.listen(pane, "click", (event) => {
    const target = event.target;
    const show = target?.classList?.contains("dcml-grid-group-show");
    const resolve = target?.classList?.contains("dcml-grid-group-resolve");
    if (!show && !resolve) return;
    const row = cache.row(Number(target.closest(".dcml-grid-row")?.dataset.index));
    if (!row) return;
    if (show) send({ type: "show_group", id: row.id });
    else send({ type: "resolve_group", id: row.id, label: model.get("classes")[row.label] });
  });
  return { cleanup: life.end };
}
