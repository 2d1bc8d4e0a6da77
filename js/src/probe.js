// A minimal project widget: proves the bundles in dcml_widgets/static load and that a browser
// action reaches Python. Used by the browser-harness smoke test.
import { el, bindErrorBanner } from "./lib/dom.js";

function render({ model, el: root }) {
  const button = el("button", { className: "dcml-probe-button", type: "button" }, "ping");
  const out = el("span", { className: "dcml-probe-count" });
  const paint = () => {
    out.textContent = ` pings: ${model.get("pings")}`;
  };
  const onClick = () => model.send({ type: "ping" });
  button.addEventListener("click", onClick);
  model.on("change:pings", paint);
  const unbindError = bindErrorBanner(model, root);
  root.append(button, out);
  paint();
  return () => {
    button.removeEventListener("click", onClick);
    model.off("change:pings", paint);
    unbindError();
  };
}

export default { render };
