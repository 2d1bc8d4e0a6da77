// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { createGuideline } from "../../src/grid/guideline.js";
import { FakeModel } from "../fake-model.js";

const HOSTILE = '<img src=x onerror="window.__pwned=1">';

describe("the guideline under the class picker", () => {
  it("shows the active class's text and examples as text, follows the trait, cleans up", () => {
    const model = new FakeModel({
      class_names: ["dent", "scratch"],
      guidelines: [{ class: "scratch", text: HOSTILE, examples: [{ id: "p3", text: "<b>x</b>" }] }],
    });
    const g = createGuideline(model);
    g.showFor(0);
    expect(g.el.hidden).toBe(true); // dent has no guideline
    g.showFor(1);
    expect(g.el.hidden).toBe(false);
    expect(g.el.querySelector(".dcml-grid-guideline-text").textContent).toBe(HOSTILE);
    expect(g.el.querySelector("img, b")).toBeNull();
    expect(g.el.querySelector("li").textContent).toBe("p3: <b>x</b>");
    model.set("guidelines", [{ class: "scratch", text: "only the coating", examples: [] }]);
    expect(g.el.textContent).toContain("only the coating");
    g.cleanup();
    expect(model.listenerCount()).toBe(0);
  });
});
