// Keyboard review: the keys the grid handles, as one table (the key help overlay and the hint
// line are built from it), and the map from a keydown to a grid action. Pure, so unit-tested.

const relabel = (key, nClasses) => {
  const index = Number(key) - 1;
  return index < nClasses ? { kind: "relabel", classIndex: index } : { kind: "picker" };
};

/**
 * Every key the grid handles, in the order the help lists them. `keys`: KeyboardEvent.key
 * values; `label`: how the help shows them; `help`: what they do; `hint`: the word on the
 * one-line hint (none: not on it); `action`: what {@link keyAction} returns (or a function of
 * the key and the number of classes).
 * @type {ReadonlyArray<{keys: string[], label: string, help: string, hint?: string,
 *   action: object | ((key: string, nClasses: number) => object)}>}
 */
export const KEYS = Object.freeze([
  { keys: ["j", "ArrowDown"], label: "j / ↓", hint: "next", help: "next row", action: { kind: "move", by: 1 } },
  {
    keys: ["k", "ArrowUp"],
    label: "k / ↑",
    hint: "previous",
    help: "previous row",
    action: { kind: "move", by: -1 },
  },
  { keys: ["PageDown"], label: "PgDn", help: "10 rows down", action: { kind: "move", by: 10 } },
  { keys: ["PageUp"], label: "PgUp", help: "10 rows up", action: { kind: "move", by: -10 } },
  {
    keys: ["1", "2", "3", "4", "5", "6", "7", "8", "9"],
    label: "1–9",
    hint: "class",
    help: "relabel to class 1–9 (in the class list's order)",
    action: relabel,
  },
  {
    keys: ["l", "/"],
    label: "l or /",
    hint: "pick class",
    help: "pick a class by typing its name",
    action: { kind: "picker" },
  },
  {
    keys: ["a"],
    label: "a",
    hint: "accept suggestion",
    help: "accept the suggested label",
    action: { kind: "accept" },
  },
  {
    keys: ["x"],
    label: "x",
    hint: "exclude/restore",
    help: "exclude the row, or restore it",
    action: { kind: "exclude" },
  },
  { keys: ["r"], label: "r", hint: "reviewed", help: "mark the row reviewed", action: { kind: "reviewed" } },
  {
    keys: ["n"],
    label: "n",
    hint: "note",
    help: "write a note (Enter saves, Esc cancels)",
    action: { kind: "note" },
  },
  {
    keys: [" "],
    label: "space",
    hint: "select",
    help: "select or unselect the row (bulk actions act on the selection)",
    action: { kind: "select" },
  },
  { keys: ["u"], label: "u", hint: "undo", help: "undo the last edit", action: { kind: "undo" } },
  { keys: ["U"], label: "shift+U", hint: "redo", help: "redo", action: { kind: "redo" } },
  { keys: ["?"], label: "?", hint: "all keys", help: "show or hide this list", action: { kind: "help" } },
  { keys: ["Escape"], label: "Esc", help: "close this list", action: { kind: "close" } },
]);

/** The one-line hint under the rows, from {@link KEYS}. */
export const HINT = KEYS.filter((k) => k.hint)
  .map((k) => `${k.label.replace(" / ", "/")} ${k.hint}`)
  .join(" · ");

/**
 * @param {{key: string, shiftKey?: boolean, ctrlKey?: boolean, metaKey?: boolean,
 *          altKey?: boolean}} event
 * @param {number} nClasses
 * @returns {null | {kind: string, [k: string]: any}}
 */
export function keyAction(event, nClasses) {
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
  const entry = KEYS.find((k) => k.keys.includes(event.key));
  if (!entry) return null;
  return typeof entry.action === "function" ? entry.action(event.key, nClasses) : { ...entry.action };
}

/**
 * True when the grid must keep this key from JupyterLab (every key without a modifier,
 * except Tab so focus can still leave the grid).
 */
export function swallow(event) {
  return !(event.ctrlKey || event.metaKey || event.altKey) && event.key !== "Tab";
}

/**
 * Classes matching a typed filter: prefix matches first, then substring matches
 * (case-insensitive). Returns indices into `names`.
 * @param {string[]} names
 * @param {string} query
 */
export function matchClasses(names, query) {
  const q = query.trim().toLowerCase();
  if (!q) return names.map((_, i) => i);
  const prefix = [];
  const inside = [];
  names.forEach((name, i) => {
    const n = String(name).toLowerCase();
    if (n.startsWith(q)) prefix.push(i);
    else if (n.includes(q)) inside.push(i);
  });
  return prefix.concat(inside);
}
