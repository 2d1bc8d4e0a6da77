// The toolbar: the colour-by menu (built from the `channels` trait Python sends), the mouse
// modes (pan / lasso / box), reset view, and a status line.
import { el } from "../lib/dom.js";
import { lifetime } from "../lib/lifetime.js";

const MODES = [["pan", "pan / zoom"], ["lasso", "lasso"], ["box", "box"]];

/**
 * @param {any} model
 * @param {{onMode: (mode: string) => void, onReset: () => void}} actions
 * @returns {{el: HTMLElement, paintStatus: (counts: {n: number, shown: boolean,
 *            selected: number}) => void, cleanup: () => void}}
 */
export function createToolbar(model, { onMode, onReset }) {
  const life = lifetime();
  const colorSelect = el("select", { className: "dcml-embedding-color", "aria-label": "colour by" });
  const modeButtons = MODES.map(([mode, text]) =>
    el("button", { type: "button", className: "dcml-embedding-mode", dataset: { mode }, text }),
  );
  const resetButton = el("button", { type: "button", className: "dcml-embedding-reset", text: "reset view" });
  const status = el("span", { className: "dcml-embedding-status" });
  const bar = el(
    "div",
    { className: "dcml-embedding-toolbar" },
    el("label", {}, "colour by ", colorSelect),
    ...modeButtons,
    resetButton,
    status,
  );

  /** The menu: one option per [name, menu text] pair of the `channels` trait. */
  function paintChannels() {
    const channels = model.get("channels") ?? [];
    colorSelect.replaceChildren(...channels.map(([value, text]) => el("option", { value, text })));
    colorSelect.value = model.get("color_by");
  }
  function paintMode(mode) {
    for (const b of modeButtons) b.classList.toggle("dcml-embedding-active", b.dataset.mode === mode);
  }

  life.listen(colorSelect, "change", () => {
    model.set("color_by", colorSelect.value);
    model.save_changes();
  });
  for (const b of modeButtons) {
    life.listen(b, "click", () => {
      paintMode(b.dataset.mode);
      onMode(b.dataset.mode);
    });
  }
  life.listen(resetButton, "click", onReset);
  life.trait(model, "channels", paintChannels);
  life.trait(model, "color_by", (name) => {
    colorSelect.value = name;
  });
  paintChannels();
  paintMode("pan");

  /** "1,000 points · umap · 30 selected · focus: row-7" (empty without a layout). */
  function paintStatus({ n, shown, selected }) {
    const method = model.get("layout_method");
    const focus = model.get("focus_label");
    status.textContent = shown
      ? `${n.toLocaleString()} points · ${method || "layout"} · ${selected.toLocaleString()} selected` +
        (focus ? ` · focus: ${focus}` : "")
      : "";
  }

  return { el: bar, paintStatus, cleanup: life.end };
}
