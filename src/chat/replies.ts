// What the device says back to each chat command. Pure: everything it needs is in the context.
import type { HealthSnapshot } from "../health/monitor.js";
import { osText, type DeviceFacts } from "../facts.js";
import type { HealthSample, PowerFlag } from "../sampling/sample.js";
import { formatBytes, loadAverages } from "../health/report.js";
import { formatUptime, metricsText } from "../health/status-line.js";
import { clockTime, silenceNote, type Silence } from "../maintenance/maintenance-mode.js";
import type { ChatCommand } from "./parse.js";
import type { CheckResult } from "../checks/result.js";
import type { CheckSpec } from "../checks/spec.js";
import { checksReply } from "../checks/report.js";

export interface ReplyContext {
  health: HealthSnapshot;
  facts: DeviceFacts | null;
  version: string;
  silence: Silence | null;
  /** The owner's checks as configured and their latest results. */
  checks?: { specs: CheckSpec[]; results: CheckResult[] };
  now: number;
}

export const HELP_TEXT = [
  "Commands (case does not matter):",
  "status - level, reasons and every metric",
  "cpu, mem, disk, temp, net, uptime - one metric",
  "version - agent and OS version",
  "checks - the owner's checks (services, ports, plugins): state, text, age",
  "silence MINUTES [reason] - maintenance: hold the presence, say so in the status",
  "unsilence - end maintenance",
  "ack [ID] - acknowledge the open alert: no more reminders",
  "alerts [off|warn|crit] - which alerts you get",
  "test alert - send me one",
  "thresholds - the warn and crit limits",
  "sample - sample now and send the presence again",
  "help - this list",
].join("\n");

const pct = (v: number | null) => (v === null ? "n/a" : `${Math.round(v)}%`);
const rate = (v: number | null) => (v === null ? "n/a" : `${formatBytes(v)}/s`);
const flag = (f: PowerFlag | null) => (f === null ? "n/a" : f.value ? "YES" : "no");

function cpu(s: HealthSample) {
  const load = s.load1 === null ? "load n/a" : `load ${loadAverages(s)}${s.loadPerCore === null ? "" : ` (${s.loadPerCore.toFixed(2)}/core)`}`;
  return `CPU ${pct(s.cpuPercent)}${s.cpuCount ? ` of ${s.cpuCount} cores` : ""}, ${load}`;
}
function mem(s: HealthSample) {
  const swap = s.swapTotalBytes ? `swap ${pct(s.swapPercent)} of ${formatBytes(s.swapTotalBytes)}` : "no swap";
  return `RAM ${pct(s.memoryPercent)} of ${formatBytes(s.memoryTotalBytes)} (${formatBytes(s.memoryAvailableBytes)} available), ${swap}`;
}
function disk(s: HealthSample) {
  return (
    s.disks.map((d) => `disk ${d.mount} ${d.mounted === false ? "not mounted" : `${pct(d.usedPercent)} of ${formatBytes(d.totalBytes)}`}`).join("\n") ||
    "no disks watched"
  );
}
function temp(s: HealthSample) {
  const t = s.temperature ? `${s.temperature.celsius}°C (${s.temperature.source})` : "no temperature sensor on this device";
  const p = s.throttling;
  if (p.underVoltageNow === null && p.underVoltageSinceBoot === null) return t;
  return `${t}\nunder-voltage now ${flag(p.underVoltageNow)}, since boot ${flag(p.underVoltageSinceBoot)}; throttled now ${flag(p.throttledNow)}, since boot ${flag(p.throttledSinceBoot)}`;
}
function net(s: HealthSample) {
  return s.network.map((n) => `net ${n.iface} rx ${rate(n.rxBytesPerSec)} tx ${rate(n.txBytesPerSec)}`).join("\n") || "no network interfaces besides lo";
}
function uptime(s: HealthSample, now: number) {
  if (s.uptimeSeconds === null) return "uptime n/a";
  const since = new Date(now - s.uptimeSeconds * 1000).toISOString().slice(0, 16).replace("T", " ");
  return `up ${formatUptime(s.uptimeSeconds)} (since ${since} UTC)`;
}

export function versionText(version: string, facts: DeviceFacts | null): string {
  return `xmpp-device-agent ${version} on ${osText(facts)}${facts?.model ? `, ${facts.model}` : ""}`;
}

/** "warn: CPU 90% ≥ 85", or, while the level waits out its hysteresis on older reasons, when they were measured
 * and what the numbers are now: "warn since 12:10 UTC (CPU 85% ≥ 85); now CPU 63% RAM 40% disk 55%". */
function statusHead({ health: { state, sample }, silence, now }: ReplyContext): string {
  const head = [state.level, ...(silence ? [silenceNote(silence, now)] : [])].join(", ");
  if (!state.reasons.length || state.level === "ok") return head;
  const held = sample !== null && state.measuredAt !== undefined && state.measuredAt !== sample.takenAt;
  if (!held) return `${head}: ${state.reasons.join(", ")}`;
  return `${head} since ${clockTime(state.measuredAt!, now)} (${state.reasons.join(", ")}); now ${metricsText(sample, false)}`;
}

export function replyTo(command: ChatCommand, ctx: ReplyContext): string {
  const s = ctx.health.sample;
  const noSample = "no health sample yet (or it failed): try again in a few seconds";
  switch (command.name) {
    case "help":
      return HELP_TEXT;
    case "version":
      return versionText(ctx.version, ctx.facts);
    case "unknown":
      return `unknown command "${command.word}": send help for the list`;
    case "invalid":
      return command.message;
    case "silence":
    case "unsilence":
    case "ack":
    case "alerts":
    case "test alert":
    case "thresholds":
    case "sample":
      return ""; // answered by the handler, which changes state or asks others
    case "checks":
      return checksReply(ctx.checks?.specs ?? [], ctx.checks?.results ?? [], ctx.now);
    case "status": {
      const lines = [statusHead(ctx)];
      // The checks' counts; `checks` has each one
      if (ctx.checks?.specs.length) lines.push(`${checksReply(ctx.checks.specs, ctx.checks.results, ctx.now).split("\n")[0]} (send checks for each)`);
      if (s) lines.push(cpu(s), mem(s), disk(s), temp(s), net(s), uptime(s, ctx.now));
      return lines.join("\n");
    }
  }
  if (!s) return noSample;
  switch (command.name) {
    case "cpu":
      return cpu(s);
    case "mem":
      return mem(s);
    case "disk":
      return disk(s);
    case "temp":
      return temp(s);
    case "net":
      return net(s);
    case "uptime":
      return uptime(s, ctx.now);
  }
}
