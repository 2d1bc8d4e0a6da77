// An edit's new colours: painted over the frame at once (only the points it changed), then
// the exact redraw of every point in idle time. A recording 2-D context stands in for the
// canvas (jsdom draws nothing).
import { describe, expect, it } from "vitest";
import { createRecolor } from "../../src/embedding/recolor.js";

function recordingCanvas() {
  const dots = []; // [x, y, r, color, alpha] per arc filled
  let path = [];
  const ctx = {
    fillStyle: "",
    globalAlpha: 1,
    beginPath: () => {
      path = [];
    },
    moveTo() {},
    arc: (x, y, r) => path.push([x, y, r]),
    fill() {
      for (const [x, y, r] of path) dots.push([x, y, r, ctx.fillStyle, ctx.globalAlpha]);
    },
  };
  return { canvas: { getContext: (kind) => (kind === "2d" ? ctx : null) }, dots };
}

function setup({ selected = new Set() } = {}) {
  const { canvas, dots } = recordingCanvas();
  const colors = ["#aa0000", "#00bb00", "#0000cc"];
  const codes = [0, 0, 0, 0, 0];
  const jobs = [];
  const redraws = [];
  const recolor = createRecolor({
    canvas,
    screenOf: (p) => [10 * p, 5],
    looks: () => (p) =>
      selected.has(p)
        ? [
            { radius: 4, color: colors[codes[p]], alpha: 1 },
            { radius: 3, color: "#ffffff", alpha: 1 },
          ]
        : [{ radius: 1.5, color: colors[codes[p]], alpha: 1 }],
    redraw: () => redraws.push([...codes]),
    pixelRatio: () => 2,
    schedule(job) {
      jobs.push(job);
      return () => jobs.splice(jobs.indexOf(job), 1);
    },
  });
  return { recolor, dots, codes, jobs, redraws };
}

describe("recolour by patch", () => {
  it("paints only the changed points, in their new colours, at once", () => {
    const { recolor, dots, codes, redraws } = setup();
    codes[1] = 2;
    codes[3] = 1;
    recolor.add([1, 3]);
    expect(dots).toEqual([
      [20, 10, 3, "#0000cc", 1],
      [60, 10, 3, "#00bb00", 1],
    ]);
    expect(recolor.pending).toBe(2);
    expect(redraws).toEqual([]); // the exact redraw waits
  });

  it("redraws every point exactly in idle time, once, and then paints no more", () => {
    const { recolor, dots, codes, jobs, redraws } = setup();
    codes[2] = 1;
    recolor.add([2]);
    codes[4] = 2;
    recolor.add([4]); // a second edit before idle time: still one redraw waiting
    expect(jobs.length).toBe(1);
    // The redraw reads the codes; once it is shown the painted points are done.
    const done = recolor.snapshot();
    jobs[0]();
    expect(redraws).toEqual([[0, 0, 1, 0, 2]]);
    done();
    expect(recolor.pending).toBe(0);
    dots.length = 0;
    recolor.repaint(); // a later frame (pan, zoom): the scatter's own colours stand
    expect(dots).toEqual([]);
  });

  it("paints the points again over each frame until the exact redraw has them", () => {
    const { recolor, dots, codes } = setup();
    codes[0] = 2;
    recolor.add([0]);
    const done = recolor.snapshot(); // a redraw starts reading the codes
    codes[1] = 1;
    recolor.add([1]); // an edit while that redraw runs: not in it
    dots.length = 0;
    recolor.repaint();
    expect(dots.map((d) => d[3])).toEqual(["#0000cc", "#00bb00"]);
    done();
    dots.length = 0;
    recolor.repaint();
    expect(dots).toEqual([[20, 10, 3, "#00bb00", 1]]);
    expect(recolor.pending).toBe(1);
  });

  it("paints a point's discs bottom first, and cleanup cancels the redraw", () => {
    const { recolor, dots, codes, jobs } = setup({ selected: new Set([2]) });
    codes[2] = 1;
    codes[3] = 2;
    recolor.add([2, 3]);
    // Every point's first disc, then the second ones: a disc never covers a later one.
    expect(dots).toEqual([
      [40, 10, 8, "#00bb00", 1],
      [60, 10, 3, "#0000cc", 1],
      [40, 10, 6, "#ffffff", 1],
    ]);
    expect(jobs.length).toBe(1);
    recolor.cleanup();
    expect(jobs.length).toBe(0);
    expect(recolor.pending).toBe(0);
  });
});
