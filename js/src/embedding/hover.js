// The hover preview: asks the kernel for the row under the pointer (debounced) and shows its
// card next to the pointer. The card is text only; a thumbnail is a Blob URL made from the
// kernel's PNG buffer, revoked when the next one replaces it.
import { debounce, el } from "../lib/dom.js";
import { lifetime } from "../lib/lifetime.js";
import { previewCard } from "./preview.js";

const HOVER_MS = 60;
const WIDTH = 260; // the card's max-width in style.css
const GAP = 14;

/**
 * @param {any} model
 * @param {HTMLElement} plot the element the card is placed in
 * @param {import("./points.js").PointData} points
 * @returns {{hovered: number, target: (position: number, fetch: boolean) => void,
 *            leave: () => void, hide: () => void, move: (xy: number[]) => void,
 *            show: (msg: object, buffers: any[]) => void, cleanup: () => void}}
 */
export function createHover(model, plot, points) {
  const life = lifetime();
  const card = el("div", { className: "dcml-embedding-preview", hidden: true });
  plot.append(card);
  let hovered = -1;
  let mouse = [0, 0];
  let thumbUrl = null;

  const request = debounce((position) => {
    if (position === hovered) model.send({ type: "hover", position, revision: points.revision });
  }, HOVER_MS);

  function setThumb(png) {
    if (thumbUrl) URL.revokeObjectURL(thumbUrl);
    thumbUrl = png ? URL.createObjectURL(new Blob([png], { type: "image/png" })) : null;
  }
  function place() {
    const { width, height } = plot.getBoundingClientRect();
    const [x, y] = mouse;
    const left = x + GAP + WIDTH > width ? Math.max(0, x - WIDTH - GAP) : x + GAP;
    const below = y < height / 2;
    card.style.left = `${left}px`;
    card.style.top = below ? `${y + 10}px` : "";
    card.style.bottom = below ? "" : `${Math.max(0, height - y + 10)}px`;
  }
  const hide = () => {
    card.hidden = true;
  };
  life.add(() => {
    request.cancel();
    setThumb(null);
  });

  return {
    /** Position of the point under the pointer, or -1. */
    get hovered() {
      return hovered;
    },
    /** The pointer is on the point at `position`; `fetch`: ask for its preview. */
    target(position, fetch) {
      hovered = position;
      if (fetch) request(position);
    },
    /** The pointer left the point. */
    leave() {
      hovered = -1;
      hide();
    },
    hide,
    /** The pointer moved to `xy` (px in the plot). */
    move(xy) {
      mouse = xy;
      if (!card.hidden) place();
    },
    /** Show a "hover" reply, unless the pointer has moved to another point since. */
    show(msg, buffers) {
      if (msg.position !== hovered) return;
      setThumb(msg.thumb === "png" ? buffers[0] : null);
      card.replaceChildren(previewCard(msg, thumbUrl));
      place();
      card.hidden = false;
    },
    cleanup: life.end,
  };
}
