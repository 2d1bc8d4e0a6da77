// @vitest-environment jsdom
// Conflict-group buttons in the grid: shown only on conflicting rows, what a click sends,
// cleanup removes the listener.
import { afterEach, describe, expect, it } from "vitest";
import { bindGroups, groupButtons } from "../../src/grid/groups.js";
import { FakeModel } from "../fake-model.js";

afterEach(() => document.body.replaceChildren());

function setup(row) {
  const model = new FakeModel({ classes: ["a", "b", "c"] });
  const pane = document.createElement("div");
  const node = document.createElement("div");
  node.className = "dcml-grid-row";
  node.dataset.index = "0";
  node.append(...groupButtons(row));
  pane.append(node);
  document.body.append(pane);
  const sent = [];
  const cache = { row: (i) => (i === 0 ? row : undefined) };
  const bound = bindGroups({ model, pane, cache, send: (m) => sent.push(m) });
  return { pane, sent, bound };
}

describe("grid conflict groups", () => {
  it("has no buttons on a row outside a conflict group", () => {
    expect(groupButtons({ issues: ["label"] })).toEqual([]);
  });

  it("sends show_group and resolve_group with the row's id and label", () => {
    const { pane, sent } = setup({ id: "r1", label: 2, issues: ["conflicting_label"] });
    pane.querySelector(".dcml-grid-group-show").click();
    pane.querySelector(".dcml-grid-group-resolve").click();
    expect(sent).toEqual([
      { type: "show_group", id: "r1" },
      { type: "resolve_group", id: "r1", label: "c" },
    ]);
  });

  it("cleanup stops listening", () => {
    const { pane, sent, bound } = setup({ id: 7, label: 0, issues: ["conflicting_label"] });
    bound.cleanup();
    pane.querySelector(".dcml-grid-group-show").click();
    expect(sent).toEqual([]);
  });
});
