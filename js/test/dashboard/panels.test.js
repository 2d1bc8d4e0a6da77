// @vitest-environment jsdom
// The dashboard's own panels (header, measure, annotators): what they render, what they send,
// that dataset text stays text, and that cleanup removes every listener.
import { afterEach, describe, expect, it, vi } from "vitest";
import header from "../../src/dashboard/header/index.js";
import measure from "../../src/dashboard/measure/index.js";
import annotators from "../../src/dashboard/annotators/index.js";
import guidelines from "../../src/dashboard/guidelines/index.js";
import { trackListeners } from "../dom-listeners.js";
import { FakeModel } from "../fake-model.js";

const EVIL = '<img src=x onerror="window.__pwned=1">';

function mount(view, values) {
  const model = new FakeModel(values);
  const root = document.createElement("div");
  document.body.append(root);
  const cleanup = view.render({ model, el: root });
  return { model, root, cleanup };
}

afterEach(() => {
  document.body.replaceChildren();
  vi.restoreAllMocks();
});

const HEADER = {
  summary: { n_rows: 800, n_classes: 10, accuracy: 0.9312, embedding_method: "pca",
    layout_pending: true, n_edit_groups: 2, n_edited: 3, n_excluded: 1 },
  issues: [
    { issue: "label", label: "label issues", count: 52, selectable: true },
    { issue: "outlier", label: "outliers", count: 0, selectable: true },
    { issue: "non_iid", label: "non-iid", count: null, selectable: false },
  ],
  journal: { path: ".dcml/abc.jsonl", resumed: 4, warning: "" },
  busy: "",
  status: "",
};

describe("header", () => {
  it("shows the facts, the counts and where edits are saved", () => {
    const { root } = mount(header, HEADER);
    expect(root.querySelector(".dcml-header-accuracy").textContent).toBe("CV accuracy 93.1%");
    expect(root.querySelector(".dcml-header-layout").textContent).toBe(
      "layout: pca (UMAP computing…)",
    );
    const buttons = [...root.querySelectorAll(".dcml-header-issue")];
    expect(buttons.map((b) => b.textContent)).toEqual(["label issues52", "outliers0", "non-iidn/a"]);
    expect(buttons.map((b) => b.disabled)).toEqual([false, true, true]);
    expect(root.querySelector(".dcml-header-journal").textContent).toBe(
      "Edits saved to .dcml/abc.jsonl · resumed 4 edits",
    );
  });

  it("says what the layout was computed from and how the self-check went", () => {
    const { model, root } = mount(header, HEADER);
    expect(root.querySelector(".dcml-header-selfcheck")).toBeNull();
    model.set("summary", {
      ...HEADER.summary,
      embedding_method: "umap",
      layout_pending: false,
      embedding_input: "pred_probs",
      self_check: `self-check: 19 of 20 planted label errors found ${EVIL}`,
    });
    expect(root.querySelector(".dcml-header-layout").textContent).toBe(
      "layout: umap of the model's probabilities",
    );
    expect(root.querySelector(".dcml-header-selfcheck").textContent).toBe(
      `self-check: 19 of 20 planted label errors found ${EVIL}`,
    );
    expect(root.querySelector("img")).toBeNull();
  });

  it("sends the issue and action intents", () => {
    const { model, root } = mount(header, HEADER);
    root.querySelector(".dcml-header-issue[data-issue='label']").click();
    root.querySelector(".dcml-header-action[data-action='export_csv']").click();
    expect(model.sent).toEqual([
      { type: "select_issue", issue: "label" },
      { type: "action", name: "export_csv" },
    ]);
  });

  it("says why edits go to a sibling journal and lists the others", () => {
    const { model, root } = mount(header, HEADER);
    model.set("journal", {
      path: ".dcml/abc-2.jsonl",
      resumed: 0,
      warning: "",
      note: "The journal of this data is open in another kernel; edits here go to abc-2.jsonl.",
      siblings: [["abc.jsonl", 3], [`abc-3.jsonl ${EVIL}`, 1]],
    });
    expect(root.querySelector(".dcml-header-journal").textContent).toBe(
      "Edits saved to .dcml/abc-2.jsonl",
    );
    expect(root.querySelector(".dcml-header-journal-note").textContent).toContain("another kernel");
    expect(root.querySelector(".dcml-header-siblings").textContent).toBe(
      `Other journals: abc.jsonl (3 edits), abc-3.jsonl ${EVIL} (1 edit)`,
    );
    expect(root.querySelector("img")).toBeNull();
  });

  it("warns when edits live in memory only and keeps text as text", () => {
    const { model, root } = mount(header, HEADER);
    model.set("journal", { path: null, resumed: 0, warning: `in memory only ${EVIL}` });
    const warning = root.querySelector(".dcml-header-warning");
    expect(warning.textContent).toBe(`in memory only ${EVIL}`);
    expect(root.querySelector("img")).toBeNull();
    model.set("error", "Refused: bad");
    expect(root.querySelector(".dcml-error").textContent).toBe("Refused: bad");
  });

  it("cleans up every listener and its DOM", () => {
    const left = trackListeners();
    const { model, root, cleanup } = mount(header, HEADER);
    cleanup();
    expect(model.listenerCount()).toBe(0);
    expect(left()).toEqual([]);
    expect(root.children.length).toBe(0);
  });
});

