// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import view from "../../src/grid/index.js";
import { KEYS, keyAction } from "../../src/grid/keys.js";
import { trackListeners } from "../dom-listeners.js";
import { FakeModel } from "../fake-model.js";

const HOSTILE = '<img src=x onerror="window.__pwned=1">';

function model() {
  return new FakeModel({
    revision: 3,
    total: 5,
    sort_by: "score",
    ascending: true,
    filter: { scope: "all", issue: null, class: null, status: null, disagree: false },
    columns: [
      { key: "id", title: "id", kind: "id" },
      { key: "thumb", title: "image", kind: "thumb" },
      { key: "col:text", title: "text", kind: "text", cell: 0 },
      { key: "given", title: "given", kind: "given" },
      { key: "label", title: "label", kind: "label" },
      { key: "suggested", title: "suggested", kind: "suggested" },
      { key: "score", title: "label score", kind: "score" },
      { key: "issues", title: "issues", kind: "issues" },
      { key: "status", title: "status", kind: "status" },
      { key: "note", title: "note", kind: "note" },
    ],
    classes: ["cat", "dog", "eel"],
    class_names: ["cat", "dog", "eel"],
    issue_types: ["label"],
    focus_index: -1,
    focus_position: -1,
    focus_seq: 0,
    n_selected: 0,
    can_undo: false,
    can_redo: false,
    page_size: 100,
    has_images: true,
    error: "",
  });
}

function pageRows() {
  return Array.from({ length: 5 }, (_, i) => ({
    pos: 10 + i,
    id: `r${i}`,
    cells: [i === 0 ? HOSTILE : `text ${i}`],
    trunc: i === 0 ? ["text"] : [],
    given: 0,
    label: i === 1 ? 1 : 0,
    suggested: i === 0 ? 2 : -1,
    score: 0.1 * i,
    issues: i === 0 ? ["label"] : [],
    excluded: i === 2,
    reviewed: false,
    note: i === 3 ? HOSTILE : null,
    selected: false,
    thumb: i,
  }));
}

let root;
let created;
let revoked;
beforeEach(() => {
  root = document.createElement("div");
  document.body.append(root);
  created = [];
  revoked = [];
  URL.createObjectURL = vi.fn(() => {
    const url = `blob:test/${created.length}`;
    created.push(url);
    return url;
  });
  URL.revokeObjectURL = vi.fn((url) => revoked.push(url));
});
afterEach(() => {
  root.remove();
  vi.restoreAllMocks();
});

function mount() {
  const m = model();
  const cleanup = view.render({ model: m, el: root });
  const req = m.sent.find((msg) => msg.type === "page");
  m.receive({ type: "page", revision: 3, start: req.start, total: 5, rows: pageRows() }, [
    new DataView(new ArrayBuffer(4)),
    new DataView(new ArrayBuffer(4)),
    new DataView(new ArrayBuffer(4)),
    new DataView(new ArrayBuffer(4)),
    new DataView(new ArrayBuffer(4)),
  ]);
  return { m, cleanup, wrap: root.querySelector(".dcml-grid") };
}

function press(target, key, extra = {}) {
  const event = new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true, ...extra });
  target.dispatchEvent(event);
  return event;
}

