// What an sd_notify message costs (src/systemd/send.ts): spawning systemd-notify, as shipped, against the
// native addons a Node daemon would otherwise use, unix-dgram (zigbee2mqtt's choice) and sd-notify (libsystemd).
// The addons are installed with npm into a temp dir for the run, which also measures what they need to build.
// Each contender runs in fresh node processes (bench/notify-probe.ts) against a real AF_UNIX datagram socket
// that answers sd_notify_barrier as PID 1 does (test/support/notify-socket.ts).
import { execFile, execFileSync, spawnSync } from "node:child_process";
import { promisify } from "node:util";
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ScenarioResult } from "./run.js";
import { median, sig } from "./stats.js";
import { notifySocket } from "../test/support/notify-socket.js";
import type { ProbeResult } from "./notify-probe.js"; // type only: the probe runs itself when loaded

interface Contender {
  name: "ours" | "unix-dgram" | "sd-notify";
  label: string;
  /** npm spec of a native addon; null for ours. */
  npm: string | null;
  messages: number;
}

const CONTENDERS: Contender[] = [
  { name: "ours", label: "ours: spawn systemd-notify (as shipped)", npm: null, messages: 300 },
  { name: "unix-dgram", label: "unix-dgram 2.0.7 (native addon)", npm: "unix-dgram@2.0.7", messages: 20_000 },
  { name: "sd-notify", label: "sd-notify 2.8.0 (native addon, libsystemd)", npm: "sd-notify@2.8.0", messages: 20_000 },
];
const ROUNDS = 3;
/** WatchdogSec=60 in systemd/xmpp-device-agent.service: a ping every 30 s. */
const PINGS_PER_DAY = 86_400 / 30;
const PROBE = fileURLToPath(new URL("./notify-probe.js", import.meta.url));

interface Installed {
  ok: boolean;
  dir: string;
  bytes: number;
  seconds: number;
  needs: string;
  error: string;
}

const duBytes = (path: string) => Number(execFileSync("du", ["-sb", path], { encoding: "utf8" }).split("\t")[0]);

function install(contender: Contender): Installed {
  const dir = join(tmpdir(), "xmpp-device-agent-bench-notify", contender.name);
  if (!contender.npm) {
    const binary = execFileSync("sh", ["-c", "command -v systemd-notify"], { encoding: "utf8" }).trim();
    return { ok: true, dir, bytes: 0, seconds: 0, needs: `nothing: ${binary} (${statSync(binary).size} bytes) ships with systemd`, error: "" };
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const started = performance.now();
  const run = spawnSync("npm", ["install", "--prefix", dir, "--no-save", "--no-audit", "--no-fund", "--foreground-scripts", contender.npm], { encoding: "utf8" });
  const seconds = (performance.now() - started) / 1000;
  const gyp = join(dir, "node_modules", contender.name, "binding.gyp");
  const libraries = existsSync(gyp) ? [...readFileSync(gyp, "utf8").matchAll(/-l(\w+)/g)].map((m) => `lib${m[1]}-dev`) : [];
  const needs = ["node-gyp, a C++ compiler, make, python3", ...new Set(libraries)].join(", ") + "; a build per CPU architecture";
  const built = run.status === 0 && execFileSync("find", [dir, "-name", "*.node"], { encoding: "utf8" }).trim() !== "";
  const error = built ? "" : (`${run.stdout}${run.stderr}`.match(/(fatal error: .*|error: .*)/)?.[1] ?? `npm exited ${run.status}`);
  return { ok: built, dir, bytes: existsSync(join(dir, "node_modules")) ? duBytes(join(dir, "node_modules")) : 0, seconds, needs, error };
}


// Async: this process relays the socket's messages and must keep reading while a probe sends them
async function probe(name: string, socket: string, modules: string, messages: number): Promise<ProbeResult> {
  const { stdout } = await promisify(execFile)(process.execPath, [PROBE, name, socket, join(modules, "node_modules"), String(messages)], { encoding: "utf8" });
  return JSON.parse(stdout) as ProbeResult;
}

async function rounds(name: string, socket: string, modules: string, messages: number): Promise<ProbeResult[]> {
  const results: ProbeResult[] = [];
  for (let i = 0; i < ROUNDS; i++) results.push(await probe(name, socket, modules, messages));
  return results;
}

export async function run(): Promise<ScenarioResult> {
  const socket = await notifySocket("path");
  try {
    const bare = await rounds("bare", socket.address, tmpdir(), 1);
    const bareRss = median(bare.map((p) => p.rssAfterBytes));
    const rows: string[] = [];
    const notes: string[] = [];
    for (const contender of CONTENDERS) {
      const installed = install(contender);
      const size = contender.npm ? `${sig(installed.bytes / 1e6)} MB, ${sig(installed.seconds)} s` : "0";
      if (!installed.ok) {
        rows.push(`| ${contender.label} | ${size} | ${installed.needs} | build failed: \`${installed.error}\` | | | | |`);
        continue;
      }
      const measured = await rounds(contender.name, socket.address, installed.dir, contender.messages);
      const cpuMs = median(measured.map((p) => p.selfMs + p.childrenMs));
      const rssMiB = (median(measured.map((p) => p.rssAfterBytes)) - bareRss) / 2 ** 20;
      const spawns = median(measured.map((p) => p.spawnsPerMessage));
      rows.push(
        `| ${contender.label} | ${size} | ${installed.needs} | ${sig(rssMiB)} | ${sig(cpuMs)} (${sig(median(measured.map((p) => p.childrenMs)))} in children) | ${sig(median(measured.map((p) => p.wallMs)))} | ${sig(spawns)} | ${sig((cpuMs * PINGS_PER_DAY) / 1000)} s, ${sig(spawns * PINGS_PER_DAY)} processes |`,
      );
      notes.push(`${contender.name}: ${contender.messages} messages per round`);
    }
    const markdown = [
      "| contender | installed (node_modules, npm install time) | needs to install | RSS added, MiB | CPU ms per message | wall ms per message | processes per message | per day at one ping per 30 s |",
      "|---|--:|---|--:|--:|--:|--:|--:|",
      ...rows,
      "",
      `RSS added is the RSS after loading the contender and sending one message, minus a bare node's (${sig(bareRss / 2 ** 20)} MiB), median of ${ROUNDS} fresh processes. CPU is the process's own (process.cpuUsage) plus its reaped children's (cutime+cstime from /proc/self/stat), median of ${ROUNDS} rounds (${notes.join("; ")}). Each systemd-notify run sends two datagrams (the message and sd_notify_barrier's BARRIER=1) and waits for the receiver to close the barrier's pipe, as PID 1 does.`,
    ].join("\n");
    return { name: "notify", title: "sd_notify: cost of one message to systemd", markdown };
  } finally {
    socket.close();
  }
}
