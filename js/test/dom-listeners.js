// Counts DOM listeners (EventTarget add/removeEventListener) so a view test can prove that
// cleanup removed every listener render added, on any element, window and document included.
import { vi } from "vitest";

/**
 * Start counting; returns `left()`: the listeners added since and not removed, as
 * [target, type, handler, capture] entries. Undone by vi.restoreAllMocks().
 */
export function trackListeners() {
  const added = [];
  const removed = [];
  const key = (target, [type, fn, options]) => [target, type, fn, Boolean(options?.capture ?? options)];
  const add = EventTarget.prototype.addEventListener;
  const remove = EventTarget.prototype.removeEventListener;
  vi.spyOn(EventTarget.prototype, "addEventListener").mockImplementation(function (...args) {
    added.push(key(this, args));
    return add.apply(this, args);
  });
  vi.spyOn(EventTarget.prototype, "removeEventListener").mockImplementation(function (...args) {
    removed.push(key(this, args));
    return remove.apply(this, args);
  });
  const same = (a, b) => a.every((v, i) => v === b[i]);
  return () => added.filter((a) => !removed.some((r) => same(a, r)));
}
