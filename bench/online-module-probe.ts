// Child-process entry for the module breakdown of bench/online.bench.ts: a fresh node (run with --expose-gc)
// that loads one thing, collects garbage, and prints its /proc VmRSS, so each library's share of the agent's
// RSS can be read as "this probe minus bare node". One process per probe keeps them from sharing pages.
import { fileURLToPath } from "node:url";
import { procMemory } from "./online-process.js";

const dist = (file: string) => fileURLToPath(new URL(`../../dist/${file}`, import.meta.url));

export const PROBES: Record<string, () => Promise<unknown>> = {
  "bare node": async () => undefined,
  "@xmpp/client": () => import("@xmpp/client"),
  pino: () => import("pino"),
  convict: () => import("convict"),
  systeminformation: () => import("systeminformation"),
  // What `run` loads before it starts: the CLI's config loading, then src/commands/run.ts and all it imports
  "all `run` imports (dist/config/load.js + dist/commands/run.js)": async () => {
    await import(dist("config/load.js"));
    await import(dist("commands/run.js"));
  },
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
