// The focused row and how its moves reach the kernel. Moves are numbered: the kernel echoes
// the number back (focus_seq), and until it has seen our latest move its focus traits describe
// an older one and must not pull the focus back. A burst of moves is written once, when keys
// stop repeating; every other message flushes a pending move first (see index.js), so the
// kernel sees intents in the order they were made.
import { debounce } from "../lib/dom.js";

const FOCUS_MS = 60;

/**
 * @param {any} model
 * @param {import("./pages.js").PageCache} cache
 */
export function createFocus(model, cache) {
  let index = Math.max(0, model.get("focus_index"));
  let seq = 0;
  let pending = false; // a move not written yet (its row's page may still be loading)

  const write = debounce(() => {
    const row = cache.row(index);
    if (!pending || !row) return; // an unloaded row is written once its page arrives
    pending = false;
    model.send({ type: "focus", position: row.pos, seq });
  }, FOCUS_MS);

  return {
    /** Grid index of the focused row. */
    get index() {
      return index;
    },
    /** Move the focus to `to` (clamped to the rows); false when there are no rows. */
    move(to) {
      const total = model.get("total");
      if (total === 0) return false;
      index = Math.max(0, Math.min(total - 1, to));
      seq += 1;
      pending = true;
      return true;
    },
    /** The rows were painted: (re)start writing a pending move, its row may have arrived. */
    painted() {
      if (pending) write();
    },
    /** Take the kernel's focus unless it has not seen our last move; true when it moved. */
    follow() {
      if ((model.get("focus_seq") ?? 0) < seq) return false;
      const idx = model.get("focus_index");
      if (idx < 0 || idx === index) return false;
      index = idx;
      return true;
    },
    /** Write a pending move now. */
    flush: () => write.flush(),
    cleanup: () => write.cancel(),
  };
}
