// @vitest-environment jsdom
// The measure panel's targets: which confusion cells moved, and the edits grouped by reason
// ("fix 3↔8" reads as "3→8: 12 → 4"); reasons and class names stay text.
import { afterEach, describe, expect, it } from "vitest";
import measure from "../../src/dashboard/measure/index.js";
import { mount as mountView } from "../fake-model.js";

const mount = (values) => mountView(measure, values);

const EVIL = '<img src=x onerror="window.__pwned=1">';

afterEach(() => document.body.replaceChildren());

const BASE = {
  busy: false, edits_since: 0, shown: 0, table: [],
  history: [{ index: 0, n_edits: 2, accuracy_before: 0.8, accuracy_after: 0.85,
    on_test: false, note: "", time: 0 }],
  moved: [
    { given: "3", predicted: "8", before: 12, after: 4 },
    { given: "8", predicted: "5", before: 1, after: 2 },
  ],
  reasons: [
    { reason: "fix 3↔8", n_relabelled: 9, n_excluded: 0,
      cells: [{ given: "3", predicted: "8", before: 12, after: 4 }] },
    { reason: EVIL, n_relabelled: 0, n_excluded: 1, cells: [] },
  ],
};

describe("measure targets", () => {
  it("lists the moved cells largest first, improvements marked good", () => {
    const { root } = mount(BASE);
    const cells = [...root.querySelectorAll(".dcml-measure-moved li")];
    expect(cells.map((c) => c.textContent)).toEqual(["3→8: 12 → 4", "8→5: 1 → 2"]);
    expect(cells.map((c) => c.className)).toEqual(["dcml-good", "dcml-bad"]);
  });

  it("groups the edits by reason with the cells they aimed at, as text", () => {
    const { root, model } = mount(BASE);
    const groups = [...root.querySelectorAll(".dcml-measure-reasons > ul > li")];
    expect(groups[0].textContent).toBe("fix 3↔8 · 9 rows relabelled3→8: 12 → 4");
    expect(groups[1].querySelector(".dcml-measure-reason").textContent).toBe(EVIL);
    expect(groups[1].textContent).toContain("1 row excluded");
    expect(root.querySelector("img")).toBeNull();
    model.set("reasons", []);
    model.set("moved", []);
    expect(root.querySelector(".dcml-measure-reasons")).toBeNull();
    expect(root.querySelector(".dcml-measure-moved")).toBeNull();
  });
});
