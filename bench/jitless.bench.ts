// Scenario: the agent process with V8's JIT (`node dist/cli.js run`) against the same agent without it
// (`node --jitless --no-expose-wasm dist/cli.js run`, what the unit runs, so that MemoryDenyWriteExecute=yes can
// hold), side by side against one throwaway Prosody on loopback:
// (1) start to the first presence an operator sees, rounds interleaved;
// (2) both running at once with real sampling every 0.5 s for --seconds (default 180: 360 samples, an hour's
//     worth at the default 10 s interval): CPU per sample and RSS;
// (3) answer latency: chat `status`/`cpu` and XEP-0092 version IQ round trips, one at a time, alternating.
import { startProsody } from "../test/servers/prosody/throwaway.js";
import { connectPeer, isPresenceFrom, type Peer } from "../test/support/peer.js";
import { CLI, procMemory, startNode, type ChildRun } from "./online-process.js";
import { connectOperator, fastScramInThisProcess, inBatches, type Operator } from "./queries-operators.js";
import { CHAT_RATE } from "../src/chat/handler.js";
import { jitlessReport, type Engine } from "./jitless-report.js";
import { benchOption } from "./options.js";
import { processCpu } from "./process-cpu.js";
import type { ScenarioResult } from "./run.js";

const ROUNDS = 7;
const INTERVAL_S = 0.5;
const WARMUP_QUERIES = 50;

const log = (line: string) => process.stderr.write(`[jitless] ${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Contender {
  engine: Engine;
  device: string;
  password: string;
  /** Sees the device's presence; accepts its subscription. */
  watcher: Peer;
}

export async function run(): Promise<ScenarioResult> {
  const seconds = benchOption("seconds", 180);
  const queries = benchOption("queries", 500);
  fastScramInThisProcess();
  const prosody = await startProsody();
  const peers: (Peer | Operator)[] = [];
  const children: ChildRun[] = [];
  try {
    // The agent answers CHAT_RATE.burst lines per operator at once, then one per 2 s: enough askers that each
    // stays within its burst
    const names = Array.from({ length: Math.ceil((queries + WARMUP_QUERIES) / (CHAT_RATE.burst - 1)) }, (_, i) => `asker${i}`);
    const askerJids = await inBatches(names, 8, (n) => prosody.register(n, `${n}-pw`));
    const askers = await inBatches(askerJids, 20, (jid) => connectOperator(prosody.service, jid, `${jid.split("@")[0]}-pw`));
    peers.push(...askers);
    const contenders: Contender[] = [];
    for (const [name, flags] of [["jit", []], ["jitless", ["--jitless", "--no-expose-wasm"]]] as const) {
      const device = await prosody.register(`device-${name}`, `device-${name}-pw`);
      const watcherJid = await prosody.register(`watcher-${name}`, `watcher-${name}-pw`);
      const watcher = await connectPeer(prosody.service, watcherJid, `watcher-${name}-pw`, { acceptFrom: device });
      peers.push(watcher);
      const label = `\`node ${[...flags, "dist/cli.js run"].join(" ")}\``;
      contenders.push({ engine: { name: label, flags: [...flags], startMs: [], cpuTicks: 0, samples: 0, ticksPerSecond: 100, rss: [], chatMs: [], versionMs: [] }, device, password: `device-${name}-pw`, watcher });
    }
    const env = (c: Contender) => ({
      XMPP_SERVICE: prosody.service, XMPP_JID: c.device, XMPP_PASSWORD: c.password, XMPP_RESOURCE: "agent",
      AGENT_OPERATORS: [c.watcher.jid, ...askerJids].join(","), AGENT_INTERVAL: String(INTERVAL_S), AGENT_LOG_LEVEL: "info",
    });
    const start = (c: Contender) => startNode(CLI, ["run"], env(c), c.engine.flags);

    // (1) Start to first presence. The first start of each sets up the subscription and is left out.
    for (let round = -1; round < ROUNDS; round++) {
      for (let i = 0; i < contenders.length; i++) {
        const c = contenders[(Math.abs(round) + i) % contenders.length]!;
        const since = c.watcher.received.length;
        const t0 = performance.now();
        const child = start(c);
        await c.watcher.waitFor(`${c.device}'s presence`, isPresenceFrom(c.device), 20_000, since);
        if (round >= 0) c.engine.startMs.push(performance.now() - t0);
        const gone = c.watcher.waitFor(`${c.device} unavailable`, isPresenceFrom(c.device, "unavailable"), 5000);
        await child.stop();
        await gone;
      }
      if (round >= 0) log(`start round ${round + 1}/${ROUNDS}: ${contenders.map((c) => c.engine.startMs.at(-1)!.toFixed(0)).join(" / ")} ms`);
    }

    // (2) Both at once, sampling: CPU and RSS over the window
    const running = contenders.map((c) => {
      const since = c.watcher.received.length;
      const child = start(c);
      children.push(child);
      return { c, child, online: c.watcher.waitFor(`${c.device}'s presence`, isPresenceFrom(c.device), 20_000, since) };
    });
    await Promise.all(running.map((r) => r.online));
    await sleep(5000); // start-up settles (the first sample, the roster) before the window opens
    const cpu = running.map((r) => processCpu(r.child.pid));
    const before = cpu.map((p) => p.now());
    for (let s = 1; s <= seconds; s++) {
      await sleep(1000);
      running.forEach((r) => r.c.engine.rss.push({ s, ...procMemory(r.child.pid) }));
      if (s % 60 === 0) log(`${s}/${seconds} s: RSS ${running.map((r) => `${(r.c.engine.rss.at(-1)!.rss / 1024).toFixed(1)}`).join(" / ")} MiB`);
    }
    running.forEach((r, k) => {
      const now = cpu[k]!.now();
      r.c.engine.cpuTicks = now.self + now.children - before[k]!.self - before[k]!.children;
      r.c.engine.samples = seconds / INTERVAL_S;
      r.c.engine.ticksPerSecond = cpu[k]!.ticksPerSecond;
    });

    // (3) Answer latency, one round trip at a time, alternating between the two agents and the two kinds
    for (let step = -WARMUP_QUERIES; step < queries; step++) {
      const asker = askers[(step + WARMUP_QUERIES) % askers.length]!;
      for (let i = 0; i < contenders.length; i++) {
        const c = contenders[(Math.abs(step) + i) % contenders.length]!;
        const to = `${c.device}/agent`;
        const chat = await asker.chat(to, Math.abs(step) % 2 ? "status" : "cpu");
        const version = await asker.version(to);
        if (step >= 0) c.engine.chatMs.push(chat), c.engine.versionMs.push(version);
      }
      if (step > 0 && step % 100 === 0) log(`${step}/${queries} queries`);
    }
    return {
      name: "jitless",
      title: "JIT-less: the agent without V8's optimizing compilers",
      markdown: jitlessReport(contenders.map((c) => c.engine), { rounds: ROUNDS, seconds, intervalS: INTERVAL_S, queries, warmup: WARMUP_QUERIES }),
    };
  } finally {
    await Promise.all(children.map((c) => c.stop()));
    await Promise.all(peers.map((p) => p.stop()));
    await prosody.stop();
  }
}
