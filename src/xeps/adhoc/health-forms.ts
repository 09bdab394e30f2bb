// The result forms of `status` and `thresholds`: every metric of the current health, and the limits in
// force. Pure. Numbers read as in the chat `status` table (health/report.ts).
import type { HealthSnapshot } from "../../health/monitor.js";
import type { Thresholds } from "../../health/level.js";
import type { AgentConfig } from "../../config/load.js";
import { formatBytes, loadAverages } from "../../health/report.js";
import { formatUptime } from "../../health/status-line.js";
import { silenceNote, type Silence } from "../../maintenance/maintenance-mode.js";
import type { PowerFlag } from "../../sampling/sample.js";
import { textField, type DataForm, type FormField } from "../forms.js";
import type { CheckResult } from "../../checks/result.js";
import { formatAge } from "../../checks/probes/age.js";

// report.ts keeps these three private; same output
const pct = (v: number | null) => (v === null ? "n/a" : `${v.toFixed(1)}%`);
const rate = (v: number | null) => (v === null ? "n/a" : `${formatBytes(v)}/s`);
const flag = (f: PowerFlag | null) => (f === null ? "n/a" : `${f.value ? "yes" : "no"} (${f.source})`);

export function statusForm({ state, sample }: HealthSnapshot, silence: Silence | null, now: number, checks: CheckResult[] = []): DataForm {
  const head: FormField[] = [
    textField("level", "Level", state.level),
    { var: "reasons", type: "text-multi", label: "Reasons", values: state.reasons.length ? state.reasons : ["none"] },
    ...(silence ? [textField("silenced", "Maintenance", silenceNote(silence, now))] : []),
  ];
  if (!sample) return { type: "result", title: "Health", instructions: ["No health sample yet (or it failed): try again in a few seconds."], fields: head };
  const t = sample.throttling;
  return {
    type: "result",
    title: "Health",
    fields: [
      ...head,
      textField("cpu", "CPU", `${pct(sample.cpuPercent)}${sample.cpuCount ? ` of ${sample.cpuCount} cores` : ""}`),
      textField("load", "Load 1/5/15", loadAverages(sample)),
      textField("load-per-core", "Load per core", sample.loadPerCore === null ? "n/a" : sample.loadPerCore.toFixed(2)),
      textField("memory", "Memory", `${pct(sample.memoryPercent)} of ${formatBytes(sample.memoryTotalBytes)}`),
      textField("swap", "Swap", sample.swapTotalBytes === 0 ? "none" : `${pct(sample.swapPercent)} of ${formatBytes(sample.swapTotalBytes)}`),
      textField("temperature", "Temperature", sample.temperature ? `${sample.temperature.celsius}°C (${sample.temperature.source})` : "n/a"),
      ...sample.disks.map((d) => textField(`disk:${d.mount}`, `Disk ${d.mount}`, `${pct(d.usedPercent)} of ${formatBytes(d.totalBytes)}`)),
      ...sample.network.map((n) => textField(`net:${n.iface}`, `Network ${n.iface}`, `rx ${rate(n.rxBytesPerSec)} tx ${rate(n.txBytesPerSec)}`)),
      textField("uptime", "Uptime", sample.uptimeSeconds === null ? "n/a" : formatUptime(sample.uptimeSeconds)),
      textField("under-voltage-now", "Under-voltage now", flag(t.underVoltageNow)),
      textField("under-voltage-since-boot", "Under-voltage since boot", flag(t.underVoltageSinceBoot)),
      textField("throttled-now", "Throttled now", flag(t.throttledNow)),
      textField("throttled-since-boot", "Throttled since boot", flag(t.throttledSinceBoot)),
      textField("sampled-at", "Sampled at (UTC)", new Date(sample.takenAt).toISOString()),
      ...checks.map((c) => textField(`check:${c.name}`, `Check ${c.name}`, `${c.state}: ${c.text} (${formatAge(Math.max(0, (now - c.at) / 1000))} ago)`)),
    ],
  };
}

/** The limits as configured: plain numbers, units in the labels, so they read like the config file. */
export function thresholdsForm(t: Thresholds, p: AgentConfig["presence"]): DataForm {
  const pair = (name: keyof Omit<Thresholds, "power">, label: string) => [
    textField(`${name}-warn`, `${label} warn`, String(t[name].warn)),
    textField(`${name}-crit`, `${label} crit`, String(t[name].crit)),
  ];
  return {
    type: "result",
    title: "Thresholds",
    fields: [
      ...pair("cpu", "CPU %"),
      ...pair("memory", "Memory %"),
      ...pair("disk", "Disk %"),
      ...pair("temperature", "Temperature °C"),
      ...pair("load", "Load per core"),
      textField("power", "Pi under-voltage/throttling level", t.power),
      textField("raise-after", "Samples before raising a level", String(p.raiseAfter)),
      textField("clear-after", "Samples before clearing a level", String(p.clearAfter)),
      textField("min-interval-seconds", "Seconds between presences, at least", String(p.minIntervalSeconds)),
    ],
  };
}
