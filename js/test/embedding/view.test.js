// @vitest-environment jsdom
// The embedding view as a whole, in a browser without WebGL (jsdom has none): the colour-by
// menu comes from the `channels` trait, kernel messages reach the right piece, and cleanup
// leaves no listener behind.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import view from "../../src/embedding/index.js";
import { trackListeners } from "../dom-listeners.js";
import { FakeModel } from "../fake-model.js";

const CHANNELS = [
  ["label", "label"],
  ["predicted", "predicted label"],
  ["score", "label quality"],
  ["issue", "issue type"],
  ["status", "edit status"],
];
const LABEL = { name: "label", kind: "categorical", dtype: "uint8", legend: ["a", "b", "(missing)"] };
const u16 = (values) => new DataView(Uint16Array.from(values).buffer);
const u8 = (values) => new DataView(Uint8Array.from(values).buffer);

function model(values = {}) {
  return new FakeModel({
    channels: CHANNELS,
    color_by: "label",
    revision: 0,
    n_points: 0,
    layout_method: "",
    focus_position: -1,
    focus_label: "",
    height: 480,
    _selection: new DataView(new ArrayBuffer(0)),
    error: "",
    ...values,
  });
}

let root;
let cleanup;
beforeEach(() => {
  HTMLCanvasElement.prototype.getContext = () => null; // no WebGL, and no jsdom warning
  root = document.createElement("div");
  document.body.append(root);
});
afterEach(() => {
  cleanup?.();
  cleanup = null;
  document.body.replaceChildren();
  vi.restoreAllMocks();
});

function mount(m = model()) {
  cleanup = view.render({ model: m, el: root });
  return m;
}
const options = () =>
  [...root.querySelectorAll(".dcml-embedding-color option")].map((o) => [o.value, o.textContent]);
const layout = (m, revision, n) =>
  m.receive({ type: "layout", revision, n, nonce: null, channel: LABEL, box: [-1, 1, -1, 1] }, [
    u16(new Array(2 * n).fill(32768)),
    u8(new Array(n).fill(0)),
  ]);

describe("embedding view", () => {
  it("builds the colour-by menu from the channels trait and follows its changes", () => {
    const m = mount(model({ color_by: "score" }));
    expect(options()).toEqual(CHANNELS);
    const select = root.querySelector(".dcml-embedding-color");
    expect(select.value).toBe("score");
    m.set("channels", [["score", "label quality"], ["status", "edit status"]]);
    expect(options()).toEqual([["score", "label quality"], ["status", "edit status"]]);
    expect(select.value).toBe("score");
    select.value = "status";
    select.dispatchEvent(new Event("change"));
    expect(m.get("color_by")).toBe("status");
    m.set("color_by", "score");
    expect(select.value).toBe("score");
  });

  it("asks for its layout and says when there is none", () => {
    const m = mount();
    expect(m.sent).toEqual([{ type: "init", nonce: expect.any(String) }]);
    expect(root.dataset.ready).toBe("0");
    m.receive({ type: "layout", revision: 1, n: 0, nonce: m.sent[0].nonce, channel: null }, []);
    expect(root.querySelector(".dcml-embedding-empty").textContent).toContain("No layout yet");
    expect([root.dataset.ready, root.dataset.points, root.dataset.selected]).toEqual(["1", "0", "0"]);
    expect(root.querySelector(".dcml-embedding-status").textContent).toBe("");
  });

  it("says so when the browser has no WebGL, and still fetches the channel asked for", () => {
    const m = mount();
    layout(m, 1, 3);
    expect(root.querySelector(".dcml-embedding-empty").textContent).toContain("WebGL is not available");
    m.set("color_by", "status");
    expect(m.sent.at(-1)).toEqual({ type: "channel", name: "status" });
  });

  it("fetches the active channel afresh when an edit widened its codes", () => {
    const m = mount();
    layout(m, 1, 2);
    const wide = { ...LABEL, dtype: "uint16" };
    m.receive({ type: "patch", revision: 1, channels: [wide] }, [
      new DataView(Uint32Array.of(0).buffer),
      new DataView(Uint16Array.of(300).buffer),
    ]);
    expect(m.sent.at(-1)).toEqual({ type: "channel", name: "label" });
  });

  it("shows a message it cannot read as an error and the kernel's refusals", () => {
    const m = mount();
    m.receive({ type: "layout", revision: 1, n: 3, nonce: null, channel: LABEL, box: [0, 1, 0, 1] }, [u16([0, 0]), u8([0])]);
    expect(root.querySelector(".dcml-error").textContent).toContain("expected 3");
    m.set("error", "Refused: bad");
    expect(root.querySelector(".dcml-error").textContent).toBe("Refused: bad");
  });

  it("cleanup removes every model and DOM listener, and its stylesheet", () => {
    const left = trackListeners();
    const m = mount();
    layout(m, 1, 3);
    expect(m.listenerCount()).toBeGreaterThan(0);
    expect(left().length).toBeGreaterThan(0);
    expect(root.querySelector("style")).not.toBeNull();
    const select = root.querySelector(".dcml-embedding-color");
    cleanup();
    cleanup = null;
    expect(m.listenerCount()).toBe(0);
    expect(left()).toEqual([]);
    expect(root.querySelector("style")).toBeNull();
    select.value = "score";
    select.dispatchEvent(new Event("change"));
    expect(m.get("color_by")).toBe("label");
  });
});
