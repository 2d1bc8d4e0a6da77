// @vitest-environment jsdom
// The measure chart: per-class F1 before and after on a 0–1 scale, class names as text,
// values in the bars' titles, a new measurement redraws it, cleanup removes everything.
import { afterEach, describe, expect, it } from "vitest";
import chart, { heights } from "../../src/dashboard/measure_chart/index.js";
import { mount as mountView } from "../fake-model.js";

const mount = (values) => mountView(chart, values);

const EVIL = '<img src=x onerror="window.__pwned=1">';

const bars = (root, kind) => [...root.querySelectorAll(`.dcml-measure-chart-bars .dcml-measure-chart-${kind}`)];
const barHeights = (root, kind) => bars(root, kind).map((b) => Number.parseFloat(b.style.height));

afterEach(() => document.body.replaceChildren());

describe("measure chart", () => {
  it("scales F1 to the 0–1 axis, clamped, missing values flat", () => {
    expect(heights([0, 0.25, 1, 1.2, -0.1, null])).toEqual([0, 25, 100, 100, 0, 0]);
  });

  it("draws a before and an after bar per class, names and title as text", () => {
    const { root } = mount({
      title: "Per-class F1, measurement #2 (6 edits, out-of-sample)",
      names: ["cat", EVIL, "dog"],
      f1_before: [0.5, 0.8, null],
      f1_after: [0.75, 0.9, 1],
    });
    expect(barHeights(root, "before")).toEqual([50, 80, 0]);
    expect(barHeights(root, "after")).toEqual([75, 90, 100]);
    // One pair per class, in order: grey (before) first, blue (after) second.
    const groups = [...root.querySelectorAll(".dcml-measure-chart-class")];
    expect(groups.map((g) => [...g.children].map((b) => b.classList.contains("dcml-measure-chart-after")))).toEqual([
      [false, true],
      [false, true],
      [false, true],
    ]);
    const names = [...root.querySelectorAll(".dcml-measure-chart-name")].map((n) => n.textContent);
    expect(names).toEqual(["cat", EVIL, "dog"]);
    expect(bars(root, "after")[0].title).toBe("cat: F1 after 0.750");
    expect(bars(root, "before")[1].title).toBe(`${EVIL}: F1 before 0.800`);
    expect(bars(root, "before")[2].title).toBe("dog: F1 before –");
    expect(root.querySelector(".dcml-measure-chart-heading").textContent).toBe(
      "Per-class F1, measurement #2 (6 edits, out-of-sample)",
    );
    const legend = root.querySelector(".dcml-measure-chart-legend");
    expect(legend.textContent).toBe("F1 beforeF1 after");
    expect(legend.querySelector(".dcml-measure-chart-before")).not.toBeNull();
    expect(legend.querySelector(".dcml-measure-chart-after")).not.toBeNull();
    const ticks = [...root.querySelectorAll(".dcml-measure-chart-axis > span")];
    expect(ticks.map((t) => [t.textContent, t.style.bottom])).toEqual([
      ["0", "0%"],
      ["0.5", "50%"],
      ["1", "100%"],
    ]);
    expect(root.querySelector("img")).toBeNull();
    expect(window.__pwned).toBeUndefined();
  });

  it("redraws for another measurement, and cleans up", () => {
    const { model, root, cleanup } = mount({ title: "#1", names: ["a", "b"], f1_before: [1, 1], f1_after: [1, 1] });
    model.values.names = ["a", "b", "c"];
    model.values.f1_before = [0.2, 0.4, 0.6];
    model.set("f1_after", [0.3, 0.5, 0.7]);
    model.set("title", "#2");
    expect(barHeights(root, "before").map(Math.round)).toEqual([20, 40, 60]);
    expect(barHeights(root, "after").map(Math.round)).toEqual([30, 50, 70]);
    expect(root.querySelector(".dcml-measure-chart-heading").textContent).toBe("#2");
    expect(model.sent).toEqual([]); // it only draws: nothing goes back to Python
    cleanup();
    expect(root.children.length).toBe(0);
    expect(model.listenerCount()).toBe(0);
  });
});
