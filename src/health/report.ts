// The `status` command's output: a table for a person, or one JSON object of plain numbers for a script.
import type { HealthSample, PowerFlag } from "../sampling/sample.js";
import { checkMetrics, type Assessment, type Thresholds } from "./level.js";
import { formatUptime } from "./status-line.js";

const pct = (v: number | null) => (v === null ? "n/a" : `${v.toFixed(1)}%`);

export function formatBytes(bytes: number | null): string {
  if (bytes === null) return "n/a";
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

/** "2.00 2.16 1.35": two decimals each, as /proc/loadavg and uptime(1) print them, so the columns line up. */
export function loadAverages(s: Pick<HealthSample, "load1" | "load5" | "load15">): string {
  return s.load1 === null ? "n/a" : [s.load1, s.load5, s.load15].map((v) => (v === null ? "n/a" : v.toFixed(2))).join(" ");
}

const rate = (v: number | null) => (v === null ? "n/a" : `${formatBytes(v)}/s`);
const flag = (f: PowerFlag | null) => (f === null ? "n/a" : `${f.value ? "yes" : "no"} (${f.source})`);

export function statusTable(sample: HealthSample, assessment: Assessment, t: Thresholds): string {
  const levels = new Map(checkMetrics(sample, t).map((c) => [c.metric, c.level]));
  const rows: [string, string, string][] = [
    ["CPU", pct(sample.cpuPercent), levels.get("cpu") ?? ""],
    [
      "load 1/5/15",
      sample.load1 === null ? "n/a" : `${loadAverages(sample)}${sample.loadPerCore === null ? "" : ` (${sample.loadPerCore.toFixed(2)}/core)`}`,
      levels.get("load") ?? "",
    ],
    ["memory", `${pct(sample.memoryPercent)} of ${formatBytes(sample.memoryTotalBytes)}`, levels.get("memory") ?? ""],
    ["swap", sample.swapTotalBytes === 0 ? "none" : `${pct(sample.swapPercent)} of ${formatBytes(sample.swapTotalBytes)}`, ""],
    [
      "temperature",
      sample.temperature ? `${sample.temperature.celsius}°C (${sample.temperature.source})` : "n/a",
      levels.get("temperature") ?? "",
    ],
    ...sample.disks.map((d): [string, string, string] => [
      `disk ${d.mount}`,
      d.mounted === false ? "not mounted" : `${pct(d.usedPercent)} of ${formatBytes(d.totalBytes)}`,
      levels.get(`disk ${d.mount}`) ?? "",
    ]),
    ...sample.network.map((n): [string, string, string] => [`net ${n.iface}`, `rx ${rate(n.rxBytesPerSec)} tx ${rate(n.txBytesPerSec)}`, ""]),
    ["uptime", sample.uptimeSeconds === null ? "n/a" : formatUptime(sample.uptimeSeconds), ""],
    ["under-voltage now", flag(sample.throttling.underVoltageNow), levels.get("under-voltage") ?? ""],
    ["under-voltage since boot", flag(sample.throttling.underVoltageSinceBoot), ""],
    ["throttled now", flag(sample.throttling.throttledNow), levels.get("throttled") ?? ""],
    ["throttled since boot", flag(sample.throttling.throttledSinceBoot), ""],
  ];
  const width = [0, 1].map((i) => Math.max(...rows.map((r) => r[i]!.length), i === 0 ? 6 : 5));
  const line = (r: string[]) => `${r[0]!.padEnd(width[0]!)}  ${r[1]!.padEnd(width[1]!)}  ${r[2]}`.trimEnd();
  const overall = assessment.level === "ok" ? "ok" : `${assessment.level}: ${assessment.reasons.join(", ")}`;
  return [line(["metric", "value", "level"]), ...rows.map(line), "", `overall: ${overall}`].join("\n");
}

/** `status --json`: the sample as numbers (null where unreadable) plus level and reasons. */
export function statusJson(sample: HealthSample, assessment: Assessment): string {
  return JSON.stringify({ ...sample, level: assessment.level, reasons: assessment.reasons }, null, 2);
}
