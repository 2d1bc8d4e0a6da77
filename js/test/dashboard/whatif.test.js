// @vitest-environment jsdom
// The what-if panel: bars best first, progress while busy, apply as a message, stale rows
// cannot be applied, text stays text, cleanup removes every listener.
import { afterEach, describe, expect, it } from "vitest";
import whatif, { barWidth } from "../../src/dashboard/whatif/index.js";
import { trackListeners } from "../dom-listeners.js";
import { mount as mountView } from "../fake-model.js";

const mount = (values) => mountView(whatif, values);

const EVIL = '<img src=x onerror="window.__pwned=1">';

afterEach(() => document.body.replaceChildren());

const ROWS = [
  { intervention: "exclude_label_issues", title: "Exclude suspects", n_rows: 36,
    accuracy_after: 0.92, accuracy_delta: 0.1, macro_f1_after: 0.9, macro_f1_delta: 0.08,
    on_test: false, optimistic: true },
  { intervention: "exclude_outliers", title: EVIL, n_rows: 5, accuracy_after: 0.79,
    accuracy_delta: -0.05, macro_f1_after: 0.7, macro_f1_delta: -0.02, on_test: false,
    optimistic: true },
  { intervention: "resolve_conflicts", title: "Resolve", n_rows: 0, accuracy_after: null,
    accuracy_delta: null, macro_f1_after: null, macro_f1_delta: null, on_test: false,
    optimistic: true },
];

describe("what-if", () => {
  it("draws one bar per row, scaled to the largest change, signed by side", () => {
    const { root } = mount({ rows: ROWS, busy: false, progress: {}, status: "", edits_since: 0 });
    const rows = [...root.querySelectorAll(".dcml-whatif-row")];
    expect(rows.map((r) => r.dataset.intervention)).toEqual(ROWS.map((r) => r.intervention));
    const pos = rows[0].querySelector(".dcml-whatif-pos");
    const neg = rows[1].querySelector(".dcml-whatif-neg");
    expect(pos.style.width).toBe("100%");
    expect(neg.style.width).toBe("50%");
    expect(rows[2].querySelector(".dcml-whatif-bar")).toBeNull();
    expect(rows[0].querySelector(".dcml-whatif-figures").textContent).toBe(
      "accuracy 92.0% (+0.100) · macro-F1 +0.080",
    );
    expect(rows[1].querySelector(".dcml-whatif-name").textContent).toBe(EVIL);
    expect(root.querySelector("img")).toBeNull();
    expect(rows[2].querySelector("button").disabled).toBe(true);
    expect(root.querySelector(".dcml-whatif-note").textContent).toContain("optimistic");
    expect(barWidth(null, 1)).toBe(0);
  });

  it("asks to compute, shows progress, applies a row, and refuses stale rows", () => {
    const left = trackListeners();
    const { model, root, cleanup } = mount({
      rows: [], busy: false, progress: {}, status: "", edits_since: 0,
    });
    root.querySelector(".dcml-whatif-run").click();
    model.set("progress", { done: 2, total: 6, name: "exclude_outliers" });
    model.set("busy", true);
    expect(root.querySelector(".dcml-whatif-info").textContent).toBe("2 of 6: exclude_outliers");
    expect(root.querySelector(".dcml-whatif-run").disabled).toBe(true);
    expect(root.querySelector(".dcml-whatif-progress").hidden).toBe(false);
    model.set("rows", ROWS);
    model.set("busy", false);
    root.querySelector('button[data-intervention="exclude_outliers"]').click();
    expect(model.sent).toEqual([
      { type: "compute" },
      { type: "apply", intervention: "exclude_outliers" },
    ]);
    model.set("edits_since", 1);
    const apply = root.querySelector('button[data-intervention="exclude_label_issues"]');
    expect(apply.disabled).toBe(true);
    apply.click();
    expect(model.sent.length).toBe(2);
    cleanup();
    expect(model.listenerCount()).toBe(0);
    expect(left()).toEqual([]);
    expect(root.children.length).toBe(0);
  });
});
