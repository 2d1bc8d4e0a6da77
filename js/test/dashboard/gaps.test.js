// @vitest-environment jsdom
// The coverage-gaps panel: what it lists, what a click sends, text stays text, the empty
// line, cleanup.
import { afterEach, describe, expect, it } from "vitest";
import gaps, { emptyText } from "../../src/dashboard/gaps/index.js";
import { trackListeners } from "../dom-listeners.js";
import { mount as mountView } from "../fake-model.js";

const mount = (values) => mountView(gaps, values);

const EVIL = '<img src=x onerror="window.__pwned=1">';

const ROWS = [
  { gap: 0, size: 41, nearest_classes: ["7", "1"], example_ids: ["100003", "100017"] },
  { gap: 1, size: 12, nearest_classes: [EVIL], example_ids: [EVIL, "x"] },
];

afterEach(() => document.body.replaceChildren());

describe("gaps panel", () => {
  it("lists the gaps with size, nearest classes and examples, dataset text as text", () => {
    const { root } = mount({ gaps: ROWS, n_pool: 100 });
    const rows = [...root.querySelectorAll("tbody tr")];
    expect(rows.map((r) => [...r.children].map((td) => td.textContent))).toEqual([
      ["gap 0", "41", "7, 1", "100003, 100017"],
      ["gap 1", "12", EVIL, `${EVIL}, x`],
    ]);
    expect(root.querySelector("img")).toBeNull();
    expect(window.__pwned).toBeUndefined();
    expect(root.querySelector(".dcml-gaps-empty").hidden).toBe(true);
  });

  it("sends the clicked gap's number", () => {
    const { model, root } = mount({ gaps: ROWS, n_pool: 100 });
    root.querySelectorAll("tbody tr")[1].children[3].click();
    expect(model.sent).toEqual([{ type: "select_gap", gap: 1 }]);
  });

  it("says in one line when there are no pool rows, or no gap among them", () => {
    const { model, root } = mount({ gaps: [], n_pool: 0 });
    const empty = root.querySelector(".dcml-gaps-empty");
    expect(root.querySelector(".dcml-gaps-table").hidden).toBe(true);
    expect([empty.hidden, empty.textContent]).toEqual([false, emptyText(0)]);
    expect(empty.textContent).toMatch(/^No pool rows/);
    model.set("n_pool", 30);
    expect(empty.textContent).toBe("No gaps: the training rows cover all 30 pool rows.");
    model.set("gaps", ROWS);
    expect(empty.hidden).toBe(true);
  });

  it("cleanup removes every listener and its DOM", () => {
    const left = trackListeners();
    const { model, root, cleanup } = mount({ gaps: ROWS, n_pool: 100 });
    cleanup();
    expect(model.listenerCount()).toBe(0);
    expect(left()).toEqual([]);
    expect(root.children.length).toBe(0);
  });
});