const MEASURE = {
  busy: false,
  edits_since: 2,
  shown: 0,
  history: [{ index: 0, n_edits: 6, accuracy_before: 0.9, accuracy_after: 0.925, on_test: true,
    note: "scored on the test set", time: 0 }],
  table: [
    { class: EVIL, precision_before: 0.8, precision_after: 0.9, recall_before: 0.7,
      recall_after: 0.75, f1_before: 0.75, f1_after: 0.8, f1_delta: 0.05, support_before: 10,
      support_after: 10 },
    { class: "b", precision_before: 0.8, precision_after: 0.7, recall_before: 0.7,
      recall_after: 0.6, f1_before: 0.75, f1_after: 0.65, f1_delta: -0.1, support_before: 8,
      support_after: 8 },
  ],
};

describe("measure", () => {
  it("lists measurements with their edit counts and shows the per-class table", () => {
    const { root } = mount(measure, MEASURE);
    const item = root.querySelector(".dcml-measure-history li");
    expect(item.textContent).toBe(
      "#1 · 6 edits · accuracy 90.0% → 92.5% (+0.025) on the test set",
    );
    const rows = [...root.querySelectorAll(".dcml-measure-classes tbody tr")];
    expect(rows.length).toBe(2);
    expect(rows[0].firstChild.textContent).toBe(EVIL);
    expect(root.querySelector("img")).toBeNull();
    const deltas = rows.map((r) => r.children[7]);
    expect(deltas.map((d) => d.textContent)).toEqual(["+0.050", "−0.100"]);
    expect(deltas.map((d) => d.className)).toEqual(["dcml-good", "dcml-bad"]);
  });

  it("asks for a measurement and for a past one, and disables itself while busy", () => {
    const left = trackListeners();
    const { model, root, cleanup } = mount(measure, MEASURE);
    root.querySelector(".dcml-measure-run").click();
    root.querySelector(".dcml-measure-history li").click();
    expect(model.sent).toEqual([{ type: "measure" }, { type: "show", index: 0 }]);
    model.set("busy", true);
    expect(root.querySelector(".dcml-measure-run").disabled).toBe(true);
    cleanup();
    expect(model.listenerCount()).toBe(0);
    expect(left()).toEqual([]);
    expect(root.children.length).toBe(0);
  });
});

describe("annotators", () => {
  it("shows the statistic and selects the most disputed rows", () => {
    const left = trackListeners();
    const { model, root, cleanup } = mount(annotators, {
      statistic: { name: "Krippendorff's alpha", value: 0.71234 },
      annotators: [{ annotator: "annotator_1", quality: 0.9, agreement: 0.95, n_labels: 560 }],
      disagreement: [{ id: EVIL, consensus: 3, agreement: 0.333 }],
    });
    expect(root.querySelector(".dcml-annotators-stat").textContent).toBe(
      "Annotator agreement: Krippendorff's alpha = 0.712",
    );
    expect(root.querySelector(".dcml-annotators-rows-table tbody td").textContent).toBe(EVIL);
    expect(root.querySelector("img")).toBeNull();
    root.querySelector(".dcml-annotators-select").click();
    expect(model.sent).toEqual([{ type: "select_disagreement" }]);
    cleanup();
    expect(model.listenerCount()).toBe(0);
    expect(left()).toEqual([]);
    expect(root.children.length).toBe(0);
  });

  it("shows the reviewers' agreement beside the annotators', names as text", () => {
    const { model, root, cleanup } = mount(annotators, {
      statistic: { name: "Krippendorff's alpha", value: 0.5 },
      annotators: [],
      disagreement: [],
      reviewers: { n_rows: 0, n_reviewers: 0, agreement: null, alpha: null, disputed: [] },
    });
    expect(root.querySelector(".dcml-annotators-reviewers").hidden).toBe(true);
    model.set("reviewers", {
      n_rows: 4,
      n_reviewers: 2,
      agreement: 0.5,
      alpha: 0.25,
      disputed: [{ id: "7", judgements: `${EVIL}: c1 · bo: c2` }],
    });
    const box = root.querySelector(".dcml-annotators-reviewers");
    expect(box.hidden).toBe(false);
    expect(box.querySelector(".dcml-annotators-reviewers-stat").textContent).toContain("of 4 rows");
    expect(box.querySelector("tbody td:nth-child(2)").textContent).toBe(`${EVIL}: c1 · bo: c2`);
    expect(root.querySelector("img")).toBeNull();
    cleanup();
    expect(model.listenerCount()).toBe(0);
  });
});

describe("guidelines", () => {
  it("lists every class's guideline and examples as text and follows the trait", () => {
    const { model, root, cleanup } = mount(guidelines, { guidelines: [] });
    expect(root.querySelector(".dcml-guidelines-title").textContent).toContain("none yet");
    model.set("guidelines", [
      { class: "scratch", text: EVIL, examples: [{ id: "p3", text: "<b>fine</b>" }, { id: "p1", text: "" }] },
    ]);
    const cells = [...root.querySelectorAll(".dcml-guidelines-rows tbody td")].map((td) => td.textContent);
    expect(cells).toEqual(["scratch", EVIL, "p3: <b>fine</b> · p1"]);
    expect(root.querySelector("img, b")).toBeNull();
    cleanup();
    expect(model.listenerCount()).toBe(0);
    expect(root.children.length).toBe(0);
  });
});
