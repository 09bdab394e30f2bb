// `file` checks: the file exists and, with maxAgeSeconds, was modified that recently (a heartbeat the app touches).
import { stat } from "node:fs/promises";
import type { ProbeOutcome } from "../result.js";
import { formatAge } from "./age.js";

export function fileOutcome(modifiedAt: number | null, maxAgeSeconds: number | null, now: number): ProbeOutcome {
  if (modifiedAt === null) return { state: "failed", text: "missing" };
  const ageSeconds = Math.max(0, (now - modifiedAt) / 1000);
  if (maxAgeSeconds !== null && ageSeconds > maxAgeSeconds) {
    return { state: "failed", text: `stale: changed ${formatAge(ageSeconds)} ago, max ${formatAge(maxAgeSeconds)}` };
  }
  return { state: "ok", text: `changed ${formatAge(ageSeconds)} ago` };
}

export async function probeFile({ path, maxAgeSeconds }: { path: string; maxAgeSeconds: number | null }, now = Date.now()): Promise<ProbeOutcome> {
  try {
    return fileOutcome((await stat(path)).mtimeMs, maxAgeSeconds, now);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return fileOutcome(null, maxAgeSeconds, now);
    // EACCES inside the sandbox: the agent cannot tell, which is not the same as missing
    return { state: "unknown", text: `cannot read it (${code ?? "error"})` };
  }
}
