// The guideline of the class the reviewer is about to pick, shown under the class picker:
// its text and its example rows (id and a line of text). All user text goes in as text.
import { el } from "../lib/dom.js";
import { lifetime } from "../lib/lifetime.js";

/**
 * @param {any} model the grid's model (traits `guidelines`, `class_names`)
 * @returns {{el: HTMLElement, showFor: (classIndex: number | undefined) => void,
 *            cleanup: () => void}}
 */
export function createGuideline(model) {
  const box = el("div", { className: "dcml-grid-guideline" });
  box.hidden = true;
  const life = lifetime();
  let shown;

  function paint() {
    const name = shown === undefined ? undefined : model.get("class_names")[shown];
    const entry = (model.get("guidelines") ?? []).find((g) => g.class === name);
    if (!entry) {
      box.hidden = true;
      box.replaceChildren();
      return;
    }
    const examples = entry.examples.map((ex) =>
      el("li", { className: "dcml-grid-guideline-example" }, `${ex.id}${ex.text ? ": " + ex.text : ""}`),
    );
    box.replaceChildren(
      el("div", { className: "dcml-grid-guideline-class" }, `Guideline for ${entry.class}`),
      el("div", { className: "dcml-grid-guideline-text" }, entry.text),
      ...(examples.length ? [el("ul", {}, ...examples)] : []),
    );
    box.hidden = false;
  }

  life.on(model, "change:guidelines", paint);
  return {
    el: box,
    showFor(classIndex) {
      shown = classIndex;
      paint();
    },
    cleanup: () => life.end(),
  };
}
