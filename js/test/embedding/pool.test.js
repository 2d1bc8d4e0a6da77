// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { createLegend, legendCodeOf, renderLegend } from "../../src/embedding/legend.js";
import { PointData } from "../../src/embedding/points.js";
import { POOL_NAME, drawnCodes, poolCode, poolColor, poolMask } from "../../src/embedding/pool.js";

const u8 = (values) => new DataView(Uint8Array.from(values).buffer);
const u16 = (values) => new DataView(Uint16Array.from(values).buffer);
const u32 = (values) => new DataView(Uint32Array.from(values).buffer);
const LABEL = { name: "label", kind: "categorical", dtype: "uint8", legend: ["a", "b", "(missing)"] };
const ISSUE = { name: "issue", kind: "categorical", dtype: "uint8", legend: ["no issue", "underrepresented"] };
const SCORE = { name: "score", kind: "continuous", dtype: "uint8", legend: ["0", "1"] };

// Four points; rows 2 and 3 are pool rows (label missing: code 2).
function poolLayout(pool = [2, 3]) {
  const msg = { type: "layout", revision: 1, n: 4, nonce: null, channel: LABEL, box: [0, 1, 0, 1], n_pool: pool.length };
  return [msg, [u16([0, 0, 1, 1, 2, 2, 3, 3]), u8([0, 1, 2, 2]), u32(pool)]];
}

describe("pool rows", () => {
  it("are drawn with their own code, one past the channel's", () => {
    const pool = poolMask([1, 3], 4);
    expect(Array.from(pool)).toEqual([0, 1, 0, 1]);
    expect(Array.from(drawnCodes({ header: LABEL, codes: Uint8Array.from([0, 2, 1, 2]) }, pool))).toEqual([0, 3, 1, 3]);
    expect(poolCode(SCORE)).toBe(256);
    expect(Array.from(drawnCodes({ header: SCORE, codes: Uint8Array.from([0, 255, 9, 255]) }, pool))).toEqual([0, 256, 9, 256]);
    // no pool: the channel's own codes, untouched
    const codes = Uint8Array.from([0, 1]);
    expect(drawnCodes({ header: LABEL, codes }, null)).toBe(codes);
  });

  it("keep their issue's colour in the issue channel", () => {
    const pool = poolMask([0, 1], 3);
    expect(Array.from(drawnCodes({ header: ISSUE, codes: Uint8Array.from([0, 1, 1]) }, pool))).toEqual([2, 1, 1]);
  });

  it("refuse a pool position out of range", () => {
    expect(() => poolMask([4], 4)).toThrow(/out of range/);
  });

  it("come with the layout, hide and show in every channel, and leave the pool when labelled", () => {
    const p = new PointData();
    p.acceptLayout(...poolLayout());
    expect(p.visible("label")).toBeNull();
    p.togglePool();
    expect(Array.from(p.visible("label"))).toEqual([0, 1]);
    p.channels.set("score", { header: SCORE, codes: Uint8Array.from([10, 20, 255, 255]) });
    expect(Array.from(p.visible("score"))).toEqual([0, 1]);
    // row 3 gets label "a": a label patch carries its pool flag 0
    const patch = { type: "patch", revision: 1, channels: [LABEL], pool: true };
    const out = p.acceptPatch(patch, [u32([3]), u8([0]), u8([0])]);
    expect(out.pool).toBe(true);
    expect(Array.from(p.visible("label"))).toEqual([0, 1, 3]);
    p.togglePool();
    expect(p.visible("label")).toBeNull();
  });

  it("a layout without pool rows has no pool", () => {
    const p = new PointData();
    p.acceptLayout(...poolLayout([]));
    expect(p.pool).toBeNull();
  });
});

describe("the pool's legend entry", () => {
  it("is text, with its count, and toggles the pool", () => {
    const p = new PointData();
    p.acceptLayout(...poolLayout());
    let toggled = 0;
    const legend = createLegend(p, () => "label", () => (toggled += 1));
    legend.paint();
    const items = [...legend.el.querySelectorAll("button")];
    expect(items.map((b) => b.textContent)).toEqual(["a 1", "b 1", `${POOL_NAME} 2`]);
    const swatch = items[2].querySelector(".dcml-embedding-swatch");
    expect(swatch.style.background).not.toBe("");
    items[2].querySelector("span").click();
    expect([p.poolHidden, toggled]).toEqual([true, 1]);
    legend.paint();
    const pool = legend.el.querySelector('[data-code="pool"]');
    expect(pool.classList.contains("dcml-embedding-off")).toBe(true);
    expect(pool.getAttribute("aria-pressed")).toBe("false");
    legend.cleanup();
  });

  it("shows after a continuous channel's ramp, and not when there is no pool row", () => {
    const box = document.createElement("div");
    const pool = { count: 5, hidden: false, color: poolColor(true) };
    renderLegend(box, SCORE, Array(256).fill("#000000"), null, new Set(), pool);
    expect(box.querySelector(".dcml-embedding-ramp")).not.toBeNull();
    expect(box.querySelector('[data-code="pool"]').textContent).toBe(`${POOL_NAME} 5`);
    renderLegend(box, SCORE, Array(256).fill("#000000"), null, new Set(), { ...pool, count: 0 });
    expect(box.querySelector('[data-code="pool"]')).toBeNull();
    const click = new MouseEvent("click", { bubbles: true });
    renderLegend(box, SCORE, Array(256).fill("#000000"), null, new Set(), pool);
    Object.defineProperty(click, "target", { value: box.querySelector('[data-code="pool"] span') });
    expect(legendCodeOf(click)).toBe("pool");
  });
});
