import { describe, expect, it } from "vitest";
import {
  applyPatch, countCodes, decodeCodes, decodeLayout, encodeSelection, toPoints, visibleIndices,
} from "../../src/embedding/codec.js";
import { paletteFor, scoreColor } from "../../src/embedding/palette.js";
import { cssColorToRgba, drawQueue, isDark, themeOptions } from "../../src/embedding/scatter.js";

// What the kernel sends: little-endian bytes inside a DataView that may sit at any offset.
const asDataView = (typed, offset = 0) => {
  const raw = new ArrayBuffer(typed.byteLength + offset);
  new Uint8Array(raw, offset).set(new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength));
  return new DataView(raw, offset, typed.byteLength);
};

describe("decodeLayout", () => {
  const BOX = [-2, 2, 10, 11];
  it("maps interleaved uint16 codes into the box, corner to corner", () => {
    const codes = new Uint16Array([0, 0, 65535, 65535, 32768, 13107]);
    const { x, y } = decodeLayout(asDataView(codes), 3, BOX);
    expect(Array.from(x)).toEqual([-2, 2, -2 + (4 * 32768) / 65535].map(Math.fround));
    expect(Array.from(y)).toEqual([10, 11, 10 + 13107 / 65535].map(Math.fround));
  });
  it("copes with a buffer at an unaligned offset", () => {
    const { x } = decodeLayout(asDataView(new Uint16Array([0, 1, 65535, 3]), 3), 2, BOX);
    expect(Array.from(x)).toEqual([-2, 2]);
  });
  it("refuses a layout of the wrong length or without a finite box", () => {
    expect(() => decodeLayout(asDataView(new Uint16Array(6)), 4, BOX)).toThrow(/3 points, expected 4/);
    expect(() => decodeLayout(asDataView(new Uint16Array(4)), 2, [0, 1, NaN, 1])).toThrow(/box/);
    expect(() => decodeLayout(asDataView(new Uint16Array(4)), 2, undefined)).toThrow(/box/);
  });
});

describe("decodeCodes", () => {
  it("decodes uint8 and uint16 codes as a copy", () => {
    const sent = new Uint16Array([300, 2, 65535]);
    const view = asDataView(sent);
    const codes = decodeCodes(view, { dtype: "uint16" }, 3);
    expect(Array.from(codes)).toEqual([300, 2, 65535]);
    codes[0] = 1;
    expect(view.getUint16(0, true)).toBe(300);
    expect(Array.from(decodeCodes(asDataView(new Uint8Array([7, 0])), { dtype: "uint8" }, 2))).toEqual([7, 0]);
  });
  it("refuses unknown dtypes and wrong lengths", () => {
    expect(() => decodeCodes(asDataView(new Uint8Array(2)), { dtype: "float64" }, 2)).toThrow(/dtype/);
    expect(() => decodeCodes(asDataView(new Uint8Array(2)), { dtype: "uint8" }, 3)).toThrow(/expected 3/);
    expect(() => decodeCodes(asDataView(new Uint8Array(3)), { dtype: "uint16" }, 1)).toThrow(/whole number/);
  });
});

describe("applyPatch", () => {
  it("writes new codes at the given positions and counts real changes", () => {
    const codes = new Uint8Array([0, 1, 2, 3]);
    expect(applyPatch(codes, new Uint32Array([3, 0]), new Uint8Array([3, 9]))).toBe(1);
    expect(Array.from(codes)).toEqual([9, 1, 2, 3]);
  });
  it("refuses mismatched or out-of-range diffs", () => {
    const codes = new Uint8Array(2);
    expect(() => applyPatch(codes, new Uint32Array([0, 1]), new Uint8Array([1]))).toThrow(/2 positions/);
    expect(() => applyPatch(codes, new Uint32Array([2]), new Uint8Array([1]))).toThrow(/out of range/);
  });
});

describe("selection and filters", () => {
  it("encodes a selection as sorted unique uint32 positions", () => {
    const sel = encodeSelection([5, 1, 5, 4294967295, 0]);
    expect(sel).toBeInstanceOf(Uint32Array);
    expect(Array.from(sel)).toEqual([0, 1, 5, 4294967295]);
    expect(new Uint8Array(sel.buffer).length).toBe(16);
    expect(Array.from(encodeSelection([]))).toEqual([]);
  });
  it("lists the points whose class is not hidden", () => {
    const codes = new Uint8Array([0, 1, 2, 1, 0]);
    expect(visibleIndices(codes, new Set())).toBeNull();
    expect(Array.from(visibleIndices(codes, new Set([1])))).toEqual([0, 2, 4]);
    expect(Array.from(visibleIndices(codes, new Set([0, 1, 2])))).toEqual([]);
  });
  it("counts points per code and builds scatter columns", () => {
    expect(Array.from(countCodes(new Uint8Array([2, 2, 0, 9]), 3))).toEqual([1, 0, 2]);
    const layout = { x: new Float32Array([1]), y: new Float32Array([2]) };
    const codes = new Uint8Array([4]);
    expect(toPoints(layout, codes)).toEqual({ x: layout.x, y: layout.y, valueA: codes });
  });
});

