// The markdown of bench/online.bench.ts: login times, steady-state RSS and the module breakdown, with the
// sentences computed from the same numbers so the text cannot disagree with the tables.
import { median, ratio, sig } from "./stats.js";
import type { ProcMemory } from "./online-process.js";
import type { ScramCost } from "./online-scram.js";

export interface LoginContender {
  name: string;
  ms: number[];
}
export interface RssTrace {
  name: string;
  samples: ({ s: number } & ProcMemory)[];
}
export interface ModuleRow {
  name: string;
  rssKiB: number;
}

const RSS_TARGET = 1.3;
const MiB = (kib: number) => sig(kib / 1024);

function summary(t: RssTrace) {
  const at10 = t.samples.find((x) => x.s === 10)!;
  const last = t.samples.slice(-5);
  const end = median(last.map((x) => x.rss));
  return { at10: at10.rss, end, growth: end - at10.rss, hwm: t.samples.at(-1)!.hwm, anon: median(last.map((x) => x.anon)), file: median(last.map((x) => x.file)) };
}

export interface OnlineResults {
  login: LoginContender[];
  /** The agent's first login ever, roster set-up included. */
  firstEverMs: number;
  /** When the in-process agent first called its sampler, after startAgent(). */
  firstSampleMs: number;
  scram: ScramCost;
  rss: RssTrace[];
  modules: ModuleRow[];
  method: { rounds: number; windowS: number; probeRuns: number };
}

