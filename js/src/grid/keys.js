// Keyboard review: map a keydown to a grid action. Pure, so it is unit-tested.

export const HINT =
  "j/k or ↑/↓ move · 1–9 class · l pick class · a accept suggestion · x exclude/restore · " +
  "r reviewed · n note · space select · u undo · shift+U redo";

/**
 * @param {{key: string, shiftKey?: boolean, ctrlKey?: boolean, metaKey?: boolean,
 *          altKey?: boolean}} event
 * @param {number} nClasses
 * @returns {null | {kind: string, [k: string]: any}}
 */
export function keyAction(event, nClasses) {
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
  const key = event.key;
  switch (key) {
    case "j":
    case "ArrowDown":
      return { kind: "move", by: 1 };
    case "k":
    case "ArrowUp":
      return { kind: "move", by: -1 };
    case "PageDown":
      return { kind: "move", by: 10 };
    case "PageUp":
      return { kind: "move", by: -10 };
    case "a":
      return { kind: "accept" };
    case "x":
      return { kind: "exclude" };
    case "r":
      return { kind: "reviewed" };
    case "n":
      return { kind: "note" };
    case "u":
      return { kind: "undo" };
    case "U":
      return { kind: "redo" };
    case "l":
    case "/":
      return { kind: "picker" };
    case " ":
      return { kind: "select" };
    default:
      break;
  }
  if (/^[1-9]$/.test(key)) {
    const index = Number(key) - 1;
    return index < nClasses ? { kind: "relabel", classIndex: index } : { kind: "picker" };
  }
  return null;
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
