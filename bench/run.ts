// Runs the benchmark scenarios, each in a fresh node process (a scenario may patch globals such as
// child_process or Date.now, and must not inherit another's heap or JIT state), prints their results, and
// with --write regenerates their sections of docs/benchmarks.md.
//   node build/bench/run.js [--write] [scenario ...] [--option value ...]
// Options go to the scenario's process as BENCH_OPTIONS (options.ts), e.g. fleet's --devices.
import { execFileSync } from "node:child_process";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describeMachine } from "./machine.js";
import { parseBenchOptions } from "./options.js";
import { writeSection } from "./results-page.js";

export interface ScenarioResult {
  name: string;
  title: string;
  markdown: string;
}

/** Scenario name -> file exporting `run(): Promise<ScenarioResult>`. Add new scenarios here. */
const SCENARIOS: Record<string, string> = {
  sampling: "./sampling.bench.js",
  presence: "./presence.bench.js",
  notify: "./notify.bench.js",
  online: "./online.bench.js",
  queries: "./queries.bench.js",
  fleet: "./fleet.bench.js",
  jitless: "./jitless.bench.js",
  alerts: "./alerts.bench.js",
  checks: "./checks.bench.js",
  pizero: "./pizero.bench.js",
  memory: "./memory.bench.js",
};
/** Run only when named (`npm run bench:fleet`): minutes long, and a thousand sessions would disturb the others. */
const ON_REQUEST = new Set(["fleet"]);

const PAGE = fileURLToPath(new URL("../../docs/benchmarks.md", import.meta.url));

async function runOne(name: string): Promise<void> {
  // Ended by a signal (a `timeout` around the run signals the whole process group), exit through the exit
  // handlers: the throwaway server's is the one that removes its temp dir and accounts
  process.once("SIGTERM", () => process.exit(143));
  process.once("SIGINT", () => process.exit(130));
  const file = SCENARIOS[name];
  if (!file) throw new Error(`unknown scenario "${name}"; known: ${Object.keys(SCENARIOS).join(", ")}`);
  const scenario = (await import(file)) as { run(): Promise<ScenarioResult> };
  const result = await scenario.run();
  process.stdout.write(JSON.stringify(result));
  process.exit(0); // a library's leftover timer must not keep the benchmark alive
}

function main(args: string[]): void {
  const { names, options, write } = parseBenchOptions(args);
  const chosen = names.length ? names : Object.keys(SCENARIOS).filter((name) => !ON_REQUEST.has(name));
  const self = fileURLToPath(import.meta.url);
  const machine = describeMachine();
  const event = process.env.npm_lifecycle_event;
  const command = `node build/bench/run.js ${args.join(" ")}`.trim();
  for (const name of chosen) {
    process.stderr.write(`running scenario ${name}\n`);
    const out = execFileSync(process.execPath, [self, "--scenario", name], {
      stdio: ["ignore", "pipe", "inherit"],
      encoding: "utf8",
      maxBuffer: 16 << 20,
      env: { ...process.env, BENCH_OPTIONS: JSON.stringify(options) },
    });
    const result = JSON.parse(out) as ScenarioResult;
    const body = [
      `Machine: ${machine}.`,
      "",
      `Command: \`${event ? `npm run ${event}` : command}\`${event ? ` (\`${command}\`)` : ""}, scenario file \`bench/${name}.bench.ts\`.`,
      "",
      result.markdown,
    ].join("\n");
    process.stdout.write(`\n## ${result.title}\n\n${body}\n`);
    if (write) {
      writeSection(PAGE, result.name, result.title, body);
      process.stderr.write(`updated the ${result.name} section of docs/benchmarks.md\n`);
    }
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const at = process.argv.indexOf("--scenario");
  if (at !== -1) await runOne(process.argv[at + 1] ?? "");
  else main(process.argv.slice(2));
}
