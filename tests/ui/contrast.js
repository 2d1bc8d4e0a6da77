// Page-side half of the theme tests (passed to page.evaluate): the WCAG 2 contrast ratio of
// every visible text element under `rootSelector` against the colour behind it. The colour
// behind is the element's own background and its ancestors', composited (source-over) until
// an opaque one is reached; the text colour is composited over that, so translucent theme
// colours (rgba(255, 255, 255, .54)) are measured as seen. Disabled controls and elements
// drawn at opacity < 1 (excluded rows, legend entries switched off) are inactive components,
// which WCAG 1.4.3 exempts: they are counted as `inactive`, not measured.
(rootSelector) => {
  const parse = (text) => {
    let m = /^rgba?\(([^)]+)\)$/.exec(text);
    if (m) {
      const p = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
      return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
    }
    m = /^color\(srgb ([^)]+)\)$/.exec(text);
    if (m) {
      const p = m[1].split(/[\s/]+/).filter(Boolean).map(Number);
      return [p[0] * 255, p[1] * 255, p[2] * 255, p.length > 3 ? p[3] : 1];
    }
    throw new Error(`cannot parse the colour ${text}`);
  };
  const over = (top, bottom) => [0, 1, 2].map((i) => top[i] * top[3] + bottom[i] * (1 - top[3]));
  const channel = (v) => {
    const c = v / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = (rgb) => 0.2126 * channel(rgb[0]) + 0.7152 * channel(rgb[1]) + 0.0722 * channel(rgb[2]);
  const ratio = (a, b) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  const behind = (node) => {
    const layers = [];
    for (let n = node; n; n = n.parentElement) {
      const bg = parse(getComputedStyle(n).backgroundColor);
      if (bg[3] > 0) layers.push(bg);
      if (bg[3] >= 1) break;
    }
    let rgb = [255, 255, 255]; // the canvas, if no ancestor paints an opaque background
    if (layers.length && layers.at(-1)[3] >= 1) rgb = layers.pop().slice(0, 3);
    for (const layer of layers.reverse()) rgb = over(layer, rgb);
    return rgb;
  };
  const opacity = (node) => {
    let o = 1;
    for (let n = node; n; n = n.parentElement) o *= Number(getComputedStyle(n).opacity);
    return o;
  };
  const hasText = (node) =>
    node.tagName === "SELECT" ||
    [...node.childNodes].some((c) => c.nodeType === Node.TEXT_NODE && c.textContent.trim());
  const AREAS = [
    ["error banner", ".dcml-error"],
    ["legend", ".dcml-embedding-legend"],
    ["confusion cells", ".dcml-confusion-cell"],
    ["grid cells", ".dcml-grid-row"],
    ["header", ".dcml-header"],
    ["embedding", ".dcml-embedding"],
    ["confusion", ".dcml-confusion"],
    ["grid", ".dcml-grid"],
    ["measure", ".dcml-measure"],
    ["annotators", ".dcml-annotators"],
    ["class balance", ".dcml-balance"],
    ["measure chart", ".dcml-measure-chart"],
  ];
  const measured = [];
  let inactive = 0;
  for (const root of document.querySelectorAll(rootSelector)) {
    for (const node of root.querySelectorAll("*")) {
      if (["OPTION", "STYLE", "SCRIPT"].includes(node.tagName)) continue;
      if (!hasText(node)) continue;
      const rect = node.getBoundingClientRect();
      const style = getComputedStyle(node);
      if (rect.width === 0 || rect.height === 0 || style.visibility !== "visible") continue;
      if (opacity(node) < 1 || node.matches(":disabled")) {
        inactive += 1;
        continue;
      }
      const bg = behind(node);
      const fg = over(parse(style.color), bg);
      const area = AREAS.find(([, sel]) => node.closest(sel));
      measured.push({
        area: area ? area[0] : "other",
        text: (node.textContent || "").trim().slice(0, 40),
        tag: node.tagName.toLowerCase(),
        className: String(node.className).slice(0, 60),
        color: fg.map(Math.round),
        background: bg.map(Math.round),
        ratio: Math.round(ratio(fg, bg) * 100) / 100,
      });
    }
  }
  return { measured, inactive };
};
