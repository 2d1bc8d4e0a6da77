// @vitest-environment jsdom
// CSS reaches the page one way (lib/style.js): each stylesheet styles only its own view's
// elements, and colours come from Jupyter's theme variables (fixed colours only as fallbacks).
import { describe, expect, it } from "vitest";
import { addStyle } from "../../src/lib/style.js";
import BASE from "../../src/lib/base.css";
import EMBEDDING from "../../src/embedding/style.css";
import CONFUSION from "../../src/confusion/style.css";
import GRID from "../../src/grid/style.css";
import PANEL from "../../src/dashboard/panel.css";
import HEADER from "../../src/dashboard/header/style.css";
import MEASURE from "../../src/dashboard/measure/style.css";
import ANNOTATORS from "../../src/dashboard/annotators/style.css";
import BARS from "../../src/dashboard/bars.css";
import BALANCE from "../../src/dashboard/balance/style.css";
import MEASURE_CHART from "../../src/dashboard/measure_chart/style.css";

// Stylesheet -> the class its selectors must start with (itself or `<class>-<part>`).
const SHEETS = [
  ["lib/base.css", BASE, "dcml-error"],
  ["embedding/style.css", EMBEDDING, "dcml-embedding"],
  ["confusion/style.css", CONFUSION, "dcml-confusion"],
  ["grid/style.css", GRID, "dcml-grid"],
  ["dashboard/panel.css", PANEL, "dcml-panel"],
  ["dashboard/header/style.css", HEADER, "dcml-header"],
  ["dashboard/measure/style.css", MEASURE, "dcml-measure"],
  ["dashboard/annotators/style.css", ANNOTATORS, "dcml-annotators"],
  ["dashboard/bars.css", BARS, "dcml-bars"],
  ["dashboard/balance/style.css", BALANCE, "dcml-balance"],
  ["dashboard/measure_chart/style.css", MEASURE_CHART, "dcml-measure-chart"],
];

/** Every selector of `css`, as the browser (jsdom) parsed it. */
function selectors(css) {
  const style = document.createElement("style");
  style.textContent = css;
  document.head.append(style);
  const out = [];
  const walk = (rules) => {
    for (const rule of rules) {
      if (rule.cssRules) walk(rule.cssRules);
      if (rule.selectorText) out.push(...rule.selectorText.split(",").map((s) => s.trim()));
    }
  };
  walk(style.sheet.cssRules);
  style.remove();
  return out;
}

/** `css` without the fallbacks of `var(--jp-…, fallback)` (nested parentheses included). */
function withoutJupyterFallbacks(css) {
  let out = "";
  let i = 0;
  while (i < css.length) {
    const at = css.indexOf("var(--jp-", i);
    if (at < 0) return out + css.slice(i);
    out += css.slice(i, at);
    let depth = 0;
    let j = at;
    for (; j < css.length; j++) {
      if (css[j] === "(") depth += 1;
      else if (css[j] === ")" && --depth === 0) break;
    }
    i = j + 1;
  }
  return out;
}

describe("stylesheets", () => {
  for (const [name, css, root] of SHEETS) {
    it(`${name} only styles .${root} elements`, () => {
      const all = selectors(css);
      expect(all.length).toBeGreaterThan(0);
      const own = new RegExp(`^\\.${root}(-[a-z0-9-]+)?(?![a-z0-9-])`);
      expect(all.filter((s) => !own.test(s))).toEqual([]);
    });
    it(`${name} takes its colours from Jupyter's theme variables`, () => {
      const fixed = withoutJupyterFallbacks(css.replace(/\/\*[\s\S]*?\*\//g, ""));
      expect(fixed.match(/#[0-9a-f]{3,8}\b|rgba?\(/gi)).toBeNull();
    });
  }

  it("the fallback stripper keeps what is outside var()", () => {
    expect(withoutJupyterFallbacks("a: var(--jp-x, rgba(0, 0, 0, .1)); b: #fff")).toBe("a: ; b: #fff");
  });
});

describe("addStyle", () => {
  it("puts the shared and the view's rules inside the view root, and takes them out again", () => {
    const root = document.createElement("div");
    root.append(document.createElement("span"));
    const remove = addStyle(root, ".dcml-x { color: var(--jp-ui-font-color1, #222); }");
    const style = root.querySelector("style");
    expect(root.firstChild).toBe(style);
    expect(style.textContent).toContain(".dcml-error");
    expect(style.textContent).toContain(".dcml-x");
    remove();
    expect(root.querySelector("style")).toBeNull();
    expect(root.children.length).toBe(1);
  });
});
