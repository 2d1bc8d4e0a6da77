// Theme changes, for the colours a view computes in JS (CSS variables follow by themselves).
// JupyterLab marks its theme on <body> (data-jp-theme-name, data-jp-theme-light, the
// color-scheme style) once the theme's CSS is in; other hosts switch a class on <body> or
// <html>, or follow the system's colour scheme.

/**
 * Call `callback` after the page's theme may have changed.
 * @param {() => void} callback
 * @returns {() => void} stops watching
 */
export function onThemeChange(callback) {
  const observer = new MutationObserver(() => callback());
  const attributeFilter = ["class", "style", "data-jp-theme-name", "data-jp-theme-light"];
  observer.observe(document.body, { attributes: true, attributeFilter });
  observer.observe(document.documentElement, { attributes: true, attributeFilter });
  const media = window.matchMedia?.("(prefers-color-scheme: dark)");
  media?.addEventListener?.("change", callback);
  return () => {
    observer.disconnect();
    media?.removeEventListener?.("change", callback);
  };
}
