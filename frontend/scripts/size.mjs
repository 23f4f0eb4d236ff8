// Prints the gzipped JavaScript the first page (the dashboard, "/") needs, from the build's
// manifest (run `npm run build` first). One JSON line, like the benchmarks:
//   entry          the app shell every page loads
//   dashboard      + the dashboard route's own chunks
//   with_chart     + Recharts, loaded when the trend chart first has data
import { readFile } from "node:fs/promises";
import path from "node:path";
import { gzipSync } from "node:zlib";

const dist = path.resolve(import.meta.dirname, "..", "dist");
const manifest = JSON.parse(await readFile(path.join(dist, ".vite", "manifest.json"), "utf8"));

function closure(keys, seen = new Set()) {
  for (const key of keys) {
    if (seen.has(key)) continue;
    seen.add(key);
    closure(manifest[key]?.imports ?? [], seen);
  }
  return seen;
}

async function gzipKb(keys) {
  let bytes = 0;
  for (const key of keys) {
    const file = manifest[key]?.file;
    if (file?.endsWith(".js")) bytes += gzipSync(await readFile(path.join(dist, file)), { level: 9 }).length;
  }
  return Math.round((bytes / 1024) * 10) / 10;
}

const entryKey = Object.keys(manifest).find((k) => manifest[k].isEntry);
const find = (suffix) => Object.keys(manifest).find((k) => k.endsWith(suffix));
const entry = closure([entryKey]);
const dashboard = closure([find("src/app/routes/dashboard.tsx")], new Set(entry));
const withChart = closure([find("src/features/compliance/components/trend-chart.tsx")], new Set(dashboard));
const result = {
  metric: "first_page_js_gzip_kb",
  entry: await gzipKb(entry),
  dashboard: await gzipKb(dashboard),
  with_chart: await gzipKb(withChart),
  budget: 300,
};
console.log(JSON.stringify(result));
if (result.with_chart > result.budget) {
  console.error(`over budget: ${result.with_chart} KB > ${result.budget} KB`);
  process.exit(1);
}
