// Virtual-scroll arithmetic for the grid: which rows are visible for a scroll position.
// Browsers cap element heights (~33M px), so beyond MAX_PX the scroll bar maps
// proportionally onto row indices instead of one pixel per pixel.

export const MAX_PX = 8_000_000;

/**
 * Height of the scroll spacer and whether the mapping is scaled.
 * @param {number} total rows
 * @param {number} rowHeight px
 */
export function spacer(total, rowHeight) {
  const natural = Math.max(0, total) * rowHeight;
  return { height: Math.min(natural, MAX_PX), scaled: natural > MAX_PX };
}

/**
 * First visible row and where to place the row pane (px from the top of the spacer).
 * @param {number} scrollTop
 * @param {number} viewport height of the scroller in px
 * @param {number} total rows
 * @param {number} rowHeight px
 */
export function visibleRange(scrollTop, viewport, total, rowHeight) {
  const count = Math.max(1, Math.ceil(viewport / rowHeight) + 1);
  const { height, scaled } = spacer(total, rowHeight);
  if (!scaled) {
    const first = Math.max(0, Math.min(Math.floor(scrollTop / rowHeight), Math.max(0, total - 1)));
    return { first, count: Math.min(count, Math.max(0, total - first)), top: first * rowHeight };
  }
  const maxScroll = Math.max(1, height - viewport);
  const frac = Math.min(1, Math.max(0, scrollTop / maxScroll));
  const first = Math.round(frac * Math.max(0, total - count + 1));
  return { first, count: Math.min(count, total - first), top: Math.min(scrollTop, height - viewport) };
}

/**
 * The scrollTop that brings row `index` into view (or null when it already is).
 * @param {number} index
 * @param {number} scrollTop current
 * @param {number} viewport px
 * @param {number} total rows
 * @param {number} rowHeight px
 */
export function scrollToShow(index, scrollTop, viewport, total, rowHeight) {
  const { height, scaled } = spacer(total, rowHeight);
  if (!scaled) {
    const top = index * rowHeight;
    if (top < scrollTop) return top;
    if (top + rowHeight > scrollTop + viewport) return top + rowHeight - viewport;
    return null;
  }
  const range = visibleRange(scrollTop, viewport, total, rowHeight);
  if (index >= range.first && index < range.first + range.count - 1) return null;
  const count = Math.max(1, Math.ceil(viewport / rowHeight) + 1);
  const span = Math.max(1, total - count + 1);
  const wantFirst = index < range.first ? index : index - count + 2;
  return (Math.max(0, wantFirst) / span) * Math.max(1, height - viewport);
}
