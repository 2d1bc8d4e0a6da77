// Bundles each view into dcml_widgets/static/<name>.js (one ESM per widget; Python loads them
// by these names). `node build.mjs --watch` (npm run dev) rebuilds them on every change.
import { build, context } from "esbuild";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

/** Bundle name (static/<name>.js) -> entry module. */
const BUNDLES = {
  embedding: "src/embedding/index.js",
  confusion: "src/confusion/index.js",
  grid: "src/grid/index.js",
  header: "src/dashboard/header/index.js",
  measure: "src/dashboard/measure/index.js",
  measure_chart: "src/dashboard/measure_chart/index.js",
  whatif: "src/dashboard/whatif/index.js",
  annotators: "src/dashboard/annotators/index.js",
  slices: "src/dashboard/slices/index.js",
  gaps: "src/dashboard/gaps/index.js",
  guidelines: "src/dashboard/guidelines/index.js",
  balance: "src/dashboard/balance/index.js",
};

const options = {
  entryPoints: Object.fromEntries(
    Object.entries(BUNDLES).map(([name, entry]) => [name, join(here, entry)]),
  ),
  outdir: join(here, "..", "dcml_widgets", "static"),
  bundle: true,
  format: "esm",
  minify: true,
  sourcemap: false,
  target: ["es2020"],
  loader: { ".css": "text" },
  logLevel: "warning",
};

if (process.argv.includes("--watch")) {
  const ctx = await context({ ...options, logLevel: "info" });
  await ctx.watch();
  console.log("watching js/src: bundles rebuild on every change (Ctrl-C stops)");
} else {
  await build(options);
  console.log(`built ${Object.keys(BUNDLES).length} bundle(s) into dcml_widgets/static/`);
}
