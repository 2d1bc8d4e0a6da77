import { describe, expect, it } from "vitest";
import { contrast, inkOn, luminance, over, parseColor } from "../../src/lib/color.js";

describe("colour arithmetic", () => {
  it("parses the forms getComputedStyle returns", () => {
    expect(parseColor("rgb(33, 33, 33)")).toEqual([33, 33, 33, 1]);
    expect(parseColor("rgba(255, 255, 255, 0.54)")).toEqual([255, 255, 255, 0.54]);
    expect(parseColor("color(srgb 1 0.5 0 / 0.5)")).toEqual([255, 127.5, 0, 0.5]);
    expect(parseColor("#336699")).toEqual([51, 102, 153, 1]);
    expect(parseColor("var(--nope)")).toBeNull();
    expect(parseColor(undefined)).toBeNull();
  });

  it("gives WCAG's numbers", () => {
    expect(luminance([255, 255, 255])).toBeCloseTo(1, 6);
    expect(contrast([0, 0, 0], [255, 255, 255])).toBeCloseTo(21, 6);
    // JupyterLab Light's secondary text (rgba(0,0,0,.54)) on white: 4.6:1 (WebAIM's figure).
    expect(contrast(over([0, 0, 0, 0.54], [255, 255, 255]), [255, 255, 255])).toBeCloseTo(4.6, 1);
    expect(over([255, 0, 0, 0.5], [0, 0, 255])).toEqual([127.5, 0, 127.5]);
  });

  it("picks black or white text, whichever reads better", () => {
    expect(inkOn([255, 255, 255])).toBe("#000");
    expect(inkOn([33, 33, 33])).toBe("#fff");
    expect(inkOn([25, 118, 210])).toBe("#fff");
    expect(inkOn([255, 224, 178])).toBe("#000");
  });
});
