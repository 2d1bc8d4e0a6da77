// The grid's stylesheet (put into a <style> element inside the widget root).
export const CSS = `
.dcml-grid { font: 13px var(--jp-ui-font-family, system-ui, sans-serif);
  color: var(--jp-ui-font-color1, #222); background: var(--jp-layout-color1, #fff);
  border: 1px solid var(--jp-border-color2, #ddd); outline: none; }
.dcml-grid:focus-within { border-color: var(--jp-brand-color1, #1976d2); }
.dcml-grid-bar { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; padding: 4px 6px;
  border-bottom: 1px solid var(--jp-border-color2, #ddd); }
.dcml-grid-bar select, .dcml-grid-bar button, .dcml-grid-bar input { font: inherit; }
.dcml-grid-count { margin-left: auto; color: var(--jp-ui-font-color2, #666); }
.dcml-grid-bulk[hidden], .dcml-grid-prompt[hidden], .dcml-grid-expanded[hidden] { display: none; }
.dcml-grid-header { overflow: hidden; border-bottom: 1px solid var(--jp-border-color2, #ddd);
  background: var(--jp-layout-color2, #f3f3f3); }
.dcml-grid-hrow, .dcml-grid-row { display: grid; align-items: center; width: max-content; }
.dcml-grid-hrow button { all: unset; cursor: pointer; padding: 4px 6px; font-weight: 600;
  white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.dcml-grid-scroller { position: relative; height: 420px; overflow: auto; }
.dcml-grid-spacer { position: relative; }
.dcml-grid-pane { position: absolute; left: 0; right: 0; }
.dcml-grid-row { height: 36px; box-sizing: border-box; cursor: default;
  border-bottom: 1px solid var(--jp-border-color3, #eee); }
.dcml-grid-row > * { padding: 0 6px; overflow: hidden; white-space: nowrap; text-overflow: ellipsis; }
.dcml-grid-row.dcml-grid-focused { outline: 2px solid var(--jp-brand-color1, #1976d2);
  outline-offset: -2px; }
.dcml-grid-row.dcml-grid-selected { background: var(--jp-brand-color3, #e3f0fc); }
.dcml-grid-row.dcml-grid-excluded { opacity: 0.55; text-decoration: line-through; }
.dcml-grid-row.dcml-grid-loading { color: var(--jp-ui-font-color3, #999); }
.dcml-grid-thumb { width: 32px; height: 32px; image-rendering: pixelated; object-fit: contain;
  display: block; }
.dcml-grid-badge { display: inline-block; padding: 0 5px; margin-right: 3px; border-radius: 8px;
  background: var(--jp-warn-color3, #fde7c3); font-size: 11px; }
.dcml-grid-edited { font-weight: 600; color: var(--jp-brand-color1, #1976d2); }
.dcml-grid-more { margin-left: 4px; padding: 0 4px; font-size: 11px; cursor: pointer; }
.dcml-grid-label select { max-width: 125px; font: inherit; }
.dcml-grid-prompt { padding: 4px 6px; border-bottom: 1px solid var(--jp-border-color2, #ddd); }
.dcml-grid-picks { display: flex; flex-wrap: wrap; gap: 4px; margin-top: 4px; }
.dcml-grid-picks button.dcml-grid-active { outline: 2px solid var(--jp-brand-color1, #1976d2); }
.dcml-grid-expanded { padding: 6px; border-top: 1px solid var(--jp-border-color2, #ddd); }
.dcml-grid-expanded pre { white-space: pre-wrap; word-break: break-word; max-height: 200px;
  overflow: auto; margin: 4px 0; }
.dcml-grid-hint { padding: 3px 6px; font-size: 11px; color: var(--jp-ui-font-color2, #666);
  border-top: 1px solid var(--jp-border-color2, #ddd); }
.dcml-error { color: var(--jp-error-color1, #c62828); padding: 4px 6px; }
`;
