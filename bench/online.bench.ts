// Scenario: the agent online, against a throwaway Prosody on loopback. (1) Time from start to the first available
// presence an operator sees, for the agent and for a bare @xmpp/client login that sends one presence (the floor),
// both in this process and as child processes (node start-up included), interleaved round-robin. (2) Steady-state
// RSS of `node dist/cli.js run` with real sampling against a bare process holding one connection, side by side,
// and (3) what each library the agent loads costs in RSS on its own.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";
import { client, xml, type Client, type Element } from "@xmpp/client";
import { startProsody, type ThrowawayProsody } from "../test/servers/prosody/throwaway.js";
import { startAgent } from "../src/agent.js";
import { loadConfig } from "../src/config/load.js";
import { createLogger } from "../src/log.js";
import { connectPeer, isPresenceFrom, type Peer } from "../test/support/peer.js";
import { scriptedSampler } from "../test/support/scripted-sampler.js";
import { logSink } from "../test/support/log-sink.js";
import { BARE_CLIENT, CLI, procMemory, startNode, type ChildRun } from "./online-process.js";
import { PROBES, RUN_BUNDLE, RUN_BUNDLE_ENTRY } from "./online-module-probe.js";
import { onlineReport, type LoginContender, type ModuleRow, type RssTrace } from "./online-report.js";
import { scramHiCost, storedIterations } from "./online-scram.js";
import { fastScramInThisProcess } from "./queries-operators.js";
import { median } from "./stats.js";
import type { ScenarioResult } from "./run.js";

const ROUNDS = 7;
/** The steady-state window: RSS is read every second for this long after both are online. */
const WINDOW_S = 45;
const PROBE_RUNS = 3;

const log = (line: string) => process.stderr.write(`[online] ${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Accounts {
  prosody: ThrowawayProsody;
  device: string;
  floor: string;
  operator: Peer;
}
const DEVICE_PW = "device-bench-pw";
const FLOOR_PW = "floor-bench-pw";

/** Resolves with performance.now() when `operator` gets an available presence from `jid`. */
function presenceSeen(xmpp: Client, jid: string, type: string | undefined, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const match = isPresenceFrom(jid, type);
    const onStanza = (s: Element) => {
      if (!match(s)) return;
      const at = performance.now();
      cleanup();
      resolve(at);
    };
    const timer = setTimeout(() => (cleanup(), reject(new Error(`no ${type ?? "available"} presence from ${jid} within ${timeoutMs} ms`))), timeoutMs);
    const cleanup = () => (clearTimeout(timer), xmpp.removeListener("stanza", onStanza));
    xmpp.on("stanza", onStanza);
  });
}

/** One start: ms from `start()` to the operator seeing the presence; then stopped, and gone from the roster view. */
async function timeOnce(a: Accounts, jid: string, start: (t0: number) => Promise<() => Promise<void>>): Promise<number> {
  const seen = presenceSeen(a.operator.xmpp, jid, undefined, 20_000);
  const t0 = performance.now();
  const stop = await start(t0);
  try {
    return (await seen) - t0;
  } finally {
    const gone = presenceSeen(a.operator.xmpp, jid, "unavailable", 5000).catch(() => log(`${jid}: no unavailable after stop`));
    await stop();
    await gone;
    await sleep(100);
  }
}

const agentEnv = (a: Accounts, extra: Record<string, string> = {}) => ({
  XMPP_SERVICE: a.prosody.service,
  XMPP_JID: a.device,
  XMPP_PASSWORD: DEVICE_PW,
  AGENT_OPERATORS: a.operator.jid,
  AGENT_LOG_LEVEL: "warn",
  ...extra,
});
const floorEnv = (a: Accounts) => ({ XMPP_SERVICE: a.prosody.service, XMPP_JID: a.floor, XMPP_PASSWORD: FLOOR_PW });

/** When the in-process agent first asked its sampler, ms after startAgent() was called; one per start. */
const firstSampleMs: number[] = [];

function contenders(a: Accounts): { name: string; jid: string; start: (t0: number) => Promise<() => Promise<void>> }[] {
  return [
    {
      name: "agent in this process (startAgent, scripted sampler)",
      jid: a.device,
      async start(t0) {
        const config = loadConfig({ env: agentEnv(a, { AGENT_INTERVAL: "1" }) });
        const scripted = scriptedSampler().sampler;
        let first = true;
        const sampler = { sample: () => (first && firstSampleMs.push(performance.now() - t0), (first = false), scripted.sample()) };
        const agent = await startAgent({ config, password: DEVICE_PW, log: createLogger("warn", logSink().stream), version: "bench", sampler });
        return () => agent.stop("bench round over");
      },
    },
    {
      name: "floor: bare @xmpp/client in this process",
      jid: a.floor,
      async start() {
        const [username, domain] = a.floor.split("@");
        const xmpp = client({ service: a.prosody.service, domain, username, password: FLOOR_PW, resource: "bare" });
        xmpp.reconnect.stop();
        xmpp.on("error", () => undefined);
        xmpp.on("online", () => void xmpp.send(xml("presence")));
        await xmpp.start();
        return async () => void (await xmpp.stop().catch(() => undefined));
      },
    },
    {
      name: "agent process (`node dist/cli.js run`, real sampling)",
      jid: a.device,
      async start() {
        const child = startNode(CLI, ["run"], agentEnv(a, { AGENT_INTERVAL: "1" }));
        return () => child.stop();
      },
    },
    {
      name: "floor: bare @xmpp/client process (bench/online-bare-client.ts)",
      jid: a.floor,
      async start() {
        const child = startNode(BARE_CLIENT, [], floorEnv(a));
        return () => child.stop();
      },
    },
  ];
}

async function setUp(): Promise<Accounts> {
  const prosody = await startProsody();
  const device = await prosody.register("device", DEVICE_PW);
  const floor = await prosody.register("floor", FLOOR_PW);
  const operatorJid = await prosody.register("operator", "operator-pw");
  const operator = await connectPeer(prosody.service, operatorJid, "operator-pw", { acceptFrom: device });
  // The operator subscribes to the floor account once, as the agent's roster dance does for the device
  const floorPeer = await connectPeer(prosody.service, floor, FLOOR_PW, { acceptFrom: operatorJid });
  await operator.send(xml("presence", { to: floor, type: "subscribe" }));
  await operator.waitFor("the floor's approval", isPresenceFrom(floor, "subscribed"));
  const gone = presenceSeen(operator.xmpp, floor, "unavailable", 5000);
  await floorPeer.stop();
  await gone;
  return { prosody, device, floor, operator };
}

async function loginTimes(a: Accounts): Promise<{ rows: LoginContender[]; firstEverMs: number; firstSampleMs: number }> {
  const list = contenders(a);
  // The first login ever includes the roster set-up (subscribe, approve): measured apart, left out
  const firstEverMs = await timeOnce(a, a.device, list[0]!.start);
  log(`agent's first login (roster set up): ${firstEverMs.toFixed(0)} ms`);
  for (const c of list) await timeOnce(a, c.jid, c.start); // warm-up: the disk cache, Prosody's code paths
  firstSampleMs.length = 0;
  const times = list.map(() => [] as number[]);
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < list.length; i++) {
      const k = (round + i) % list.length; // rotated order each round
      times[k]!.push(await timeOnce(a, list[k]!.jid, list[k]!.start));
    }
    log(`login round ${round + 1}/${ROUNDS}: ${times.map((t) => t.at(-1)!.toFixed(0)).join(" / ")} ms`);
  }
  return { rows: list.map((c, k) => ({ name: c.name, ms: times[k]! })), firstEverMs, firstSampleMs: median(firstSampleMs) };
}

