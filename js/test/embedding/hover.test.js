// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createHover } from "../../src/embedding/hover.js";
import { FakeModel } from "../fake-model.js";

const HOSTILE = '<img src=x onerror="window.__pwned=1">';
let created;
let revoked;
beforeEach(() => {
  vi.useFakeTimers();
  created = [];
  revoked = [];
  URL.createObjectURL = vi.fn(() => {
    created.push(`blob:test/${created.length}`);
    return created.at(-1);
  });
  URL.revokeObjectURL = vi.fn((url) => revoked.push(url));
});
afterEach(() => {
  vi.useRealTimers();
  document.body.replaceChildren();
});

function mount() {
  const model = new FakeModel();
  const plot = document.createElement("div");
  document.body.append(plot);
  const hover = createHover(model, plot, { revision: 4 });
  return { model, plot, hover, card: plot.querySelector(".dcml-embedding-preview") };
}

describe("hover preview", () => {
  it("asks for the row under the pointer once it rests, never while dragging", () => {
    const { model, hover } = mount();
    hover.target(3, true);
    hover.target(5, true);
    vi.advanceTimersByTime(100);
    expect(model.sent).toEqual([{ type: "hover", position: 5, revision: 4 }]);
    hover.target(6, false); // a button is down
    vi.advanceTimersByTime(100);
    expect(model.sent).toHaveLength(1);
  });

  it("shows the reply for the point still hovered, as text, and drops late ones", () => {
    const { hover, card } = mount();
    hover.target(5, true);
    hover.show({ type: "hover", position: 5, row: { id: HOSTILE, label: "a", given: "a" } }, []);
    expect(card.hidden).toBe(false);
    expect(card.textContent).toContain(HOSTILE);
    expect(card.querySelector("img")).toBeNull();
    hover.leave();
    expect(card.hidden).toBe(true);
    hover.show({ type: "hover", position: 5, row: { id: "late" } }, []);
    expect(card.hidden).toBe(true);
    expect(card.textContent).not.toContain("late");
    expect(window.__pwned).toBeUndefined();
  });

  it("shows a thumbnail as a Blob URL and revokes each one when replaced or cleaned up", () => {
    const { hover, card } = mount();
    const png = new DataView(new ArrayBuffer(8));
    hover.target(1, false);
    hover.show({ type: "hover", position: 1, thumb: "png", row: { id: "1" } }, [png]);
    expect(card.querySelector("img").getAttribute("src")).toBe("blob:test/0");
    hover.show({ type: "hover", position: 1, thumb: "png", row: { id: "1" } }, [png]);
    expect(revoked).toEqual(["blob:test/0"]);
    hover.cleanup();
    expect(revoked).toEqual(["blob:test/0", "blob:test/1"]);
  });

  it("a request pending at cleanup is never sent", () => {
    const { model, hover } = mount();
    hover.target(2, true);
    hover.cleanup();
    vi.advanceTimersByTime(1000);
    expect(model.sent).toEqual([]);
  });
});