describe("RelabelGrid view", () => {
  it("requests the first page for the current revision and shows its rows", () => {
    const { m, wrap } = mount();
    const req = m.sent.find((msg) => msg.type === "page");
    expect(req).toEqual({ type: "page", start: 0, count: 100, revision: 3 });
    expect(wrap.getAttribute("data-lm-suppress-shortcuts")).toBe("true");
    const rows = wrap.querySelectorAll(".dcml-grid-row");
    expect(rows.length).toBe(5);
    expect(rows[2].classList.contains("dcml-grid-excluded")).toBe(true);
    expect(rows[0].querySelector(".dcml-grid-badge").textContent).toBe("label");
    expect(rows[1].querySelector(".dcml-grid-label").classList.contains("dcml-grid-edited")).toBe(true);
    expect(wrap.querySelector(".dcml-grid-hint").textContent).toContain("a accept");
  });

  it("shows hostile dataset text as text and thumbnails only as blob URLs", () => {
    const { wrap } = mount();
    expect(wrap.textContent).toContain(HOSTILE);
    const imgs = [...wrap.querySelectorAll("img")];
    expect(imgs.length).toBe(5);
    for (const img of imgs) expect(img.getAttribute("src")).toMatch(/^blob:test\//);
    expect(window.__pwned).toBeUndefined();
  });

  it("drops a page for an old revision", () => {
    const { m, wrap } = mount();
    m.set("revision", 4);
    const stale = pageRows().map((r) => ({ ...r, id: `old${r.id}` }));
    m.receive({ type: "page", revision: 3, start: 0, total: 5, rows: stale }, []);
    expect(wrap.textContent).not.toContain("oldr0");
    expect(m.sent.at(-1)).toMatchObject({ type: "page", start: 0, revision: 4 });
  });

  it("shows an edit's rows from the page sent ahead of the revision, without asking again", () => {
    const { m, wrap } = mount();
    const asked = m.sent.filter((msg) => msg.type === "page").length;
    // The kernel sends the page for the next revision first, then bumps the revision.
    const edited = pageRows().map((r, i) => (i === 0 ? { ...r, label: 2 } : r));
    m.receive({ type: "page", revision: 4, start: 0, total: 5, rows: edited }, []);
    expect(wrap.querySelector(".dcml-grid-row select.dcml-grid-relabel").value).toBe("0");
    m.set("revision", 4);
    expect(wrap.querySelector(".dcml-grid-row select.dcml-grid-relabel").value).toBe("2");
    expect(m.sent.filter((msg) => msg.type === "page").length).toBe(asked);
    // A revision the kernel sent nothing ahead for is asked for, as before.
    m.set("revision", 5);
    expect(m.sent.at(-1)).toMatchObject({ type: "page", start: 0, revision: 5 });
  });

  it("reviews with the keyboard and keeps the keys from JupyterLab", () => {
    const { m, wrap } = mount();
    const reachedDocument = [];
    const spy = (e) => reachedDocument.push(e.key);
    document.addEventListener("keydown", spy);
    try {
      press(wrap, "2");
      press(wrap, "j");
      press(wrap, "a");
      press(wrap, "j");
      press(wrap, "x"); // row r2 is excluded already: x restores it
      press(wrap, "u");
      press(wrap, "U", { shiftKey: true });
      press(wrap, "r");
      press(wrap, "s", { ctrlKey: true }); // a JupyterLab shortcut with a modifier passes
    } finally {
      document.removeEventListener("keydown", spy);
    }
    expect(reachedDocument).toEqual(["s"]);
    const sent = m.sent.filter((msg) => msg.type !== "page");
    expect(sent).toEqual([
      { type: "action", action: "relabel", ids: ["r0"], label: "dog" },
      { type: "focus", position: 11, seq: 1 },
      { type: "action", action: "accept", ids: ["r1"] },
      { type: "focus", position: 12, seq: 2 },
      { type: "action", action: "restore", ids: ["r2"] },
      { type: "undo" },
      { type: "redo" },
      { type: "action", action: "reviewed", ids: ["r2"] },
    ]);
  });

  it("? shows every key the grid handles; ?, Escape or a click closes it; JupyterLab gets none", () => {
    const { m, wrap } = mount();
    const help = wrap.querySelector(".dcml-grid-help");
    expect(help.hidden).toBe(true);
    const reachedDocument = [];
    const spy = (e) => reachedDocument.push(e.key);
    document.addEventListener("keydown", spy);
    try {
      // Every key the grid acts on, written out by hand: each has a line in the help.
      const handled = ["j", "↓", "k", "↑", "PgDn", "PgUp", "1–9", "l", "/", "a", "x", "r", "n"];
      press(wrap, "?", { shiftKey: true });
      expect(help.hidden).toBe(false);
      expect(help.getAttribute("role")).toBe("dialog");
      const lines = [...help.querySelectorAll("tr")].map((tr) => [
        tr.querySelector("kbd").textContent,
        tr.querySelector("td").textContent,
      ]);
      const labels = lines.map(([label]) => label).join(" ");
      for (const key of [...handled, "space", "u", "shift+U", "?", "Esc"]) expect(labels).toContain(key);
      expect(lines).toContainEqual(["a", "accept the suggested label"]);
      expect(lines).toContainEqual(["shift+U", "redo"]);
      expect(lines.length).toBe(KEYS.length);
      press(wrap, "?", { shiftKey: true });
      expect(help.hidden).toBe(true);
      press(wrap, "?", { shiftKey: true });
      press(wrap, "Escape");
      expect(help.hidden).toBe(true);
      press(wrap, "?", { shiftKey: true });
      wrap.querySelector(".dcml-grid-hint").click(); // a click anywhere closes it
      expect(help.hidden).toBe(true);
      document.body.click(); // closed: a click changes nothing
      expect(help.hidden).toBe(true);
    } finally {
      document.removeEventListener("keydown", spy);
    }
    expect(reachedDocument).toEqual([]); // neither ? nor Escape reached JupyterLab
    expect(m.sent.filter((msg) => msg.type !== "page")).toEqual([]); // and nothing was edited
  });

  it("the key help listens for nothing while closed", () => {
    const { wrap } = mount();
    const left = trackListeners();
    press(wrap, "?", { shiftKey: true });
    expect(left().filter(([target]) => target === document).length).toBe(1); // the closing click
    press(wrap, "Escape");
    expect(left()).toEqual([]);
    press(wrap, "?", { shiftKey: true });
    wrap.querySelector(".dcml-grid-count").click();
    expect(left()).toEqual([]);
  });

  it("the hint line and the help come from one table of keys", () => {
    const { wrap } = mount();
    const hint = wrap.querySelector(".dcml-grid-hint").textContent;
    for (const k of KEYS.filter((entry) => entry.hint)) expect(hint).toContain(k.hint);
    expect(hint).toContain("? all keys");
    for (const k of KEYS) for (const key of k.keys) expect(keyAction({ key }, 9)).not.toBeNull();
  });

  it("opens a note prompt and a type-to-filter class picker", () => {
    const { m, wrap } = mount();
    press(wrap, "n");
    const input = wrap.querySelector(".dcml-grid-note-input");
    input.value = "check <this>";
    press(input, "Enter");
    expect(m.sent.at(-1)).toEqual({ type: "action", action: "note", ids: ["r0"], text: "check <this>" });
    press(wrap, "l");
    const picker = wrap.querySelector(".dcml-grid-picker-input");
    picker.value = "e";
    picker.dispatchEvent(new Event("input"));
    expect([...wrap.querySelectorAll(".dcml-grid-picks button")].map((b) => b.textContent)).toEqual(["eel"]);
    picker.value = "";
    picker.dispatchEvent(new Event("input"));
    expect(wrap.querySelectorAll(".dcml-grid-picks button").length).toBe(3);
    press(picker, "ArrowDown");
    press(picker, "Enter");
    expect(m.sent.at(-1)).toEqual({ type: "action", action: "relabel", ids: ["r0"], label: "dog" });
  });

  it("ignores focus echoes of older moves until the kernel caught up", () => {
    const { m, wrap } = mount();
    press(wrap, "j");
    press(wrap, "j"); // focus on index 2, seq 2 sent
    m.values.focus_seq = 1; // the kernel applied only our first move so far
    m.set("focus_position", 11);
    m.set("focus_index", 1);
    expect(wrap.querySelector(".dcml-grid-focused").dataset.id).toBe("r2");
    m.values.focus_position = 12;
    m.values.focus_index = 2;
    m.set("focus_seq", 2);
    expect(wrap.querySelector(".dcml-grid-focused").dataset.id).toBe("r2");
    m.set("focus_position", 14); // another view moved the focus later
    m.set("focus_index", 4);
    expect(wrap.querySelector(".dcml-grid-focused").dataset.id).toBe("r4");
  });

  it("follows focus set elsewhere and shows errors", () => {
    const { m, wrap } = mount();
    m.set("focus_position", 13);
    m.set("focus_index", 3);
    expect(wrap.querySelector(".dcml-grid-focused").dataset.id).toBe("r3");
    m.set("error", "Refused: Unknown class 'zzz'");
    expect(wrap.querySelector(".dcml-error").textContent).toContain("Unknown class");
  });

  it("writes a burst of focus moves once, when the keys stop", () => {
    vi.useFakeTimers();
    try {
      const { m, wrap } = mount();
      for (const key of ["j", "j", "j", "k"]) press(wrap, key);
      const focus = () => m.sent.filter((msg) => msg.type === "focus");
      expect(focus()).toEqual([]);
      expect(wrap.querySelector(".dcml-grid-focused").dataset.id).toBe("r2");
      vi.advanceTimersByTime(500);
      expect(focus()).toEqual([{ type: "focus", position: 12, seq: 4 }]);
    } finally {
      vi.useRealTimers();
    }
  });

  it("a prompt open at cleanup leaves no listener behind", () => {
    const { m, wrap, cleanup } = mount();
    press(wrap, "n");
    const input = wrap.querySelector(".dcml-grid-note-input");
    cleanup();
    const before = m.sent.length;
    input.value = "late";
    press(input, "Enter");
    expect(m.sent.length).toBe(before);
  });

  it("after cleanup, no control of any piece sends anything", () => {
    const { m, wrap, cleanup } = mount();
    m.set("n_selected", 2); // the bulk bar shows
    const controls = [
      wrap.querySelector(".dcml-grid-undo"),
      wrap.querySelector(".dcml-grid-hrow button"),
      wrap.querySelector(".dcml-grid-bulk button[data-action='accept']"),
      wrap.querySelector(".dcml-grid-clear"),
      wrap.querySelector(".dcml-grid-row .dcml-grid-check"),
      wrap.querySelector(".dcml-grid-more"),
      wrap.querySelector(".dcml-grid-expanded button"),
    ];
    const scope = wrap.querySelector(".dcml-grid-scope");
    expect(controls.every(Boolean)).toBe(true);
    cleanup();
    const before = m.sent.length;
    for (const node of controls) node.dispatchEvent(new MouseEvent("click", { bubbles: true }));
    scope.dispatchEvent(new Event("change", { bubbles: true }));
    press(wrap, "a");
    press(wrap, "j");
    expect(m.sent.length).toBe(before);
  });

  it("removes every listener and revokes every blob URL on cleanup", () => {
    const left = trackListeners();
    const { m, wrap, cleanup } = mount();
    press(wrap, "l"); // a prompt is open too
    expect(created.length).toBe(5);
    expect(left().length).toBeGreaterThan(0);
    cleanup();
    expect(m.listenerCount()).toBe(0);
    expect(left()).toEqual([]);
    expect(new Set(revoked)).toEqual(new Set(created));
    expect(root.querySelector(".dcml-grid")).toBe(null);
  });
});