describe("palettes", () => {
  it("gives one colour per code and grey for missing", () => {
    const label = paletteFor({ name: "label", kind: "categorical", legend: ["a", "b", "(missing)"] });
    expect(label).toHaveLength(3);
    expect(new Set(label).size).toBe(3);
    expect(label[2]).toBe("#c8c8c8");
    const many = paletteFor({ name: "label", kind: "categorical", legend: Array.from({ length: 300 }, String) });
    expect(many.every((c) => /^#[0-9a-f]{6}$/.test(c))).toBe(true);
    const score = paletteFor({ name: "score", kind: "continuous", legend: ["0", "1"] });
    expect(score).toHaveLength(256);
    expect(score[255]).toBe("#c8c8c8");
    expect(scoreColor(0)).toBe("#d73027");
    expect(scoreColor(254)).toBe("#1a9850");
  });
  it("gives neutral colours that recede into a dark background too", () => {
    const status = { name: "status", kind: "categorical", legend: ["unchanged", "edited"] };
    const light = paletteFor(status);
    const dark = paletteFor(status, { dark: true });
    expect(light[1]).toBe(dark[1]); // edited keeps its colour
    expect(light[0]).not.toBe(dark[0]);
    const level = (hex) => parseInt(hex.slice(1, 3), 16);
    expect(level(dark[0])).toBeLessThan(128); // a dark grey on a dark plot
    expect(level(light[0])).toBeGreaterThan(128);
    const label = paletteFor({ name: "label", kind: "categorical", legend: ["a", "(missing)"] }, { dark: true });
    expect(label[1]).toBe("#5c5c5c");
  });
  it("outlines selected and hovered points against the plot's background", () => {
    const dark = themeOptions([0.13, 0.13, 0.13, 1]);
    const light = themeOptions([1, 1, 1, 1]);
    expect([isDark([0.13, 0.13, 0.13, 1]), isDark([1, 1, 1, 1])]).toEqual([true, false]);
    expect(dark.backgroundColor).toEqual([0.13, 0.13, 0.13, 1]);
    expect(dark.pointColorActive).toEqual([1, 1, 1, 1]);
    expect(light.pointColorActive).toEqual([0.05, 0.05, 0.05, 1]);
    expect(dark.reticleColor[0]).toBe(1);
    expect(light.reticleColor[0]).toBe(0);
  });
  it("parses CSS colours for the plot background", () => {
    expect(cssColorToRgba("rgb(255, 0, 51)")).toEqual([1, 0, 0.2, 1]);
    expect(cssColorToRgba("rgba(0, 0, 0, 0)")).toEqual([0, 0, 0, 1]);
    expect(cssColorToRgba("#336699")).toEqual([0.2, 0.4, 0.6, 1]);
    expect(cssColorToRgba("var(--nope)", [9, 9, 9, 9])).toEqual([9, 9, 9, 9]);
  });
});

describe("drawQueue", () => {
  it("never runs two draws at once and coalesces requests made meanwhile", async () => {
    let running = 0;
    let maxRunning = 0;
    let runs = 0;
    let release;
    const job = async () => {
      running += 1;
      maxRunning = Math.max(maxRunning, running);
      runs += 1;
      await new Promise((r) => { release = r; });
      running -= 1;
    };
    const draw = drawQueue(job, () => {});
    draw();
    draw();
    draw();
    draw();
    await Promise.resolve();
    release();
    await new Promise((r) => setTimeout(r, 0));
    release();
    await draw.idle();
    expect(runs).toBe(2);
    expect(maxRunning).toBe(1);
  });
  it("reports a failing draw and keeps working", async () => {
    const errors = [];
    let n = 0;
    const draw = drawQueue(async () => {
      n += 1;
      if (n === 1) throw new Error("boom");
    }, (e) => errors.push(e.message));
    await draw();
    await draw();
    expect(errors).toEqual(["boom"]);
    expect(n).toBe(2);
  });
});
