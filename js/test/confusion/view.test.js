// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from "vitest";
import view from "../../src/confusion/index.js";
import { trackListeners } from "../dom-listeners.js";
import { FakeModel } from "../fake-model.js";

const u32 = (values) => new DataView(Uint32Array.from(values).buffer);
const HOSTILE = "<img src=x onerror=alert(1)>";

function make(overrides = {}) {
  return new FakeModel({
    classes: [HOSTILE, "b", "c"],
    counts: u32([5, 1, 4, 0, 6, 0, 2, 0, 3]),
    edited_counts: u32([0, 0, 2, 0, 0, 0, 0, 0, 0]),
    revision: 7,
    has_report: true,
    n_excluded: 2,
    n_unlabelled: 0,
    selected_cells: [],
    normalize: false,
    sort_by_mass: false,
    error: "",
    ...overrides,
  });
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
let cleanup = null;
afterEach(() => {
  cleanup?.();
  cleanup = null;
  document.body.replaceChildren();
  vi.restoreAllMocks();
});

function mount(model) {
  const root = document.createElement("div");
  document.body.append(root);
  cleanup = view.render({ model, el: root });
  return root;
}

const cell = (root, i, j) => root.querySelector(`td[data-given="${i}"][data-predicted="${j}"]`);

describe("confusion view", () => {
  it("renders a real table with scoped headers, counts, margins and edited marks", () => {
    const root = mount(make());
    expect(root.classList.contains("dcml-confusion")).toBe(true);
    const table = root.querySelector("table");
    expect(table.querySelectorAll('thead th[scope="col"]')).toHaveLength(5);
    expect(table.querySelectorAll('tbody th[scope="row"]')).toHaveLength(3);
    expect(cell(root, 0, 2).textContent).toBe("4✎2");
    expect(cell(root, 1, 1).classList.contains("dcml-confusion-diag")).toBe(true);
    expect(cell(root, 0, 2).classList.contains("dcml-confusion-hot")).toBe(true);
    const recall = [...root.querySelectorAll("tbody tr")].map((tr) => tr.lastChild.textContent);
    expect(recall).toEqual(["0.50", "1.00", "0.60"]);
    expect(root.querySelector(".dcml-confusion-caption").textContent).toContain(
      "2 excluded rows are left out",
    );
  });

  it("puts hostile class names in as text, never as markup", () => {
    const root = mount(make());
    expect(root.querySelector("img")).toBeNull();
    const head = root.querySelector('thead th[data-index="0"]');
    expect(head.textContent).toBe(HOSTILE);
    expect(root.querySelector(".dcml-confusion-pair").textContent).toBe(`${HOSTILE} → c`);
    expect(root.querySelector(".dcml-confusion-top li").textContent).toBe(`4${HOSTILE} → c`);
  });

  it("sends class indices and the revision on click, shift-click and header click", () => {
    const model = make();
    const root = mount(model);
    root.querySelector(".dcml-confusion-pair").click();
    cell(root, 0, 2).dispatchEvent(new MouseEvent("click", { bubbles: true }));
    cell(root, 2, 0).dispatchEvent(new MouseEvent("click", { bubbles: true, shiftKey: true }));
    root.querySelector('tbody th[data-index="1"]').click();
    root.querySelector('thead th[data-index="2"]').click();
    expect(model.sent).toEqual([
      { type: "select_cell", row: 0, col: 2, add: false, revision: 7 },
      { type: "select_cell", row: 0, col: 2, add: false, revision: 7 },
      { type: "select_cell", row: 2, col: 0, add: true, revision: 7 },
      { type: "select_class", axis: "given", index: 1, add: false, revision: 7 },
      { type: "select_class", axis: "predicted", index: 2, add: false, revision: 7 },
    ]);
  });

  it("moves focus with the arrow keys and selects with Enter", () => {
    const model = make();
    const root = mount(model);
    const first = cell(root, 0, 0);
    expect(first.tabIndex).toBe(0);
    first.focus();
    first.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowRight", bubbles: true }));
    const next = cell(root, 0, 1);
    expect(document.activeElement).toBe(next);
    expect(next.tabIndex).toBe(0);
    expect(first.tabIndex).toBe(-1);
    next.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
    expect(model.sent).toEqual([{ type: "select_cell", row: 0, col: 1, add: false, revision: 7 }]);
  });

  it("follows new counts, normalisation, sorting and the selected cells", async () => {
    const model = make();
    const root = mount(model);
    const td = cell(root, 0, 0);
    model.values.counts = u32([4, 1, 5, 0, 6, 0, 2, 0, 3]);
    model.emit("counts");
    await flush();
    expect(cell(root, 0, 0).textContent).toBe("4");
    expect(cell(root, 0, 0).dataset.count).toBe("4");
    expect(cell(root, 0, 0)).toBe(td); // updated in place, not rebuilt
    model.set("normalize", true);
    await flush();
    expect(cell(root, 0, 2).textContent).toBe("50%✎2");
    model.set("sort_by_mass", true);
    await flush();
    const order = [...root.querySelectorAll("tbody th")].map((th) => th.dataset.index);
    expect(order).toEqual(["0", "2", "1"]);
    model.set("selected_cells", [[2, 0]]);
    await flush();
    expect(cell(root, 2, 0).classList.contains("dcml-confusion-selected")).toBe(true);
    expect(root.querySelectorAll(".dcml-confusion-selected")).toHaveLength(1);
  });

  it("grows when a class is added", async () => {
    const model = make();
    const root = mount(model);
    model.values.classes = [HOSTILE, "b", "c", "new class"];
    model.values.counts = u32([5, 1, 4, 0, 0, 6, 0, 0, 2, 0, 3, 0, 1, 0, 0, 0]);
    model.values.edited_counts = u32(new Array(16).fill(0).fill(1, 12, 13));
    model.emit("classes");
    model.emit("counts");
    await flush();
    expect(root.querySelectorAll('tbody th[scope="row"]')).toHaveLength(4);
    expect(root.querySelector('thead th[data-index="3"]').textContent).toBe("new class");
    expect(cell(root, 3, 0).textContent).toBe("1✎1");
  });

  it("shows many classes compactly: short names on their side, full names on hover", () => {
    const k = 20;
    const classes = Array.from({ length: k }, (_, i) => `category-${String(i).padStart(2, "0")}-forest`);
    const counts = Array.from({ length: k * k }, (_, f) => (f % (k + 1) === 0 ? 1234 : f % 3));
    const root = mount(make({ classes, counts: u32(counts), edited_counts: u32(new Array(k * k).fill(0)) }));
    const table = root.querySelector("table");
    expect(table.classList.contains("dcml-confusion-rotated")).toBe(true);
    expect(root.querySelector(".dcml-confusion-scroll").classList.contains("dcml-confusion-compact")).toBe(true);
    const head = root.querySelector('thead th[data-index="7"]');
    expect(head.textContent).toBe("…07-forest");
    expect(head.title).toContain("category-07-forest");
    expect(root.querySelector('tbody th[data-index="7"]').title).toContain("category-07-forest");
    expect(cell(root, 3, 3).textContent).toBe("1k"); // 1234, in full in the hover text
    cell(root, 3, 3).dispatchEvent(new MouseEvent("mouseover", { bubbles: true }));
    expect(cell(root, 3, 3).title).toContain("1234 rows");
  });

  it("picks each heat cell's text colour on the theme's background, and follows a theme change", async () => {
    const root = mount(make());
    const heat = cell(root, 1, 1); // the diagonal: 6 of 6
    expect(heat.classList.contains("dcml-confusion-heat")).toBe(true);
    expect(heat.style.color).toBe("rgb(0, 0, 0)"); // light background (jsdom: none, so white)
    const light = heat.style.backgroundColor;
    root.style.backgroundColor = "rgb(33, 33, 33)"; // what JupyterLab Dark sets
    document.body.dataset.jpThemeName = "JupyterLab Dark";
    await flush();
    await flush();
    expect(heat.style.color).toBe("rgb(255, 255, 255)");
    expect(heat.style.backgroundColor).not.toBe(light);
    expect(cell(root, 1, 0).style.color).toBe(""); // no heat: the theme's text colour
    delete document.body.dataset.jpThemeName;
  });

  it("shows the kernel's refusal and an empty state without a report", async () => {
    const model = make({ has_report: false });
    const root = mount(model);
    expect(root.querySelector("table")).toBeNull();
    expect(root.textContent).toContain("No analysis report yet");
    model.set("error", "Refused: row=9 is out of range");
    expect(root.querySelector(".dcml-error").textContent).toContain("out of range");
  });

  it("removes every listener it added on cleanup", () => {
    const left = trackListeners();
    const model = make();
    const root = mount(model);
    const td = cell(root, 0, 1);
    const toggle = root.querySelector(".dcml-confusion-normalize");
    expect(model.listenerCount()).toBeGreaterThan(0);
    cleanup();
    cleanup = null;
    expect(model.listenerCount()).toBe(0);
    expect(left()).toEqual([]);
    // DOM listeners are gone too: keys and toggles on nodes kept from before do nothing.
    td.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
    toggle.checked = true;
    toggle.dispatchEvent(new Event("change", { bubbles: true }));
    expect(model.sent).toEqual([]);
    expect(model.get("normalize")).toBe(false);
  });
});
