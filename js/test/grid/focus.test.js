import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createFocus } from "../../src/grid/focus.js";
import { FakeModel } from "../fake-model.js";

// A page cache stand-in: rows by grid index (an index without a row is a page not loaded).
function cacheOf(rows) {
  return { row: (i) => rows[i] };
}

const rows = [{ pos: 10 }, { pos: 11 }, { pos: 12 }, { pos: 13 }];
const focusSent = (m) => m.sent.filter((msg) => msg.type === "focus");

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe("grid focus", () => {
  it("starts at the kernel's focus and clamps moves to the rows", () => {
    const m = new FakeModel({ focus_index: 2, total: 4 });
    const focus = createFocus(m, cacheOf(rows));
    expect(focus.index).toBe(2);
    expect(focus.move(9)).toBe(true);
    expect(focus.index).toBe(3);
    expect(focus.move(-5)).toBe(true);
    expect(focus.index).toBe(0);
    expect(createFocus(new FakeModel({ focus_index: -1, total: 4 }), cacheOf(rows)).index).toBe(0);
  });

  it("does not move without rows", () => {
    const m = new FakeModel({ focus_index: -1, total: 0 });
    const focus = createFocus(m, cacheOf([]));
    expect(focus.move(3)).toBe(false);
    focus.painted();
    vi.advanceTimersByTime(1000);
    expect(m.sent).toEqual([]);
  });

  it("writes a burst of moves once, numbered, after the rows were painted", () => {
    const m = new FakeModel({ focus_index: 0, total: 4 });
    const focus = createFocus(m, cacheOf(rows));
    for (const to of [1, 2, 3, 2]) {
      focus.move(to);
      focus.painted();
      vi.advanceTimersByTime(20);
    }
    expect(focusSent(m)).toEqual([]);
    vi.advanceTimersByTime(100);
    expect(focusSent(m)).toEqual([{ type: "focus", position: 12, seq: 4 }]);
    focus.painted(); // nothing pending: no second write
    vi.advanceTimersByTime(100);
    expect(focusSent(m)).toHaveLength(1);
  });

  it("writes a move to a row still loading once its page was painted", () => {
    const m = new FakeModel({ focus_index: 0, total: 4 });
    const loaded = [rows[0]];
    const focus = createFocus(m, cacheOf(loaded));
    focus.move(2);
    focus.painted();
    vi.advanceTimersByTime(100);
    expect(focusSent(m)).toEqual([]);
    loaded[2] = rows[2];
    focus.painted();
    vi.advanceTimersByTime(100);
    expect(focusSent(m)).toEqual([{ type: "focus", position: 12, seq: 1 }]);
  });

  it("flush writes a pending move at once; cleanup drops it", () => {
    const m = new FakeModel({ focus_index: 0, total: 4 });
    const focus = createFocus(m, cacheOf(rows));
    focus.move(1);
    focus.painted();
    focus.flush();
    expect(focusSent(m)).toEqual([{ type: "focus", position: 11, seq: 1 }]);
    focus.move(3);
    focus.painted();
    focus.cleanup();
    vi.advanceTimersByTime(1000);
    expect(focusSent(m)).toHaveLength(1);
  });

  it("follows the kernel's focus only once the kernel has seen our last move", () => {
    const m = new FakeModel({ focus_index: 0, focus_seq: 0, total: 4 });
    const focus = createFocus(m, cacheOf(rows));
    focus.move(1);
    focus.move(2); // seq 2
    m.values.focus_seq = 1;
    m.values.focus_index = 1; // the echo of our first move
    expect(focus.follow()).toBe(false);
    expect(focus.index).toBe(2);
    m.values.focus_seq = 2;
    m.values.focus_index = 2;
    expect(focus.follow()).toBe(false); // caught up, and already there
    m.values.focus_index = 3; // moved elsewhere (another view) after our last move
    expect(focus.follow()).toBe(true);
    expect(focus.index).toBe(3);
    m.values.focus_index = -1; // no focus in the kernel: keep ours
    expect(focus.follow()).toBe(false);
    expect(focus.index).toBe(3);
  });
});