export function onlineReport({ login, firstEverMs, firstSampleMs, scram, rss, modules, method }: OnlineResults): string {
  const med = login.map((c) => median(c.ms));
  const [agentIn, floorIn, agentProc, floorProc] = med as [number, number, number, number];
  const loginTable = [
    "| start to the operator seeing an available presence | median ms | range over rounds, ms | vs its floor |",
    "|---|--:|--:|--:|",
    ...login.map((c, k) => {
      const floor = k < 2 ? floorIn : floorProc;
      return `| ${c.name} | ${sig(med[k]!)} | ${sig(Math.min(...c.ms))}-${sig(Math.max(...c.ms))} | ${ratio(med[k]!, floor)} |`;
    }),
  ];

  const [agent, floor] = rss.map(summary) as [ReturnType<typeof summary>, ReturnType<typeof summary>];
  const rssRatio = agent.end / floor.end;
  const rssTable = [
    `| process | RSS at 10 s, MiB | RSS at ${method.windowS} s, MiB | growth 10 s to ${method.windowS} s, MiB | peak (VmHWM), MiB | anonymous (heap) at ${method.windowS} s, MiB | file-backed at ${method.windowS} s, MiB | vs floor |`,
    "|---|--:|--:|--:|--:|--:|--:|--:|",
    ...rss.map((t, k) => {
      const s = k === 0 ? agent : floor;
      return `| ${t.name} | ${MiB(s.at10)} | ${MiB(s.end)} | ${s.growth >= 0 ? "+" : ""}${MiB(s.growth)} | ${MiB(s.hwm)} | ${MiB(s.anon)} | ${MiB(s.file)} | ${ratio(s.end, floor.end)} |`;
    }),
  ];

  const bare = modules.find((m) => m.name === "bare node")!.rssKiB;
  const all = modules.at(-1)!;
  const libraries = modules.filter((m) => m !== all && m.name !== "bare node");
  const moduleTable = [
    "| loaded in a fresh node, then gc() | RSS, MiB | minus bare node, MiB |",
    "|---|--:|--:|",
    ...modules.map((m) => `| ${m.name} | ${MiB(m.rssKiB)} | ${MiB(m.rssKiB - bare)} |`),
  ];
  const byCost = [...libraries].sort((x, y) => y.rssKiB - x.rssKiB);
  const excessMiB = (agent.end - RSS_TARGET * floor.end) / 1024;
  const xmppShare = modules.find((m) => m.name === "@xmpp/client")!.rssKiB - bare;

  const met = rssRatio <= RSS_TARGET;
  return [
    ...loginTable,
    "",
    `In this run the agent's first presence reached the operator a median ${sig(agentIn)} ms after startAgent() was called, ${ratio(agentIn, floorIn)} the ${sig(floorIn)} ms of a bare login that sends one presence; ` +
      `as a process, node's start-up included, ${sig(agentProc)} ms against ${sig(floorProc)} ms (${ratio(agentProc, floorProc)}). ` +
      `The in-process agent first called its sampler a median ${sig(firstSampleMs)} ms after startAgent() (src/health/monitor.ts gives CPU % a 250 ms window; the login runs meanwhile). ` +
      "After login the agent fetches its roster before its presence; the floor does not. " +
      `Both log in with SCRAM-SHA-1 and node's pbkdf2 for Hi() (the agent with its own SCRAM, src/xmpp/scram-mechanism.ts; the bare client with sasl-scram-sha-1 and src/xmpp/scram.ts's pbkdf2): sasl-scram-sha-1's own Hi(), one awaited WebCrypto HMAC per iteration, took ${sig(scram.libraryMs)} ms over Prosody's ${scram.iterations} iterations here, ` +
      `node's pbkdf2 ${sig(scram.pbkdf2Ms)} ms for the same bytes; for SCRAM-SHA-256 and -512, which the agent prefers where a server offers them, pbkdf2 took ${sig(scram.sha256Ms)} ms and ${sig(scram.sha512Ms)} ms at the same count. A Pi's slower cores stretch all of them. ` +
      `The agent's very first login, which also sets up the operator's subscription, took ${sig(firstEverMs)} ms and is left out of the medians.`,
    "",
    ...rssTable,
    "",
    `Target: agent <= ${RSS_TARGET}x the bare connection's RSS: ${met ? "met" : "NOT met"} (${sig(rssRatio)}x${met ? "" : `, ${sig(excessMiB)} MiB over the target`}). ` +
      `Over the ${method.windowS} s window the agent's RSS moved ${sig(agent.growth / 1024)} MiB and the bare connection's ${sig(floor.growth / 1024)} MiB; ` +
      "a window this short shows start-up settling, not whether memory leaks over a day. Both processes share the node binary's file-backed pages with every other node process.",
    "",
    "What the agent loads, each in a fresh node process:",
    "",
    ...moduleTable,
    "",
    `Loading everything \`run\` imports, bundled into one file as dist/cli.js holds it, costs ${sig((all.rssKiB - bare) / 1024)} MiB over bare node; @xmpp/client alone, loaded from node_modules as the floor loads it, costs ${sig(xmppShare / 1024)} MiB. ` +
      "The library rows are each loaded from node_modules, module by module: they show what each would cost unbundled. Of the libraries only the agent loads, " +
      byCost.filter((m) => m.name !== "@xmpp/client").map((m) => `${m.name} costs ${sig((m.rssKiB - bare) / 1024)} MiB`).join(", ") +
      ". The libraries share some of node's own start-up cost, so their rows add up to more than loading them together.",
    "",
    "How it was measured:",
    "",
    `- Login: the four contenders start ${method.rounds} times each, round-robin, in a rotated order each round, after one warm-up start each; each start is timed from the call (or the spawn) to the operator's client, in this process, receiving the available presence, and stopped (the operator sees it unavailable) before the next. The operator is subscribed to both accounts, so the server forwards the initial presence at once.`,
    "- The in-process agent is `startAgent` with the scripted sampler of the tests; the process is `node dist/cli.js run` with config in the environment (AGENT_INTERVAL=1, AGENT_LOG_LEVEL=warn), so it also reads /proc, and its one-off facts from /etc/os-release and the device tree (src/facts.ts), at start.",
    `- RSS: both processes run side by side; VmRSS, RssAnon, RssFile and VmHWM from /proc/<pid>/status every second for ${method.windowS} s after both presences arrived; "at ${method.windowS} s" is the median of the last 5 readings.`,
    `- Module breakdown: \`bench/online-module-probe.ts\`, one fresh \`node --expose-gc\` per row, ${method.probeRuns} runs each, median.`,
  ].join("\n");
}
