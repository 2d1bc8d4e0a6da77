// The selection: a lasso or box pick goes to the kernel (debounced, as sorted uint32 row
// positions), and the state's selection (the `_selection` trait) is shown on the scatter.
import { debounce } from "../lib/dom.js";
import { lifetime } from "../lib/lifetime.js";
import { decode } from "../lib/wire.js";
import { encodeSelection } from "./codec.js";

const SELECT_MS = 150;

/**
 * @param {any} model
 * @param {ReturnType<typeof import("./plot.js").createPlot>} plot
 * @param {import("./points.js").PointData} points
 * @param {() => void} onChange runs when the selection shown changed
 * @returns {{apply: () => void, cleanup: () => void}}
 */
export function createSelection(model, plot, points, onChange) {
  const life = lifetime();
  const send = debounce((picked) => {
    const buffer = encodeSelection(picked).buffer;
    model.send({ type: "select", mode: "replace", revision: points.revision }, undefined, [buffer]);
  }, SELECT_MS);
  plot.on("select", ({ points: picked }) => {
    onChange();
    send(picked);
  });
  plot.on("deselect", () => {
    onChange();
    send([]);
  });

  /** Show the `_selection` trait on the scatter. */
  function apply() {
    if (!plot.ready()) return;
    plot.select(decode(model.get("_selection"), "uint32"));
    onChange();
  }
  life.trait(model, "_selection", apply);
  life.add(() => send.cancel());
  return { apply, cleanup: life.end };
}