async function steadyRss(a: Accounts): Promise<RssTrace[]> {
  const agentSeen = presenceSeen(a.operator.xmpp, a.device, undefined, 20_000);
  const floorSeen = presenceSeen(a.operator.xmpp, a.floor, undefined, 20_000);
  const agent = startNode(CLI, ["run"], agentEnv(a, { AGENT_INTERVAL: "1" }));
  const floor = startNode(BARE_CLIENT, [], floorEnv(a));
  const children: [string, ChildRun][] = [
    ["agent (`node dist/cli.js run`, AGENT_INTERVAL=1, log level warn)", agent],
    ["floor: bare @xmpp/client process, one connection", floor],
  ];
  try {
    await Promise.all([agentSeen, floorSeen]);
    const traces: RssTrace[] = children.map(([name]) => ({ name, samples: [] }));
    for (let s = 1; s <= WINDOW_S; s++) {
      await sleep(1000);
      children.forEach(([, child], k) => traces[k]!.samples.push({ s, ...procMemory(child.pid) }));
    }
    log(`RSS after ${WINDOW_S} s: ${traces.map((t) => `${(t.samples.at(-1)!.rss / 1024).toFixed(1)} MiB`).join(" / ")}`);
    return traces;
  } finally {
    await Promise.all(children.map(([, c]) => c.stop()));
  }
}

const execFileAsync = promisify(execFile);

async function moduleRss(): Promise<ModuleRow[]> {
  const probe = fileURLToPath(new URL("./online-module-probe.js", import.meta.url));
  const bundler = fileURLToPath(new URL("../../tools/bundle.mjs", import.meta.url));
  await execFileAsync(process.execPath, [bundler, "--entry", RUN_BUNDLE_ENTRY, "--out", RUN_BUNDLE]);
  const rows: ModuleRow[] = [];
  for (const name of Object.keys(PROBES)) {
    const runs: number[] = [];
    for (let i = 0; i < PROBE_RUNS; i++) {
      const { stdout } = await execFileAsync(process.execPath, ["--expose-gc", probe, name], { timeout: 30_000 });
      runs.push((JSON.parse(stdout) as { rss: number }).rss);
    }
    rows.push({ name, rssKiB: median(runs) });
  }
  return rows;
}

export async function run(): Promise<ScenarioResult> {
  // The in-process floor logs in with sasl-scram-sha-1: with node's pbkdf2 for its Hi(), as the bare client process
  // does (src/xmpp/scram.ts), so the ratio measures the agent's work, not a WebCrypto loop
  fastScramInThisProcess();
  const a = await setUp();
  try {
    const login = await loginTimes(a);
    const scram = await scramHiCost(await storedIterations(a.prosody.dir, a.prosody.domain, "floor"));
    log(`SCRAM Hi(): sasl-scram-sha-1 ${scram.libraryMs.toFixed(0)} ms, pbkdf2 ${scram.pbkdf2Ms.toFixed(1)} ms, SHA-256 ${scram.sha256Ms.toFixed(1)} ms, SHA-512 ${scram.sha512Ms.toFixed(1)} ms`);
    const rss = await steadyRss(a);
    const modules = await moduleRss();
    return {
      name: "online",
      title: "Online: login time and resident memory",
      markdown: onlineReport({ login: login.rows, firstEverMs: login.firstEverMs, firstSampleMs: login.firstSampleMs, scram, rss, modules, method: { rounds: ROUNDS, windowS: WINDOW_S, probeRuns: PROBE_RUNS } }),
    };
  } finally {
    await a.operator.stop();
    await a.prosody.stop();
  }
}
