// `systemd` checks: a unit's state, from `systemctl show` (one short-lived process per run; at one check a minute
// that costs less than the bus client library would at start-up: bench/checks.bench.ts has both numbers).
import { execFile } from "node:child_process";
import type { ProbeOutcome } from "../result.js";

export interface UnitState {
  LoadState?: string;
  ActiveState?: string;
  SubState?: string;
  Result?: string;
}

/** Pure: `systemctl show -p ...` output (KEY=value lines) to an outcome. */
export function unitOutcome(text: string): ProbeOutcome {
  const state: UnitState = {};
  for (const line of text.split("\n")) {
    const eq = line.indexOf("=");
    if (eq > 0) (state as Record<string, string>)[line.slice(0, eq)] = line.slice(eq + 1).trim();
  }
  if (state.LoadState === "not-found") return { state: "unknown", text: "no such unit" };
  if (!state.ActiveState) return { state: "unknown", text: "state unreadable" };
  const sub = state.SubState ? ` (${state.SubState})` : "";
  switch (state.ActiveState) {
    case "active":
    case "reloading":
    case "activating":
      return { state: "ok", text: `${state.ActiveState}${sub}` };
    case "failed":
      return { state: "failed", text: state.Result && state.Result !== "success" ? `failed (${state.Result})` : "failed" };
    default:
      // inactive, deactivating: stopped, when it should run
      return { state: "failed", text: `${state.ActiveState}${sub}` };
  }
}

export function probeSystemd({ unit }: { unit: string }, timeoutMs: number): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    execFile(
      "systemctl",
      ["show", "--no-pager", "--property=LoadState,ActiveState,SubState,Result", "--", unit],
      { timeout: timeoutMs, killSignal: "SIGKILL", maxBuffer: 16 * 1024, env: { PATH: "/usr/sbin:/usr/bin:/sbin:/bin", LC_ALL: "C" } },
      (err, stdout, stderr) => {
        if (err && !stdout) {
          const why = (err as NodeJS.ErrnoException).code === "ENOENT" ? "systemctl not found" : (stderr.split("\n")[0] || err.message).trim().slice(0, 100);
          return resolve({ state: "unknown", text: why });
        }
        resolve(unitOutcome(stdout));
      },
    );
  });
}
