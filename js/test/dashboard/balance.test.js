// @vitest-environment jsdom
// The class-balance chart: a pair of bars per class scaled to the tallest count, class names
// as text, an edit redraws the bars, cleanup removes everything.
import { afterEach, describe, expect, it } from "vitest";
import balance, { heights } from "../../src/dashboard/balance/index.js";
import { mount as mountView } from "../fake-model.js";

const mount = (values) => mountView(balance, values);

const EVIL = '<img src=x onerror="window.__pwned=1">';

const barHeights = (root, kind) =>
  [...root.querySelectorAll(`.dcml-balance-bars .dcml-balance-${kind}`)].map((b) => b.style.height);

afterEach(() => document.body.replaceChildren());

describe("class balance chart", () => {
  it("scales both bar series to the tallest count", () => {
    expect(heights([10, 5], [20, 0])).toEqual({ given: [50, 25], now: [100, 0] });
    expect(heights([0, 0], [0, 0])).toEqual({ given: [0, 0], now: [0, 0] });
  });

  it("draws a given and a now bar per class, names as text", () => {
    const { root } = mount({ names: ["cat", EVIL], given: [4, 2], now: [3, 4] });
    expect(barHeights(root, "given")).toEqual(["100%", "50%"]);
    expect(barHeights(root, "now")).toEqual(["75%", "100%"]);
    const names = [...root.querySelectorAll(".dcml-balance-name")].map((n) => n.textContent);
    expect(names).toEqual(["cat", EVIL]);
    expect(root.querySelector(".dcml-balance-bars .dcml-balance-now").title).toBe("cat: 3 rows now");
    expect(root.querySelector("img")).toBeNull();
    expect(window.__pwned).toBeUndefined();
  });

  it("redraws when the counts change, and cleans up", () => {
    const { model, root, cleanup } = mount({ names: ["a", "b"], given: [2, 2], now: [2, 2] });
    model.set("now", [1, 3]);
    const now = barHeights(root, "now").map((h) => Number.parseFloat(h));
    expect(now[0]).toBeCloseTo(100 / 3);
    expect(now[1]).toBe(100);
    expect(barHeights(root, "given").map((h) => Number.parseFloat(h))[0]).toBeCloseTo(200 / 3);
    cleanup();
    expect(root.children.length).toBe(0);
  });
});
