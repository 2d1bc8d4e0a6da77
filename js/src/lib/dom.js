// DOM helpers that only ever put dataset text into the page as text, never as HTML.

/**
 * Create an element. `props` sets attributes/properties; children are nodes or strings
 * (strings become text nodes). `text` sets textContent. Event handlers are `on<event>`
 * functions in props (e.g. `onclick`).
 * @param {string} tag
 * @param {Record<string, any>} [props]
 * @param {...(Node|string|number|null|undefined)} children
 * @returns {HTMLElement}
 */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "text") node.textContent = String(value);
    else if (key === "className") node.className = value;
    else if (key === "style" && typeof value === "object") Object.assign(node.style, value);
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key.startsWith("on") && typeof value === "function") {
      node.addEventListener(key.slice(2), value);
    } else if (/^(innerHTML|outerHTML|srcdoc)$/i.test(key) || /^href$|^src$/i.test(key)) {
      throw new Error(`el(): refusing to set ${key} from data`);
    } else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/**
 * An <option> of a <select>, its text set as text.
 * @param {string} value
 * @param {string} text
 * @param {boolean} [selected]
 */
export function option(value, text, selected = false) {
  const node = el("option", { value }, text);
  if (selected) node.selected = true;
  return node;
}

/**
 * Show (or clear, with an empty message) a visible error banner at the top of `container`.
 * @param {HTMLElement} container
 * @param {string} message
 */
export function showError(container, message) {
  let banner = container.querySelector(":scope > .dcml-error");
  if (!message) {
    banner?.remove();
    return;
  }
  if (!banner) {
    banner = el("div", { className: "dcml-error", role: "alert" });
    container.prepend(banner);
  }
  banner.textContent = String(message);
}

/**
 * Bind an anywidget model trait to a callback; returns the unbind function.
 * @param {any} model
 * @param {string} name
 * @param {(value: any) => void} callback
 */
export function onTrait(model, name, callback) {
  const handler = () => callback(model.get(name));
  model.on(`change:${name}`, handler);
  return () => model.off(`change:${name}`, handler);
}

/**
 * Keep the widget's `error` trait visible in `container`; returns the cleanup.
 * @param {any} model
 * @param {HTMLElement} container
 */
export function bindErrorBanner(model, container) {
  showError(container, model.get("error"));
  return onTrait(model, "error", (msg) => showError(container, msg));
}

/** Debounce `fn` by `ms`; the returned function has `.cancel()` and `.flush()`. */
export function debounce(fn, ms) {
  let timer = null;
  let lastArgs = null;
  const run = () => {
    timer = null;
    const args = lastArgs;
    lastArgs = null;
    if (args) fn(...args);
  };
  const debounced = (...args) => {
    lastArgs = args;
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(run, ms);
  };
  debounced.cancel = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    lastArgs = null;
  };
  debounced.flush = () => {
    if (timer !== null) clearTimeout(timer);
    run();
  };
  return debounced;
}
