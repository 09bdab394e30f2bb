// Which sensor speaks for "the device's temperature": the CPU's where one is named, else the hottest.
import type { Temperature } from "../sample.js";

export interface SensorReading {
  /** e.g. "thermal_zone0 (cpu-thermal)" or "hwmon1 coretemp Package id 0" */
  source: string;
  /** What the kernel calls it: thermal zone type or hwmon name. */
  kind: string;
  /** Raw sysfs text: millidegrees Celsius. */
  raw: string;
}

// Thermal zone types and hwmon names that are the SoC/CPU package on boards we know (Pi, x86, Rockchip, Allwinner)
const CPU_SENSOR = /^(cpu[-_]thermal|soc[-_]thermal|x86_pkg_temp|coretemp|k10temp|zenpower|cpu|soc)$/i;

export function millidegrees(raw: string): number | null {
  const value = Number(raw.trim());
  // Kernel reports millidegrees; absurd values come from broken or disconnected sensors
  if (raw.trim() === "" || !Number.isFinite(value)) return null;
  const celsius = value / 1000;
  return celsius > -60 && celsius < 200 ? celsius : null;
}

export function pickTemperature(readings: SensorReading[]): Temperature | null {
  const valid = readings
    .map((r) => ({ ...r, celsius: millidegrees(r.raw) }))
    .filter((r): r is SensorReading & { celsius: number } => r.celsius !== null);
  if (valid.length === 0) return null;
  const cpu = valid.filter((r) => CPU_SENSOR.test(r.kind));
  const pool = cpu.length > 0 ? cpu : valid;
  const hottest = pool.reduce((a, b) => (b.celsius > a.celsius ? b : a));
  return { celsius: Math.round(hottest.celsius * 10) / 10, source: hottest.source };
}
