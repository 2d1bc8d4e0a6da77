import { describe, expect, it } from "vitest";
import {
  classOrder,
  colSums,
  formatCell,
  moveFocus,
  normalizeRows,
  precisionRecall,
  rowSums,
  topConfusions,
} from "../../src/confusion/model.js";

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
