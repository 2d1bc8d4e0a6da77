// A stand-in for the anywidget model in view tests: traits in a plain object, change events,
// custom messages both ways, and a count of listeners so a test can prove cleanup.
export class FakeModel {
  constructor(values = {}) {
    this.values = { error: "", ...values };
    this.handlers = new Map();
    this.sent = []; // messages the view sent, in order
    this.sentBuffers = []; // the buffers sent with each of them
  }
  get(name) {
    return this.values[name];
  }
  set(name, value) {
    this.values[name] = value;
    this.emit(name);
  }
  /** Fire `change:<name>` without changing the value. */
  emit(name) {
    for (const fn of this.handlers.get(`change:${name}`) ?? []) fn();
  }
  save_changes() {}
  on(event, fn) {
    if (!this.handlers.has(event)) this.handlers.set(event, new Set());
    this.handlers.get(event).add(fn);
  }
  off(event, fn) {
    this.handlers.get(event)?.delete(fn);
    if (this.handlers.get(event)?.size === 0) this.handlers.delete(event);
  }
  send(msg, _callbacks, buffers = []) {
    this.sent.push(msg);
    this.sentBuffers.push(buffers);
  }
  /** Deliver a custom message from Python to the view. */
  receive(msg, buffers = []) {
    for (const fn of this.handlers.get("msg:custom") ?? []) fn(msg, buffers);
  }
  listenerCount() {
    let n = 0;
    for (const set of this.handlers.values()) n += set.size;
    return n;
  }
}

/**
 * Render `view` (a module's default export) into a fresh element of the page, on a
 * FakeModel holding `values`.
 * @returns {{model: FakeModel, root: HTMLElement, cleanup: () => void}}
 */
export function mount(view, values) {
  const model = new FakeModel(values);
  const root = document.createElement("div");
  document.body.append(root);
  const cleanup = view.render({ model, el: root });
  return { model, root, cleanup };
}
