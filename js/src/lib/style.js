// The one way CSS reaches the page: a view's style.css (bundled as text) goes into a <style>
// element inside the view's own root, so it comes and goes with the view. Every selector of
// a view's stylesheet starts with that view's root class (test/lib/style.test.js checks
// them all), so one view's rules never style another view's elements.
import { el } from "./dom.js";
import BASE from "./base.css";

/**
 * Add the shared rules and `sheets` to `root`.
 * @param {HTMLElement} root the view's root element (carries the view's root class)
 * @param {...string} sheets CSS text, in cascade order
 * @returns {() => void} removes the stylesheet again
 */
export function addStyle(root, ...sheets) {
  const style = el("style", {}, [BASE, ...sheets].join("\n"));
  root.prepend(style);
  return () => style.remove();
}
