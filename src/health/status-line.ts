// The one-line status a roster shows: reasons first when not ok, then CPU, RAM, disk, temperature, uptime.
// Phones show about 100 characters; longer lines drop uptime first, then fold reasons into "+N more".
// Gajim's tooltip shows only the first ~30 characters, and some clients show `<`, `>` and `&` escaped
// (Gajim: "&gt;="): the most telling words go first, and none of those three characters appear.
import type { HealthSample } from "../sampling/sample.js";
import type { Level } from "./level.js";

export const STATUS_LINE_MAX = 100;

const pct = (v: number | null | undefined) => (v === null || v === undefined ? "n/a" : `${Math.round(v)}%`);

export function formatUptime(seconds: number): string {
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  if (d > 0) return `${d}d${h}h`;
  if (h > 0) return `${h}h${m}m`;
  return `${m}m`;
}

export function metricsText(sample: HealthSample | null, withUptime: boolean): string {
  if (!sample) return "";
  const fullest = sample.disks.reduce<number | null>(
    (max, d) => (d.usedPercent !== null && (max === null || d.usedPercent > max) ? d.usedPercent : max),
    null,
  );
  const parts = [`CPU ${pct(sample.cpuPercent)}`, `RAM ${pct(sample.memoryPercent)}`, `disk ${pct(fullest)}`];
  if (sample.temperature) parts.push(`${Math.round(sample.temperature.celsius)}°C`);
  if (withUptime && sample.uptimeSeconds !== null) parts.push(`up ${formatUptime(sample.uptimeSeconds)}`);
  return parts.join(" ");
}

export interface StatusInput {
  level: Level;
  reasons: string[];
  sample: HealthSample | null;
  /** Extra words in front, e.g. "silenced until 14:30 UTC (firmware update)". */
  note?: string;
}

export function statusLine({ level, reasons, sample, note }: StatusInput, max = STATUS_LINE_MAX): string {
  const shown = level === "ok" ? [] : reasons;
  const build = (reasonList: string[], withUptime: boolean) => {
    const head = [note && phoneSafe(note), reasonList.join(", ")].filter(Boolean).join(": ");
    const metrics = metricsText(sample, withUptime);
    return [head, metrics].filter(Boolean).join(" | ");
  };
  const candidates = [
    build(shown, true),
    build(shown, false),
    ...(shown.length > 1 ? [build([shown[0]!, `+${shown.length - 1} more`], false)] : []),
  ];
  const fitting = candidates.find((c) => c.length <= max);
  if (fitting !== undefined) return fitting;
  const last = candidates[candidates.length - 1]!;
  return `${last.slice(0, max - 1)}…`;
}

/** An operator's own words (a silence reason) may hold what some clients show escaped. */
export function phoneSafe(text: string): string {
  return text.replace(/&/g, "+").replace(/</g, "‹").replace(/>/g, "›");
}
