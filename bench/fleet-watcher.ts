// The fleet benchmark's watcher: `xmpp-device-agent watch` as its unit runs it (`node --jitless --no-expose-wasm
// dist/cli.js watch`, the config from the environment), a process of its own so that its CPU and RSS are its own
// (/proc/<pid>). Its log (pino JSON on stdout; at debug for its "ping round" lines, src/watch/watcher.ts) says
// what it did: the pings per tick and their answers, the fleet news, the messages to operators.
import { existsSync } from "node:fs";
import { createInterface } from "node:readline";
import { CLI, procMemory, startNode, type ChildRun } from "./online-process.js";
import { processCpu } from "./process-cpu.js";

/** The unit's ExecStart flags (systemd/xmpp-device-agent-watch.service). */
const UNIT_FLAGS = ["--jitless", "--no-expose-wasm"];

/** One ping round (watch.pingSeconds ticks), logged at its end; `at` is performance.now() when the line came. */
export interface PingRound {
  at: number;
  sent: number;
  answered: number;
  lost: number;
  perTick: number[];
}

export interface WatcherLog {
  rounds: PingRound[];
  /** "fleet news": a note for the digest, its kind and level. */
  news: { at: number; kind: string; level: string | null }[];
  /** "telling an operator": one digest message sent, with the notes in it. */
  told: { at: number; operator: string; notes: number }[];
  /** Lines at warn and above, by message. */
  warnings: { at: number; msg: string }[];
}

export interface WatcherProcess {
  run: ChildRun;
  log: WatcherLog;
  /** utime + stime so far, in seconds. */
  cpuSeconds(): number;
  /** VmRSS and VmHWM (peak) in bytes; 0 once it is gone. */
  memory(): { rssBytes: number; peakBytes: number };
}

export interface WatcherSetup {
  service: string;
  jid: string;
  password: string;
  operators: string[];
  devices: string[];
}

export function startWatcher({ service, jid, password, operators, devices }: WatcherSetup): WatcherProcess {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: npm run build first (the watcher runs as the unit runs it)`);
  const env = {
    XMPP_SERVICE: service,
    XMPP_JID: jid,
    XMPP_PASSWORD: password,
    XMPP_RESOURCE: "watch",
    AGENT_OPERATORS: operators.join(","),
    WATCH_DEVICES: devices.join(","),
    AGENT_LOG_LEVEL: "debug",
  };
  const run = startNode(CLI, ["watch"], env, UNIT_FLAGS);
  const cpu = processCpu(run.pid);
  const log: WatcherLog = { rounds: [], news: [], told: [], warnings: [] };
  let lastCpu = 0;
  createInterface({ input: run.child.stdout! }).on("line", (line) => {
    let entry: Record<string, unknown>;
    try {
      entry = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return; // not pino's: node's own warnings, counted nowhere
    }
    const at = performance.now();
    const msg = String(entry.msg ?? "");
    if (msg === "ping round") log.rounds.push({ at, sent: Number(entry.sent), answered: Number(entry.answered), lost: Number(entry.lost), perTick: entry.perTick as number[] });
    else if (msg === "fleet news") log.news.push({ at, kind: String(entry.kind), level: (entry.level as string | null) ?? null });
    else if (msg === "telling an operator") log.told.push({ at, operator: String(entry.operator), notes: Number(entry.notes) });
    if (Number(entry.level) >= 40) log.warnings.push({ at, msg });
  });
  return {
    run,
    log,
    cpuSeconds() {
      try {
        const t = cpu.now();
        lastCpu = (t.self + t.children) / cpu.ticksPerSecond;
      } catch {
        // gone: its last reading stands
      }
      return lastCpu;
    },
    memory() {
      try {
        const m = procMemory(run.pid);
        return { rssBytes: m.rss * 1024, peakBytes: m.hwm * 1024 };
      } catch {
        return { rssBytes: 0, peakBytes: 0 };
      }
    },
  };
}
