// What a view (or one piece of it) hooks up, undone by one call: every listener added through
// a lifetime is removed by its end(), so a cleanup cannot forget one.

/**
 * A new lifetime.
 * @returns {{
 *   listen: (target: EventTarget, type: string, fn: Function, options?: any) => void,
 *   on: (model: any, event: string, fn: Function) => void,
 *   trait: (model: any, name: string, fn: (value: any) => void) => void,
 *   add: (fn: () => void) => void,
 *   end: () => void,
 * }}
 */
export function lifetime() {
  const undo = [];
  const on = (model, event, fn) => {
    model.on(event, fn);
    undo.push(() => model.off(event, fn));
  };
  return {
    /** addEventListener, removed at end(). */
    listen(target, type, fn, options) {
      target.addEventListener(type, fn, options);
      undo.push(() => target.removeEventListener(type, fn, options));
    },
    /** model.on(event, fn), removed at end(). */
    on,
    /** Call fn(model.get(name)) on every change of the trait, until end(). */
    trait(model, name, fn) {
      on(model, `change:${name}`, () => fn(model.get(name)));
    },
    /** Run fn at end(). */
    add(fn) {
      undo.push(fn);
    },
    /** Undo everything, the last hooked up first. A second call does nothing. */
    end() {
      while (undo.length) undo.pop()();
    },
  };
}
