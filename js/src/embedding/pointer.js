// Pointer gestures on the plot: hovering a point asks for its preview (never while a button
// is down: panning or lassoing); a still click on a point focuses its row; a lasso or box
// drag is anchored where the button went down.
import { lifetime } from "../lib/lifetime.js";

const CLICK_SLOP = 4; // px a click may move and still be a click

/**
 * @param {any} model
 * @param {ReturnType<typeof import("./plot.js").createPlot>} plot
 * @param {ReturnType<typeof import("./hover.js").createHover>} hover
 * @param {import("./points.js").PointData} points
 * @returns {{cleanup: () => void}}
 */
export function bindPointer(model, plot, hover, points) {
  const life = lifetime();
  const { el: area, canvas } = plot;
  let downAt = null; // where the button went down, until the click after it

  plot.on("pointOver", (position) => hover.target(position, !downAt));
  plot.on("pointOut", () => hover.leave());
  life.listen(area, "mousemove", (e) => {
    const r = area.getBoundingClientRect();
    hover.move([e.clientX - r.left, e.clientY - r.top]);
  });
  life.listen(area, "mouseleave", hover.hide);
  life.listen(window, "mouseup", () => {
    // The click that follows reads downAt; clear it once that has happened.
    setTimeout(() => {
      downAt = null;
    }, 0);
  });
  life.listen(area, "mousedown", (e) => {
    downAt = [e.clientX, e.clientY];
    hover.hide();
  }, true);
  // The scatter starts a lasso or box at the first move after the press; replaying the press
  // point as a move (after the scatter saw the press) anchors it where the drag began.
  life.listen(area, "mousedown", (e) => {
    if (e.target !== canvas || e.buttons !== 1 || (plot.mode === "pan" && !e.shiftKey)) return;
    const { clientX, clientY, shiftKey } = e;
    canvas.dispatchEvent(new MouseEvent("mousemove", { bubbles: true, clientX, clientY, shiftKey, buttons: 1 }));
  });
  // A click on a point focuses its row; the scatter's own click-to-select is skipped so a
  // click never replaces the selection made by lasso or elsewhere.
  life.listen(area, "click", (e) => {
    if (e.target !== canvas || !points.layout) return;
    e.stopPropagation();
    const still = downAt && Math.hypot(e.clientX - downAt[0], e.clientY - downAt[1]) < CLICK_SLOP;
    if (still && hover.hovered >= 0) {
      model.send({ type: "focus", position: hover.hovered, revision: points.revision });
    }
  }, true);
  return { cleanup: life.end };
}
