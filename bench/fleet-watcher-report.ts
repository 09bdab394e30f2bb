// The watcher's part of the fleet benchmark's section (fleet-report.ts): its CPU and RSS per phase, its pings and
// how evenly they spread, what each operator read from it. Pure: figures in, markdown out.
import type { ChatMessage } from "./fleet-operator.js";
import type { PingRound, WatcherLog } from "./fleet-watcher.js";
import { sig } from "./stats.js";

export interface WatcherPhase {
  name: string;
  /** performance.now() at the phase's start and end: which pings, notes and messages were its own. */
  startedAt: number;
  endedAt: number;
  cpuSeconds: number;
  rssBytes: number;
  peakBytes: number;
  /** The machine's 1-minute load average at the phase's end (2 cores, shared). */
  load: number;
}

export interface WatcherFigures {
  jid: string;
  devices: number;
  pingSeconds: number;
  digestSeconds: number;
  /** After its login, before any device: the watcher with nobody to watch yet. */
  idle: { rssBytes: number };
  phases: WatcherPhase[];
  log: WatcherLog;
  /** Every chat message each of its operators got (from anyone), by operator. */
  messages: Record<string, ChatMessage[]>;
}

const MiB = 2 ** 20;
const mib = (bytes: number) => `${sig(bytes / MiB)} MiB`;

/** Each tick of a round with its estimated time: the round is logged at the tick after its last one. */
function ticks(round: PingRound): { at: number; sent: number }[] {
  return round.perTick.map((sent, i) => ({ at: round.at - (round.perTick.length - i) * 1000, sent }));
}

export function spread(perTick: number[]): { mean: number; min: number; max: number; stddev: number } {
  const mean = perTick.reduce((a, b) => a + b, 0) / perTick.length;
  const variance = perTick.reduce((a, b) => a + (b - mean) ** 2, 0) / perTick.length;
  return { mean, min: Math.min(...perTick), max: Math.max(...perTick), stddev: Math.sqrt(variance) };
}

const within = (at: number, p: WatcherPhase) => at >= p.startedAt && at < p.endedAt;

function firstLines(messages: ChatMessage[]): string {
  return messages.map((m) => `"${m.body.split("\n")[0]!.slice(0, 90)}"${m.body.includes("\n") ? ` (+${m.body.split("\n").length - 1} lines)` : ""}`).join("; ");
}

export function watcherReport(w: WatcherFigures): string[] {
  const operators = Object.keys(w.messages);
  const fromWatcher = (operator: string, p: WatcherPhase) => w.messages[operator]!.filter((m) => m.from === w.jid && within(m.at, p));
  const rows = w.phases.map((p) => {
    const sent = w.log.rounds.flatMap(ticks).filter((t) => within(t.at, p)).reduce((a, t) => a + t.sent, 0);
    const rounds = w.log.rounds.filter((r) => within(r.at, p));
    const answered = rounds.reduce((a, r) => a + r.answered, 0);
    const lost = rounds.reduce((a, r) => a + r.lost, 0);
    const news = w.log.news.filter((n) => within(n.at, p));
    const kinds = new Map<string, number>();
    for (const n of news) kinds.set(n.kind === "level" ? `${n.level}` : n.kind, (kinds.get(n.kind === "level" ? `${n.level}` : n.kind) ?? 0) + 1);
    const notes = news.length ? `${news.length} (${[...kinds].map(([k, c]) => `${c} ${k}`).join(", ")})` : "0";
    const seconds = (p.endedAt - p.startedAt) / 1000;
    const told = operators.map((o) => fromWatcher(o, p).length).join(" / ");
    return `| ${p.name} | ${sig(seconds)} s | ${sig(p.cpuSeconds)} s | ${sig((p.cpuSeconds / seconds) * 100)}% | ${mib(p.rssBytes)} (${mib(p.peakBytes)}) | ${sent} | ${answered} / ${lost} | ${notes} | ${told} | ${p.load.toFixed(2)} |`;
  });
  const steady = w.phases.find((p) => p.name === "steady state");
  const steadyRounds = steady ? w.log.rounds.filter((r) => ticks(r)[0]!.at >= steady.startedAt && r.at <= steady.endedAt) : [];
  const even = w.devices / w.pingSeconds;
  const spreadLine = steadyRounds.length
    ? (() => {
        const all = spread(steadyRounds.flatMap((r) => r.perTick));
        const worst = steadyRounds.map((r) => spread(r.perTick)).sort((a, b) => b.stddev - a.stddev)[0]!;
        return `Pings spread over the interval in the steady state: ${steadyRounds.length} whole rounds of ${w.pingSeconds} one-second ticks, ${sig(all.mean)} pings a tick on average (an even spread: ${sig(even)}), min ${all.min}, max ${all.max}, standard deviation ${sig(all.stddev)} (the most uneven round: min ${worst.min}, max ${worst.max}, stddev ${sig(worst.stddev)}).`;
      })()
    : `Pings spread: no whole ping round inside the steady state.`;
  const tellings = (names: string[]) => {
    const phases = w.phases.filter((p) => names.includes(p.name));
    return operators.map((o) => {
      const got = phases.flatMap((p) => fromWatcher(o, p));
      return `- ${o.split("@")[0]}: ${got.length} message${got.length === 1 ? "" : "s"}${got.length ? `: ${firstLines(got)}` : ""}`;
    });
  };
  return [
    `The watcher: \`node --jitless --no-expose-wasm dist/cli.js watch\`, its own process and account, the defaults (watch.pingSeconds`,
    `${w.pingSeconds}, watch.digestSeconds ${w.digestSeconds}, alerts.maxPerMinute 6), watch.devices all ${w.devices}, log level debug for its`,
    `"ping round" lines; ${operators.length} operators (${operators.map((o) => o.split("@")[0]).join(", ")}: the first is also every device's). With it, every device`,
    `lists the watcher among its operators and keeps \`alerts.level: off\` (docs/fleet.md's setup for a thousand).`,
    `Idle (logged in, no device online yet): ${mib(w.idle.rssBytes)} RSS.`,
    ``,
    `| phase | wall | watcher CPU | of one core | RSS after (peak) | pings sent | answered / lost (rounds ended) | fleet notes | messages to ${operators.map((o) => o.split("@")[0]).join(" / ")} | load average after |`,
    `|---|---|---|---|---|---|---|---|---|---|`,
    ...rows,
    ``,
    spreadLine,
    ``,
    `What each operator read from the watcher in the whole spike (spike to crit and back to calm; target: 5 at most):`,
    ``,
    ...tellings(["spike to crit", "back to calm"]),
    ``,
    `And while Prosody restarted (every device's session and the watcher's own dropped at once):`,
    ``,
    ...tellings(["Prosody restarted"]),
    ``,
    `The watcher's warnings and errors: ${w.log.warnings.length}${w.log.warnings.length ? ` (${[...new Set(w.log.warnings.map((x) => x.msg))].slice(0, 5).join("; ")})` : ""}.`,
  ];
}
