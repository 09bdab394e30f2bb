// One health sample: numbers in the user's units, `null` where this machine cannot say.
// Percentages are 0-100, temperatures °C, sizes bytes, rates bytes/s, durations seconds.

export interface DiskUse {
  mount: string;
  /** False when /proc/mounts does not list it (an unplugged USB disk); null when that cannot be read. */
  mounted: boolean | null;
  usedPercent: number | null;
  usedBytes: number | null;
  totalBytes: number | null;
}

export interface NetRate {
  iface: string;
  rxBytesPerSec: number | null;
  txBytesPerSec: number | null;
}

/** A Raspberry Pi power flag and the file it was read from. */
export interface PowerFlag {
  value: boolean;
  source: string;
}

export interface Throttling {
  underVoltageNow: PowerFlag | null;
  throttledNow: PowerFlag | null;
  freqCappedNow: PowerFlag | null;
  softTempLimitNow: PowerFlag | null;
  underVoltageSinceBoot: PowerFlag | null;
  throttledSinceBoot: PowerFlag | null;
  freqCappedSinceBoot: PowerFlag | null;
  softTempLimitSinceBoot: PowerFlag | null;
}

export interface Temperature {
  celsius: number;
  /** The sensor it came from, e.g. "thermal_zone0 (cpu-thermal)". */
  source: string;
}

export interface HealthSample {
  /** Milliseconds since the epoch when the sample was taken. */
  takenAt: number;
  cpuPercent: number | null;
  cpuCount: number | null;
  load1: number | null;
  load5: number | null;
  load15: number | null;
  loadPerCore: number | null;
  memoryPercent: number | null;
  memoryTotalBytes: number | null;
  memoryAvailableBytes: number | null;
  swapPercent: number | null;
  swapTotalBytes: number | null;
  temperature: Temperature | null;
  disks: DiskUse[];
  network: NetRate[];
  uptimeSeconds: number | null;
  throttling: Throttling;
}
