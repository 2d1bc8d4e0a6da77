// Bundles every js/src/*.js entry into dcml_widgets/static/<name>.js (one ESM per widget).
import { build } from "esbuild";
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const entries = readdirSync(join(here, "src"))
  .filter((f) => f.endsWith(".js"))
  .map((f) => join(here, "src", f));

await build({
  entryPoints: entries,
  outdir: join(here, "..", "dcml_widgets", "static"),
  bundle: true,
  format: "esm",
  minify: true,
  sourcemap: false,
  target: ["es2020"],
  loader: { ".css": "text" },
  logLevel: "warning",
});
console.log(`built ${entries.length} bundle(s) into dcml_widgets/static/`);
