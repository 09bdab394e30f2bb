// Child-process entry for the module breakdown of bench/online.bench.ts: a fresh node (run with --expose-gc)
// that loads one thing, collects garbage, and prints its /proc VmRSS, so each library's share of the agent's
// RSS can be read as "this probe minus bare node". One process per probe keeps them from sharing pages.
import { fileURLToPath } from "node:url";
import { procMemory } from "./online-process.js";

/** src/commands/run.ts and src/config/load.ts bundled as dist/cli.js bundles them (tools/bundle.mjs), made by
 * bench/online.bench.ts before the probes run: dist/cli.js itself would run its command line. */
export const RUN_BUNDLE = fileURLToPath(new URL("./run-bundle.mjs", import.meta.url));
export const RUN_BUNDLE_ENTRY = fileURLToPath(new URL("./run-bundle-entry.js", import.meta.url));

export const PROBES: Record<string, () => Promise<unknown>> = {
  "bare node": async () => undefined,
  "@xmpp/client": () => import("@xmpp/client"),
  pino: () => import("pino"),
  convict: () => import("convict"),
  // What `run` loads before it starts: the CLI's config loading, src/commands/run.ts and all it imports, bundled
  "all `run` imports, bundled (src/config/load.ts + src/commands/run.ts)": () => import(RUN_BUNDLE),
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const name = process.argv[2] ?? "";
  const load = PROBES[name];
  if (!load) throw new Error(`unknown probe "${name}"; expected one of: ${Object.keys(PROBES).join(", ")}`);
  await load();
  await new Promise((r) => setTimeout(r, 50));
  (globalThis as { gc?: () => void }).gc?.();
  process.stdout.write(`${JSON.stringify(procMemory("self"))}\n`);
  process.exit(0); // a library's timer must not keep the probe alive
}
