// Thresholds -> a health level with the reasons for it. Pure: (sample, thresholds) in, assessment out.
import type { HealthSample } from "../sampling/sample.js";
import type { AgentConfig } from "../config/load.js";

export type Level = "ok" | "warn" | "crit" | "unknown";
export type Thresholds = AgentConfig["thresholds"];

export interface Assessment {
  level: Level;
  /** Worst first, e.g. ["temp 78°C ≥ 75", "disk / 93% ≥ 85"]. */
  reasons: string[];
}

/** Order of badness; "unknown" (we cannot tell) is treated as the worst so it is never hidden. */
export const SEVERITY: Record<Level, number> = { ok: 0, warn: 1, crit: 2, unknown: 3 };

const round = (n: number) => Math.round(n);

/** One metric held against its thresholds: "n/a" when this machine cannot read it. */
export interface MetricCheck {
  metric: string;
  level: Level | "n/a";
  reason: string | null;
}

export function checkMetrics(sample: HealthSample, t: Thresholds): MetricCheck[] {
  const checks: MetricCheck[] = [];
  const check = (
    metric: string,
    value: number | null,
    { warn, crit }: { warn: number; crit: number },
    text: (v: number, limit: number) => string,
  ) => {
    if (value === null) checks.push({ metric, level: "n/a", reason: null });
    else if (value >= crit) checks.push({ metric, level: "crit", reason: text(value, crit) });
    else if (value >= warn) checks.push({ metric, level: "warn", reason: text(value, warn) });
    else checks.push({ metric, level: "ok", reason: null });
  };
  check("temperature", sample.temperature?.celsius ?? null, t.temperature, (v, l) => `temp ${round(v)}°C ≥ ${l}`);
  check("cpu", sample.cpuPercent, t.cpu, (v, l) => `CPU ${round(v)}% ≥ ${l}`);
  check("memory", sample.memoryPercent, t.memory, (v, l) => `RAM ${round(v)}% ≥ ${l}`);
  for (const disk of sample.disks) {
    if (disk.mounted === false) {
      checks.push({ metric: `disk ${disk.mount}`, level: "warn", reason: `disk ${disk.mount} not mounted` });
      continue;
    }
    check(`disk ${disk.mount}`, disk.usedPercent, t.disk, (v, l) => `disk ${disk.mount} ${round(v)}% ≥ ${l}`);
  }
  check("load", sample.loadPerCore, t.load, (v, l) => `load ${v.toFixed(1)}/core ≥ ${l}`);
  const power = (metric: string, flag: { value: boolean } | null, reason: string) =>
    checks.push({
      metric,
      level: flag === null ? "n/a" : flag.value && t.power !== "ignore" ? t.power : "ok",
      reason: flag?.value && t.power !== "ignore" ? reason : null,
    });
  power("under-voltage", sample.throttling.underVoltageNow, "under-voltage");
  power("throttled", sample.throttling.throttledNow, "throttled");
  return checks;
}

/** `checks`: the owner's own checks' findings (checks/result.ts), reasons beside the metrics'. */
export function assessHealth(sample: HealthSample | null, t: Thresholds, checks: MetricCheck[] = []): Assessment {
  // /proc unreadable or the sample threw: we cannot say the device is fine
  if (sample === null || (sample.memoryPercent === null && sample.load1 === null)) {
    return { level: "unknown", reasons: ["health unreadable"] };
  }
  const found = [...checks, ...checkMetrics(sample, t)]
    .filter((c): c is MetricCheck & { level: Level; reason: string } => c.reason !== null && c.level !== "n/a")
    .sort((a, b) => SEVERITY[b.level] - SEVERITY[a.level]);
  return { level: found[0]?.level ?? "ok", reasons: found.map((f) => f.reason) };
}
