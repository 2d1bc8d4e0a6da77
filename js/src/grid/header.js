// The column header row: a sort button per column (the sorted one shows its direction; a
// second click flips it). Scrolls sideways with the rows.
import { el } from "../lib/dom.js";
import { lifetime } from "../lib/lifetime.js";
import { template } from "./cells.js";

/** "sorted by label score, lowest first". */
export function sortText(title, ascending) {
  return `sorted by ${title}, ${ascending ? "lowest" : "highest"} first`;
}

/**
 * @param {any} model
 * @param {(msg: object) => void} send
 * @returns {{el: HTMLElement, paint: () => void, cleanup: () => void}}
 */
export function createHeader(model, send) {
  const life = lifetime();
  const hrow = el("div", { className: "dcml-grid-hrow" });
  const header = el("div", { className: "dcml-grid-header" }, hrow);

  function paint() {
    const columns = model.get("columns");
    const sortBy = model.get("sort_by");
    const arrow = model.get("ascending") ? " ▲" : " ▼";
    hrow.style.gridTemplateColumns = template(columns);
    hrow.replaceChildren(
      el("span"),
      ...columns.map((c) => {
        if (c.kind === "thumb" || c.kind === "rules") return el("span", {}, c.title); // not sortable
        const sorted = c.key === sortBy;
        const title = sorted
          ? `${sortText(c.title, model.get("ascending"))}; click to reverse`
          : `sort by ${c.title}`;
        const text = c.title + (sorted ? arrow : "");
        return el("button", { type: "button", dataset: { key: c.key }, title }, text);
      }),
    );
  }
  life.listen(hrow, "click", (event) => {
    const key = event.target?.closest?.("button")?.dataset?.key;
    if (!key) return;
    const ascending = key === model.get("sort_by") ? !model.get("ascending") : true;
    send({ type: "view", sort: key, ascending });
  });
  for (const name of ["columns", "sort_by", "ascending"]) life.on(model, `change:${name}`, paint);

  return { el: header, paint, cleanup: life.end };
}
