// Vitest loads each view's style.css as text, as esbuild's text loader does for the bundles.
import { readFileSync } from "node:fs";
import { defineConfig } from "vitest/config";

const PREFIX = "\0css-text:";

const cssAsText = {
  name: "css-as-text",
  enforce: "pre",
  async resolveId(source, importer, options) {
    if (!source.endsWith(".css")) return null;
    const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
    // The id must not end in .css, or Vite's own CSS handling takes the module over.
    return resolved ? `${PREFIX}${resolved.id}.js` : null;
  },
  load(id) {
    if (!id.startsWith(PREFIX)) return null;
    const text = readFileSync(id.slice(PREFIX.length, -".js".length), "utf8");
    return `export default ${JSON.stringify(text)};`;
  },
};

export default defineConfig({ plugins: [cssAsText] });
