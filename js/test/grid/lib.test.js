import { describe, expect, it } from "vitest";
import { PageCache } from "../../src/grid/pages.js";
import { MAX_PX, scrollToShow, spacer, visibleRange } from "../../src/grid/scroll.js";
import { keyAction, matchClasses, swallow } from "../../src/grid/keys.js";
import { scoreText, statusText, template, valueText } from "../../src/grid/cells.js";
import { sortText } from "../../src/grid/header.js";

function makeCache(pageSize = 10) {
  const made = [];
  const revoked = [];
  let n = 0;
  const cache = new PageCache(
    pageSize,
    () => {
      const url = `blob:${n++}`;
      made.push(url);
      return url;
    },
    (url) => revoked.push(url),
    3,
  );
  return { cache, made, revoked };
}

const rows = (start, n, thumbs = false) =>
  Array.from({ length: n }, (_, i) => ({ id: start + i, pos: start + i, thumb: thumbs ? i : -1 }));

describe("PageCache", () => {
  it("asks for the pages covering the visible rows plus the next one, once", () => {
    const { cache } = makeCache(10);
    cache.reset(1);
    expect(cache.missing(0, 7, 1000)).toEqual([0, 10]);
    cache.markPending(0);
    cache.markPending(10);
    expect(cache.missing(0, 7, 1000)).toEqual([]);
    expect(cache.missing(25, 34, 1000)).toEqual([20, 30]);
    expect(cache.missing(0, 7, 8)).toEqual([]); // pending already covers the 8 rows
    expect(cache.missing(0, 0, 0)).toEqual([]);
  });

  it("drops pages made for another revision and keeps old rows until replaced", () => {
    const { cache, revoked } = makeCache(10);
    cache.reset(1);
    expect(cache.accept({ revision: 1, start: 0, rows: rows(0, 10, true) }, new Array(10))).toBe(true);
    expect(cache.row(3).id).toBe(3);
    expect(cache.row(3).thumbUrl).toBe("blob:3");
    cache.reset(2);
    expect(cache.accept({ revision: 1, start: 0, rows: rows(100, 10) }, [])).toBe(false);
    expect(cache.row(3).id).toBe(3); // previous revision still shown
    expect(cache.missing(0, 5, 100)).toContain(0);
    cache.accept({ revision: 2, start: 0, rows: rows(50, 10) }, []);
    expect(cache.row(3).id).toBe(53);
    expect(revoked.length).toBe(10); // the old page's blob URLs were revoked
  });

  it("keeps showing the last rows through several quick revisions", () => {
    const { cache } = makeCache(10);
    cache.reset(1);
    cache.accept({ revision: 1, start: 0, rows: rows(0, 10) }, []);
    cache.reset(2);
    cache.reset(3);
    expect(cache.row(4).id).toBe(4);
    cache.accept({ revision: 3, start: 0, rows: rows(20, 10) }, []);
    expect(cache.row(4).id).toBe(24);
    cache.reset(4);
    cache.reset(5);
    expect(cache.row(4).id).toBe(24);
  });

  it("keeps a page sent ahead of its revision until the revision comes, then needs no request", () => {
    const { cache, made, revoked } = makeCache(10);
    cache.reset(1);
    cache.accept({ revision: 1, start: 0, rows: rows(0, 10) }, []);
    expect(cache.accept({ revision: 2, start: 0, rows: rows(70, 10, true) }, new Array(10))).toBe(false);
    expect(cache.row(4).id).toBe(4); // not shown before its revision
    cache.reset(2);
    expect(cache.row(4).id).toBe(74);
    expect(cache.missing(0, 5, 100)).toEqual([10]); // the prefetch only: page 0 is here
    // Pages sent ahead for a revision that was skipped are dropped and their URLs revoked.
    cache.accept({ revision: 3, start: 10, rows: rows(10, 10, true) }, new Array(10));
    cache.reset(4);
    expect(cache.row(14)).toBeUndefined();
    expect(cache.missing(10, 15, 100)).toContain(10);
    cache.clear();
    expect(new Set(revoked)).toEqual(new Set(made));
  });

  it("bounds memory while scrolling and revokes everything on clear", () => {
    const { cache, made, revoked } = makeCache(10);
    cache.reset(1);
    for (let s = 0; s < 60; s += 10) {
      cache.accept({ revision: 1, start: s, rows: rows(s, 10, true) }, new Array(10));
    }
    cache.trim(55);
    expect(cache.pages.size).toBe(3);
    expect([...cache.pages.keys()].sort((a, b) => a - b)).toEqual([30, 40, 50]);
    cache.clear();
    expect(new Set(revoked)).toEqual(new Set(made));
  });
});

