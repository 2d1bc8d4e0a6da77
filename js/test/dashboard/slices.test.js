// @vitest-environment jsdom
// The weakest-slices panel: what it lists, what a click sends, text stays text, cleanup.
import { afterEach, describe, expect, it } from "vitest";
import slices from "../../src/dashboard/slices/index.js";
import { trackListeners } from "../dom-listeners.js";
import { mount as mountView } from "../fake-model.js";

const mount = (values) => mountView(slices, values);

const EVIL = '<img src=x onerror="window.__pwned=1">';

const ROWS = [
  { slice: 0, source: "column", column: "scanner", value: "S4", n: 205, accuracy: 0.7,
    accuracy_gap: -0.19, ci_low: -0.3, ci_high: -0.07, label_issue_rate: 0.1, significant: true },
  { slice: 1, source: "underperforming_group", column: "cluster", value: "3", n: 40,
    accuracy: 0.8, accuracy_gap: -0.05, ci_low: -0.2, ci_high: 0.1, label_issue_rate: 0.05,
    significant: false },
  { slice: 2, source: "column", column: EVIL, value: EVIL, n: 30, accuracy: 0.9,
    accuracy_gap: 0.01, ci_low: -0.1, ci_high: 0.12, label_issue_rate: 0, significant: false },
];

afterEach(() => document.body.replaceChildren());

describe("slices panel", () => {
  it("lists the slices worst first with their intervals, dataset text as text", () => {
    const { root } = mount({ slices: ROWS });
    const rows = [...root.querySelectorAll("tbody tr")];
    expect(rows.map((r) => r.children[0].textContent)).toEqual([
      "scanner = S4",
      "cluster 3",
      `${EVIL} = ${EVIL}`,
    ]);
    expect(rows[0].children[4].textContent).toBe("−0.300 … −0.070");
    expect(rows[0].classList.contains("dcml-slices-significant")).toBe(true);
    expect(root.querySelector("img")).toBeNull();
    expect(window.__pwned).toBeUndefined();
  });

  it("sends the clicked slice's number, and shows when there is none", () => {
    const { model, root } = mount({ slices: ROWS });
    root.querySelectorAll("tbody tr")[1].children[2].click();
    expect(model.sent).toEqual([{ type: "select_slice", slice: 1 }]);
    model.set("slices", []);
    expect(root.querySelector(".dcml-slices-table").hidden).toBe(true);
    expect(root.querySelector(".dcml-slices-empty").hidden).toBe(false);
  });

  it("cleanup removes every listener and its DOM", () => {
    const left = trackListeners();
    const { model, root, cleanup } = mount({ slices: ROWS });
    cleanup();
    expect(model.listenerCount()).toBe(0);
    expect(left()).toEqual([]);
    expect(root.children.length).toBe(0);
  });
});
