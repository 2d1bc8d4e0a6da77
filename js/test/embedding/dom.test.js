// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { previewCard } from "../../src/embedding/preview.js";
import { renderLegend, legendCodeOf } from "../../src/embedding/legend.js";

const HOSTILE = '<img src=x onerror="window.__pwned=1"><b>bold</b>';

describe("previewCard", () => {
  it("puts hostile dataset strings in as text", () => {
    const card = previewCard({
      row: {
        id: HOSTILE, label: "<i>a</i>", given: "<i>a</i>", predicted: "b", suggested: "",
        score: 0.25, issues: ["label"], status: "edited", note: HOSTILE,
        features: [[HOSTILE, HOSTILE], ["f1", "1.5"]],
      },
      thumb: null,
    });
    expect(card.querySelector("img, b, i, script")).toBeNull();
    expect(card.textContent).toContain(HOSTILE);
    expect(card.textContent).toContain("<i>a</i>");
    expect(card.textContent).toContain("label score0.25");
    expect(card.textContent).not.toContain("given"); // same as label: not repeated
    expect(window.__pwned).toBeUndefined();
  });
  it("ignores malformed feature entries", () => {
    const card = previewCard({ row: { id: "1", features: [["only one"], "x", null] }, thumb: null });
    expect(card.textContent).toBe("id1");
  });
});

describe("preview thumbnail", () => {
  it("shows the PNG object URL the view made, and no image without one", () => {
    const row = { id: "7", label: "a", given: "a" };
    const card = previewCard({ row, thumb: "png" }, "blob:http://localhost/abc");
    const img = card.querySelector("img.dcml-embedding-thumb");
    expect(img.getAttribute("src")).toBe("blob:http://localhost/abc");
    expect(card.textContent).toBe("id7labela");
    expect(previewCard({ row, thumb: null }).querySelector("img")).toBeNull();
  });
});

describe("renderLegend", () => {
  it("renders categories as text with counts, hides empty ones, marks hidden ones", () => {
    const box = document.createElement("div");
    const header = { kind: "categorical", legend: ["<b>x</b>", "y", "(missing)"] };
    renderLegend(box, header, ["#111111", "#222222", "#c8c8c8"], new Uint32Array([3, 1, 0]), new Set([1]));
    const items = box.querySelectorAll("button");
    expect(items).toHaveLength(2);
    expect(box.querySelector("b")).toBeNull();
    expect(items[0].textContent).toBe("<b>x</b> 3");
    expect(items[1].classList.contains("dcml-embedding-off")).toBe(true);
    const click = new MouseEvent("click", { bubbles: true });
    Object.defineProperty(click, "target", { value: items[1].querySelector("span") });
    expect(legendCodeOf(click)).toBe(1);
  });
  it("renders a ramp for a continuous channel", () => {
    const box = document.createElement("div");
    renderLegend(box, { kind: "continuous", legend: ["low", "high"] }, Array(256).fill("#000000"), null, new Set());
    expect(box.querySelector(".dcml-embedding-ramp")).not.toBeNull();
    expect(box.textContent).toBe("lowhigh");
  });
});
