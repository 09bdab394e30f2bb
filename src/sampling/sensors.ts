// Finds the sensor files once at start (directory walks are the costly part), so each sample reads only
// the files that exist. Thermal zones: Documentation/driver-api/thermal/sysfs-api.rst; hwmon:
// Documentation/hwmon/sysfs-interface.rst; the Pi's rpi_volt hwmon: drivers/hwmon/raspberrypi-hwmon.c.
import type { SystemFiles } from "./read.js";

export interface SensorFile {
  path: string;
  source: string;
  kind: string;
}

export interface SensorMap {
  temperatures: SensorFile[];
  /** rpi_volt's in0_lcrit_alarm: 1 while the supply is under-voltage. */
  underVoltageAlarm: string | null;
  /** The firmware's get_throttled word, as the Pi's firmware driver exposes it in sysfs. */
  throttledWord: string | null;
}

export const GET_THROTTLED = "sys/devices/platform/soc/soc:firmware/get_throttled";

export function findSensors(files: SystemFiles): SensorMap {
  const temperatures: SensorFile[] = [];
  for (const zone of files.list("sys/class/thermal").filter((n) => n.startsWith("thermal_zone"))) {
    const kind = files.read(`sys/class/thermal/${zone}/type`)?.trim() ?? "";
    temperatures.push({ path: `sys/class/thermal/${zone}/temp`, source: `${zone} (${kind})`, kind });
  }
  let underVoltageAlarm: string | null = null;
  for (const hwmon of files.list("sys/class/hwmon")) {
    const dir = `sys/class/hwmon/${hwmon}`;
    const name = files.read(`${dir}/name`)?.trim() ?? "";
    if (name === "rpi_volt" && files.read(`${dir}/in0_lcrit_alarm`) !== null) underVoltageAlarm = `${dir}/in0_lcrit_alarm`;
    // A thermal zone usually mirrors the same chip; hwmon is the fallback for boards without zones
    // (hwmon names turn the zone's hyphens into underscores: zone "cpu-thermal" is hwmon "cpu_thermal")
    if (temperatures.some((t) => sameChip(t.kind, name))) continue;
    for (const input of files.list(dir).filter((n) => /^temp\d+_input$/.test(n))) {
      const label = files.read(`${dir}/${input.replace("_input", "_label")}`)?.trim();
      temperatures.push({ path: `${dir}/${input}`, source: `${hwmon} ${name}${label ? ` ${label}` : ""}`, kind: name });
    }
  }
  const throttledWord = files.read(GET_THROTTLED) !== null ? GET_THROTTLED : null;
  return { temperatures, underVoltageAlarm, throttledWord };
}

const sameChip = (a: string, b: string) => a.toLowerCase().replace(/-/g, "_") === b.toLowerCase().replace(/-/g, "_");
