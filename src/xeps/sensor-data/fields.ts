// A health sample as XEP-0323 fields: names, units, value types and field types. Pure.
// https://xmpp.org/extensions/xep-0323.html#fieldvaluetypes (numeric, boolean) and #fieldtypes
// Only numeric and boolean: they are in every version of the XEP (0.3 renamed timeSpan, added int/long)
// and they are the value types slixmpp 1.8 can read back.
import type { HealthSample, PowerFlag, Throttling } from "../../sampling/sample.js";
import type { CheckResult } from "../../checks/result.js";

/** The field types this device reports; requests may ask for others (peak, historical*, ...). */
export type FieldType = "momentary" | "status";

export interface SensorField {
  name: string;
  kind: "numeric" | "boolean";
  /** As written on the wire. Numeric values keep a fixed number of decimals: XEP-0323 reads them as precision. */
  value: string;
  /** Numeric only; "" for a plain number (load), which the schema allows. */
  unit?: string;
  types: readonly FieldType[];
}

const MOMENTARY: readonly FieldType[] = ["momentary"];
// Uptime and the Pi's power flags are read at readout time and describe the device's state: the XEP's
// "Runtime" example is a status value. Momentary too, so a plain momentary readout includes them.
const MOMENTARY_STATUS: readonly FieldType[] = ["momentary", "status"];

function numeric(name: string, value: number | null, unit: string, decimals: number, types = MOMENTARY): SensorField[] {
  // Unknown stays absent: a made-up 0 would read as a real measurement
  if (value === null || !Number.isFinite(value)) return [];
  return [{ name, kind: "numeric", value: value.toFixed(decimals), unit, types }];
}

function flag(name: string, value: PowerFlag | null): SensorField[] {
  return value === null ? [] : [{ name, kind: "boolean", value: String(value.value), types: MOMENTARY_STATUS }];
}

const POWER_FLAGS: [keyof Throttling, string][] = [
  ["underVoltageNow", "Under-voltage"],
  ["throttledNow", "Throttled"],
  ["freqCappedNow", "Frequency capped"],
  ["softTempLimitNow", "Soft temperature limit"],
  ["underVoltageSinceBoot", "Under-voltage since boot"],
  ["throttledSinceBoot", "Throttled since boot"],
  ["freqCappedSinceBoot", "Frequency capped since boot"],
  ["softTempLimitSinceBoot", "Soft temperature limit since boot"],
];

/** Percentages and °C to 0.1 (what the sampler keeps), load to 0.01 (what /proc/loadavg has), bytes whole. */
export function healthFields(sample: HealthSample): SensorField[] {
  return [
    ...numeric("CPU", sample.cpuPercent, "%", 1),
    ...numeric("Load, 1 min", sample.load1, "", 2),
    ...numeric("Load, 5 min", sample.load5, "", 2),
    ...numeric("Load, 15 min", sample.load15, "", 2),
    ...numeric("Load per core", sample.loadPerCore, "", 2),
    ...numeric("Memory", sample.memoryPercent, "%", 1),
    ...numeric("Memory, Total", sample.memoryTotalBytes, "B", 0),
    ...numeric("Memory, Available", sample.memoryAvailableBytes, "B", 0),
    ...numeric("Swap", sample.swapPercent, "%", 1),
    ...numeric("Swap, Total", sample.swapTotalBytes, "B", 0),
    ...numeric("Temperature", sample.temperature?.celsius ?? null, "°C", 1),
    ...sample.disks.flatMap((d) => [
      ...numeric(`Disk ${d.mount}`, d.usedPercent, "%", 1),
      ...numeric(`Disk ${d.mount}, Used`, d.usedBytes, "B", 0),
      ...numeric(`Disk ${d.mount}, Total`, d.totalBytes, "B", 0),
    ]),
    ...sample.network.flatMap((n) => [
      ...numeric(`Network ${n.iface}, Received`, n.rxBytesPerSec, "B/s", 0),
      ...numeric(`Network ${n.iface}, Sent`, n.txBytesPerSec, "B/s", 0),
    ]),
    ...numeric("Uptime", sample.uptimeSeconds, "s", 0, MOMENTARY_STATUS),
    ...POWER_FLAGS.flatMap(([key, name]) => flag(name, sample.throttling[key])),
  ];
}

/** Each owner's check as a status flag ("Check web, OK": false while it fails or cannot tell), and the numbers its
 * monitoring plugin reported as perf data ("Check root, /" in B), with the plugin's own unit. */
export function checkFields(results: CheckResult[]): SensorField[] {
  return results.flatMap((r) => [
    { name: `Check ${r.name}, OK`, kind: "boolean" as const, value: String(r.state === "ok"), types: MOMENTARY_STATUS },
    ...r.perf.flatMap((p) => numeric(`Check ${r.name}, ${p.label}`, p.value, p.unit, decimalsOf(p.value))),
  ]);
}

/** A plugin's number keeps the decimals it was written with (at most 3): XEP-0323 reads them as precision. */
function decimalsOf(value: number): number {
  const text = String(value);
  const dot = text.indexOf(".");
  return dot < 0 || /e/i.test(text) ? 0 : Math.min(3, text.length - dot - 1);
}
