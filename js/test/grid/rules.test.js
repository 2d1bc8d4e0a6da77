// @vitest-environment jsdom
// The grid's "failed rules" column: which column broke which rule, as text.
import { describe, expect, it } from "vitest";
import { cellFor, rulesText, rulesTitle, template } from "../../src/grid/cells.js";

const EVIL = '<img src=x onerror="window.__pwned=1">';
const ROW = {
  rules: [
    { column: "pixel_32", rule: "less_than_or_equal_to", value: "255" },
    { column: "pixel_50", rule: "not_nullable", value: "" },
  ],
  n_rules: 2,
};

describe("failed rules", () => {
  it("name the column and the rule, and the value in the tooltip", () => {
    expect(rulesText(ROW)).toBe("pixel_32 less_than_or_equal_to; pixel_50 not_nullable");
    expect(rulesTitle(ROW)).toBe(
      "pixel_32: less_than_or_equal_to (value 255)\npixel_50: not_nullable (missing)",
    );
    expect(rulesText({ rules: [ROW.rules[0]], n_rules: 4 })).toBe(
      "pixel_32 less_than_or_equal_to (+3 more)",
    );
    expect([rulesText({ rules: [], n_rules: 0 }), rulesText({})]).toEqual(["", ""]);
  });

  it("render as text in their own column", () => {
    const row = { rules: [{ column: EVIL, rule: "isin", value: EVIL }], n_rules: 1 };
    const cell = cellFor({ kind: "rules", title: "failed rules" }, row, []);
    document.body.append(cell);
    expect(cell.textContent).toBe(`${EVIL} isin`);
    expect(cell.title).toBe(`${EVIL}: isin (value ${EVIL})`);
    expect(document.querySelector("img")).toBeNull();
    expect(window.__pwned).toBeUndefined();
    expect(template([{ kind: "rules" }])).toBe("28px 220px");
    cell.remove();
  });
});
