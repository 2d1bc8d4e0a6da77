import { describe, expect, it } from "vitest";
import { contrast, parseColor } from "../../src/lib/color.js";
import {
  classOrder,
  colSums,
  formatCell,
  formatRatio,
  heatColors,
  moveFocus,
  normalizeRows,
  precisionRecall,
  rowSums,
  shortCount,
  shortNames,
  topConfusions,
} from "../../src/confusion/model.js";
import { sizing } from "../../src/confusion/table.js";

// given x predicted, K = 3:
//   a: 5 1 4
//   b: 0 6 0
//   c: 2 0 3
const C = Uint32Array.from([5, 1, 4, 0, 6, 0, 2, 0, 3]);

describe("confusion-model", () => {
  it("sums rows and columns", () => {
    expect(Array.from(rowSums(C, 3))).toEqual([10, 6, 5]);
    expect(Array.from(colSums(C, 3))).toEqual([7, 7, 7]);
  });

  it("computes precision (by column) and recall (by row)", () => {
    const { precision, recall } = precisionRecall(C, 3);
    expect(Array.from(precision)).toEqual([5 / 7, 6 / 7, 3 / 7]);
    expect(Array.from(recall)).toEqual([0.5, 1, 0.6]);
    const empty = precisionRecall(Uint32Array.from([0, 0, 0, 1]), 2);
    expect(Number.isNaN(empty.precision[0])).toBe(true);
    expect(Number.isNaN(empty.recall[0])).toBe(true);
  });

  it("row-normalises, leaving empty rows at zero", () => {
    const n = normalizeRows(Uint32Array.from([1, 3, 0, 0]), 2);
    expect(Array.from(n)).toEqual([0.25, 0.75, 0, 0]);
  });

  it("orders classes by confusion mass, most confused first", () => {
    // off-diagonal mass: a = (1+4) + (0+2) = 7, b = 0 + 1 = 1, c = 2 + 4 = 6
    expect(classOrder(C, 3, true)).toEqual([0, 2, 1]);
    expect(classOrder(C, 3, false)).toEqual([0, 1, 2]);
  });

  it("lists the largest off-diagonal cells, never the diagonal or zeros", () => {
    expect(topConfusions(C, 3, 10)).toEqual([
      { row: 0, col: 2, count: 4 },
      { row: 2, col: 0, count: 2 },
      { row: 0, col: 1, count: 1 },
    ]);
    expect(topConfusions(C, 3, 1)).toHaveLength(1);
  });

  it("formats counts and shares", () => {
    expect(formatCell(12, 0.5, false)).toBe("12");
    expect(formatCell(12, 0.456, true)).toBe("46%");
    expect(formatCell(1, 0.004, true)).toBe("<1%");
    expect(formatCell(0, 0, true)).toBe("0");
  });

  it("keeps compact cells to three or four characters (the hover text has the rest)", () => {
    expect(formatCell(1234, 0.5, false, true)).toBe("1k");
    expect(formatCell(999, 0.5, false, true)).toBe("999");
    expect(formatCell(12, 0.456, true, true)).toBe("46");
    expect(formatCell(1, 0.004, true, true)).toBe("<1");
    expect([shortCount(12_345), shortCount(3_400_000)]).toEqual(["12k", "3M"]);
    expect([formatRatio(0.854, true), formatRatio(1, true), formatRatio(0.854)]).toEqual([".85", "1", "0.85"]);
  });

  it("drops a prefix every class name shares, at a word boundary", () => {
    const names = ["category-00-forest", "category-01-river", "category-02-desert"];
    expect(shortNames(names)).toEqual(["…00-forest", "…01-river", "…02-desert"]);
    expect(shortNames(["cat", "car"])).toEqual(["cat", "car"]); // no separator in "ca"
    expect(shortNames(["n01440764", "n01443537"])).toEqual(["n01440764", "n01443537"]);
    expect(shortNames(["ab_", "ab_x"])).toEqual(["ab_", "ab_x"]); // "ab_" would be empty
    expect(shortNames([1, 2])).toEqual(["1", "2"]);
    expect(shortNames(["only one"])).toEqual(["only one"]);
  });

  it("sizes the table so 20 classes fit in half of a 1400 px notebook", () => {
    const ten = sizing(Array.from({ length: 10 }, (_, i) => i));
    expect(ten.compact).toBe(false);
    expect(ten.rotate).toBe(false); // one-character names stay upright
    expect(ten.shown[3]).toBe("3");
    expect(ten.natural * 12).toBeLessThanOrEqual(640);
    const twenty = sizing(Array.from({ length: 20 }, (_, i) => `category-${i}-forest`));
    expect(twenty.compact).toBe(true);
    expect(twenty.rotate).toBe(true);
    expect(twenty.shown[7]).toBe("…7-forest"); // too long for a row header: prefix dropped
    expect(twenty.minimal * 11).toBeLessThanOrEqual(590); // 11 px font; room for a scrollbar
    expect(twenty.minimal).toBeLessThan(twenty.natural);
    // Names that fit keep their prefix; past 24 classes the matrix scrolls and cells keep "100%".
    const hundred = sizing(Array.from({ length: 100 }, (_, i) => `class ${i}`));
    expect(hundred.shown[42]).toBe("class 42");
    expect(hundred.compact).toBe(false);
    expect(hundred.minimal / 100).toBeGreaterThanOrEqual(3.6);
  });

  it("lays heat on the theme's background and picks readable text on it", () => {
    const light = heatColors([25, 118, 210], 1, [255, 255, 255]);
    const dark = heatColors([25, 118, 210], 1, [33, 33, 33]);
    expect(light.background).toBe("rgb(129, 180, 230)");
    expect(light.color).toBe("#000");
    expect(dark.color).toBe("#fff");
    // Any heat, any background: the text keeps WCAG's 4.5:1.
    for (let i = 0; i < 500; i++) {
      const base = [0, 1, 2].map((c) => (i * (37 + c * 11)) % 256);
      const rgb = [0, 1, 2].map((c) => (i * (53 + c * 7)) % 256);
      const { background, color } = heatColors(rgb, (i % 10) / 9, base);
      const ink = color === "#000" ? [0, 0, 0] : [255, 255, 255];
      expect(contrast(parseColor(background).slice(0, 3), ink)).toBeGreaterThanOrEqual(4.5);
    }
  });

  it("moves keyboard focus within cells and headers, never to the corner", () => {
    expect(moveFocus(0, 0, "ArrowRight", 3)).toEqual([0, 1]);
    expect(moveFocus(0, 2, "ArrowRight", 3)).toEqual([0, 2]);
    expect(moveFocus(0, 0, "ArrowUp", 3)).toEqual([-1, 0]);
    expect(moveFocus(0, 0, "ArrowLeft", 3)).toEqual([0, -1]);
    expect(moveFocus(-1, 0, "ArrowLeft", 3)).toEqual([-1, 0]);
    expect(moveFocus(1, 1, "End", 3)).toEqual([1, 2]);
    expect(moveFocus(1, 1, "a", 3)).toBeNull();
  });
});
