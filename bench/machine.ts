// The machine a result was measured on, for the results page: numbers without it cannot be compared.
import { readFileSync } from "node:fs";
import { cpus, release, totalmem } from "node:os";

export function describeMachine(now = new Date()): string {
  let model = cpus()[0]?.model ?? "unknown CPU";
  try {
    const cpuinfo = readFileSync("/proc/cpuinfo", "utf8");
    // x86 gives "model name"; a Raspberry Pi gives the board as "Model", and its 64-bit kernel no model name
    const cpu = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim();
    const board = /^Model\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim();
    model = [board, cpu].filter(Boolean).join(", ") || model;
  } catch {
    // not Linux: os.cpus() is the best we have
  }
  const gib = (totalmem() / 2 ** 30).toFixed(1);
  return `${model}, ${cpus().length} cores, ${gib} GiB RAM, Linux ${release()}, Node ${process.version}, ${now.toISOString().slice(0, 10)}`;
}
