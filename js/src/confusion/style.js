// Stylesheet of the confusion matrix view (class names prefixed dcml-confusion-).
export const CONFUSION_CSS = `
.dcml-confusion { font: 12px var(--jp-ui-font-family, system-ui, sans-serif);
  color: var(--jp-ui-font-color1, #222); background: var(--jp-layout-color1, #fff); }
.dcml-confusion .dcml-error { color: #b00020; border: 1px solid #b00020; padding: 4px 8px;
  margin-bottom: 6px; background: rgba(176, 0, 32, 0.06); }
.dcml-confusion-toolbar { display: flex; gap: 16px; align-items: center; margin: 4px 0; }
.dcml-confusion-caption { color: var(--jp-ui-font-color2, #555); margin: 2px 0 6px; }
.dcml-confusion-body { display: flex; gap: 12px; align-items: flex-start; }
.dcml-confusion-scroll { overflow: auto; max-height: 560px; max-width: 100%;
  border: 1px solid var(--jp-border-color2, #ddd); flex: 0 1 auto; min-width: 0; }
.dcml-confusion-table { border-collapse: separate; border-spacing: 0; table-layout: fixed; }
.dcml-confusion-table caption { text-align: left; padding: 2px 4px; font-weight: 600; }
.dcml-confusion-table th, .dcml-confusion-table td { padding: 3px 6px; min-width: 2.6em;
  text-align: right; border-right: 1px solid var(--jp-border-color3, #eee);
  border-bottom: 1px solid var(--jp-border-color3, #eee); white-space: nowrap;
  overflow: hidden; text-overflow: ellipsis; }
.dcml-confusion-table thead th { position: sticky; top: 0; z-index: 2;
  background: var(--jp-layout-color2, #f3f3f3); max-width: 10em; overflow: hidden;
  text-overflow: ellipsis; cursor: pointer; }
.dcml-confusion-table tbody th, .dcml-confusion-table tfoot th { position: sticky; left: 0;
  z-index: 1; background: var(--jp-layout-color2, #f3f3f3); text-align: left; cursor: pointer;
  max-width: 12em; overflow: hidden; text-overflow: ellipsis; }
.dcml-confusion-table thead th.dcml-confusion-corner { left: 0; z-index: 3; cursor: default;
  font-weight: normal; color: var(--jp-ui-font-color2, #555); }
.dcml-confusion-table tfoot th, .dcml-confusion-table tfoot td,
.dcml-confusion-margin { color: var(--jp-ui-font-color2, #555); font-style: italic;
  cursor: default; }
.dcml-confusion-cell { cursor: pointer; font-variant-numeric: tabular-nums; }
.dcml-confusion-zero { color: var(--jp-ui-font-color3, #aaa); }
.dcml-confusion-diag { font-weight: 700; }
.dcml-confusion-hot { box-shadow: inset 0 0 0 2px #d9480f; font-weight: 700; }
.dcml-confusion-edited { font-size: 10px; margin-left: 3px; color: #7048e8; }
.dcml-confusion-selected { outline: 3px solid var(--jp-brand-color1, #1976d2);
  outline-offset: -3px; }
.dcml-confusion-line { background-image: linear-gradient(rgba(25,118,210,.12),
  rgba(25,118,210,.12)); }
.dcml-confusion-table [tabindex="0"]:focus { outline: 2px dashed
  var(--jp-brand-color1, #1976d2); outline-offset: -2px; }
.dcml-confusion-top { flex: 0 0 20em; max-width: 20em; max-height: 560px; overflow: auto; }
.dcml-confusion-top li { white-space: nowrap; }
.dcml-confusion-paircount { display: inline-block; min-width: 2.5em; text-align: right;
  margin-right: 6px; font-variant-numeric: tabular-nums; }
.dcml-confusion-top h4 { margin: 0 0 4px; font-size: 12px; }
.dcml-confusion-top ol { margin: 0; padding-left: 0; list-style: none; }
.dcml-confusion-top button { background: none; border: none; padding: 1px 2px;
  cursor: pointer; color: inherit; font: inherit; text-align: left; max-width: 16em;
  overflow: hidden; text-overflow: ellipsis; white-space: nowrap; vertical-align: bottom; }
.dcml-confusion-top button:hover { text-decoration: underline; }
.dcml-confusion-empty { padding: 8px; color: var(--jp-ui-font-color2, #555); }
`;
