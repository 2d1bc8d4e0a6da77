import { describe, expect, it } from "vitest";
import { PointData } from "../../src/embedding/points.js";

const f32 = (values) => new DataView(Float32Array.from(values).buffer);
const u8 = (values) => new DataView(Uint8Array.from(values).buffer);
const u16 = (values) => new DataView(Uint16Array.from(values).buffer);
const u32 = (values) => new DataView(Uint32Array.from(values).buffer);
const LABEL = { name: "label", kind: "categorical", dtype: "uint8", legend: ["a", "b", "(missing)"] };
const STATUS = { name: "status", kind: "categorical", dtype: "uint8", legend: ["unchanged", "edited"] };

function layoutMsg(revision, n, nonce = null) {
  // Codes i * 1000 in the box [0, 65.535] decode to i exactly.
  const msg = { type: "layout", revision, n, nonce, channel: LABEL, box: [0, 65.535, 0, 65.535] };
  const xy = Array.from({ length: 2 * n }, (_, i) => i * 1000);
  return [msg, [u16(xy), u8(Array.from({ length: n }, (_, i) => i % 2))]];
}

describe("PointData layouts", () => {
  it("takes a layout with its active channel, and counts layouts", () => {
    const p = new PointData();
    expect(p.acceptLayout(...layoutMsg(1, 3))).toEqual({ kind: "layout", resized: false });
    expect(Array.from(p.layout.x)).toEqual([0, 2, 4]);
    expect(Array.from(p.channel("label").codes)).toEqual([0, 1, 0]);
    expect([p.revision, p.n, p.version]).toEqual([1, 3, 1]);
  });

  it("skips older revisions and replies to another view's init for the layout shown", () => {
    const p = new PointData();
    p.acceptLayout(...layoutMsg(2, 3));
    expect(p.acceptLayout(...layoutMsg(1, 3)).kind).toBe("stale");
    expect(p.acceptLayout(...layoutMsg(2, 3, "other-view")).kind).toBe("stale");
    expect(p.version).toBe(1);
    // The same revision without a nonce is a push from the kernel: taken.
    expect(p.acceptLayout(...layoutMsg(2, 3)).kind).toBe("layout");
    expect(p.version).toBe(2);
  });

  it("says when the point count changed, so the points cannot move to the new layout", () => {
    const p = new PointData();
    expect(p.acceptLayout(...layoutMsg(1, 3)).resized).toBe(false);
    expect(p.acceptLayout(...layoutMsg(2, 3)).resized).toBe(false);
    expect(p.acceptLayout(...layoutMsg(3, 4)).resized).toBe(true);
  });

  it("an empty layout drops the points, the channels and the hidden codes", () => {
    const p = new PointData();
    p.acceptLayout(...layoutMsg(1, 3));
    p.toggleHidden(1);
    expect(p.acceptLayout({ type: "layout", revision: 2, n: 0, nonce: null, channel: null }, [])).toEqual({
      kind: "empty",
      resized: false,
    });
    expect([p.layout, p.channels.size, p.hidden.size, p.revision]).toEqual([null, 0, 0, 2]);
  });

  it("keeps what it had when a layout does not decode", () => {
    const p = new PointData();
    p.acceptLayout(...layoutMsg(1, 3));
    const [msg] = layoutMsg(2, 3);
    expect(() => p.acceptLayout(msg, [u16([1, 2]), u8([0, 0, 0])])).toThrow(/expected 3/);
    expect([p.revision, p.n, p.layout.x.length]).toEqual([1, 3, 3]);
  });
});

describe("PointData channels and patches", () => {
  it("takes channels of the current revision only", () => {
    const p = new PointData();
    expect(p.acceptChannel({ ...STATUS, revision: -1 }, [u8([])])).toBe(false); // no layout yet
    p.acceptLayout(...layoutMsg(1, 3));
    expect(p.acceptChannel({ ...STATUS, revision: 0 }, [u8([1, 1, 1])])).toBe(false);
    expect(p.acceptChannel({ ...STATUS, revision: 1 }, [u8([0, 1, 0])])).toBe(true);
    expect(Array.from(p.channel("status").codes)).toEqual([0, 1, 0]);
  });

  it("patches the channels it holds and drops one whose code width changed", () => {
    const p = new PointData();
    p.acceptLayout(...layoutMsg(1, 3));
    p.acceptChannel({ ...STATUS, revision: 1 }, [u8([0, 0, 0])]);
    const wide = { ...LABEL, dtype: "uint16" };
    const issue = { name: "issue", kind: "categorical", dtype: "uint8", legend: ["none"] };
    const out = p.acceptPatch(
      { type: "patch", revision: 1, channels: [STATUS, wide, issue] },
      [u32([2]), u8([1]), u16([300]), u8([0])],
    );
    expect(out).toEqual({ changed: ["status"], dropped: ["label"], pool: false });
    expect(Array.from(p.channel("status").codes)).toEqual([0, 0, 1]);
    expect(p.channel("label")).toBeUndefined();
    const stale = p.acceptPatch({ type: "patch", revision: 0, channels: [STATUS] }, [u32([0]), u8([1])]);
    expect(stale).toEqual({ changed: [], dropped: [], pool: false });
    expect(Array.from(p.channel("status").codes)).toEqual([0, 0, 1]);
  });

  it("lists the points a channel shows once legend codes are hidden", () => {
    const p = new PointData();
    p.acceptLayout(...layoutMsg(1, 4)); // label codes 0, 1, 0, 1
    expect(p.visible("label")).toBeNull();
    p.toggleHidden(1);
    expect(Array.from(p.visible("label"))).toEqual([0, 2]);
    p.toggleHidden(1);
    expect(p.visible("label")).toBeNull();
    p.toggleHidden(0);
    p.acceptChannel({ name: "score", kind: "continuous", dtype: "uint8", legend: ["0", "1"], revision: 1 }, [
      u8([0, 9, 200, 254]),
    ]);
    expect(p.visible("score")).toBeNull(); // a continuous channel is never filtered
  });
});