describe("virtual scroll", () => {
  it("maps scrollTop to rows one to one for small tables", () => {
    expect(spacer(100, 36)).toEqual({ height: 3600, scaled: false });
    const r = visibleRange(360, 420, 100, 36);
    expect(r.first).toBe(10);
    expect(r.top).toBe(360);
    expect(r.count).toBe(13);
    expect(visibleRange(3600, 420, 100, 36).first).toBe(99);
  });

  it("scales for a million rows and still reaches the last row", () => {
    const total = 1_000_000;
    const { height, scaled } = spacer(total, 36);
    expect(scaled).toBe(true);
    expect(height).toBe(MAX_PX);
    const end = visibleRange(height - 420, 420, total, 36);
    expect(end.first + end.count).toBe(total);
    const mid = visibleRange((height - 420) / 2, 420, total, 36);
    expect(Math.abs(mid.first - total / 2)).toBeLessThan(10);
    const top = scrollToShow(500_000, 0, 420, total, 36);
    const shown = visibleRange(top, 420, total, 36);
    expect(shown.first <= 500_000 && 500_000 < shown.first + shown.count).toBe(true);
  });

  it("scrolls only when the focused row is out of view", () => {
    expect(scrollToShow(5, 0, 420, 100, 36)).toBe(null);
    expect(scrollToShow(20, 0, 420, 100, 36)).toBe(21 * 36 - 420);
    expect(scrollToShow(2, 360, 420, 100, 36)).toBe(72);
  });
});

describe("scores", () => {
  it("tell the worst rows apart: three significant digits, tiny ones in e-notation", () => {
    // The demo's five lowest label scores: with three decimals all read "0.000".
    const worst = [5.204e-7, 2.381e-5, 4.31e-5, 4.406e-5, 1.006e-4, 0.001207, 0.4123, 1];
    const shown = worst.map(scoreText);
    expect(shown).toEqual(["5.20e-7", "2.38e-5", "4.31e-5", "4.41e-5", "1.01e-4", "0.00121", "0.412", "1.00"]);
    expect(new Set(shown).size).toBe(worst.length);
    expect([scoreText(0), scoreText(null), scoreText(NaN)]).toEqual(["0", "", ""]);
    expect(sortText("label score", true)).toBe("sorted by label score, lowest first");
  });
});

describe("keyboard review", () => {
  const k = (key, extra = {}) => ({ key, ...extra });
  it("maps review keys", () => {
    expect(keyAction(k("j"), 3)).toEqual({ kind: "move", by: 1 });
    expect(keyAction(k("ArrowUp"), 3)).toEqual({ kind: "move", by: -1 });
    expect(keyAction(k("2"), 3)).toEqual({ kind: "relabel", classIndex: 1 });
    expect(keyAction(k("4"), 3)).toEqual({ kind: "picker" }); // no fourth class
    expect(keyAction(k("a"), 3).kind).toBe("accept");
    expect(keyAction(k("x"), 3).kind).toBe("exclude");
    expect(keyAction(k("r"), 3).kind).toBe("reviewed");
    expect(keyAction(k("n"), 3).kind).toBe("note");
    expect(keyAction(k("u"), 3).kind).toBe("undo");
    expect(keyAction(k("U", { shiftKey: true }), 3).kind).toBe("redo");
    expect(keyAction(k("l"), 12).kind).toBe("picker");
    expect(keyAction(k("a", { ctrlKey: true }), 3)).toBe(null);
    expect(keyAction(k("q"), 3)).toBe(null);
  });

  it("keeps every plain key from JupyterLab, lets modifier shortcuts and Tab through", () => {
    for (const key of ["a", "x", "1", "j", "Enter", "Escape", "m", "d", "ArrowDown", " "]) {
      expect(swallow(k(key))).toBe(true);
    }
    expect(swallow(k("s", { ctrlKey: true }))).toBe(false);
    expect(swallow(k("Tab"))).toBe(false);
  });

  it("filters classes by typed text, prefix matches first", () => {
    const names = ["cat", "dog", "bobcat", "catfish", "Cattle"];
    expect(matchClasses(names, "cat")).toEqual([0, 3, 4, 2]);
    expect(matchClasses(names, "  ")).toEqual([0, 1, 2, 3, 4]);
    expect(matchClasses(names, "zebra")).toEqual([]);
  });
});

describe("cells", () => {
  it("formats values and status as text", () => {
    expect(valueText(null)).toBe("");
    expect(valueText(3)).toBe("3");
    expect(valueText(0.123456789)).toBe("0.12346");
    expect(valueText("<b>x</b>")).toBe("<b>x</b>");
    expect(statusText({ excluded: true, label: 1, given: 0, reviewed: true })).toBe(
      "excluded · edited · reviewed",
    );
    expect(statusText({ excluded: false, label: 0, given: 0, reviewed: false })).toBe("");
    expect(template([{ kind: "id" }, { kind: "label" }])).toBe("28px 90px 140px");
  });
});
