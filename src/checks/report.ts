// What an operator reads about the checks: chat `checks`, the ad-hoc status form, XEP-0323 fields. Pure.
import type { CheckResult } from "./result.js";
import type { CheckSpec } from "./spec.js";
import { formatAge } from "./probes/age.js";

const LABEL = { ok: "ok", warn: "WARN", crit: "CRIT", unknown: "UNKNOWN" } as const;

/** One line per check, worst first: `web CRIT: HTTP 502, expected 200 (12 s ago)`. */
export function checksReply(specs: CheckSpec[], results: CheckResult[], now: number): string {
  if (specs.length === 0) return "no checks configured (the config's checks list is empty)";
  const byName = new Map(results.map((r) => [r.name, r]));
  const rank = { crit: 0, unknown: 1, warn: 2, ok: 3 } as const;
  const lines = specs
    .map((spec) => ({ spec, result: byName.get(spec.name) }))
    .sort((a, b) => (a.result ? rank[a.result.state] : 4) - (b.result ? rank[b.result.state] : 4))
    .map(({ spec, result }) =>
      result
        ? `${spec.name} ${LABEL[result.state]}: ${result.text} (${formatAge(Math.max(0, (now - result.at) / 1000))} ago)`
        : `${spec.name}: not run yet (${spec.type}, every ${formatAge(spec.every)})`,
    );
  const counts = (["crit", "unknown", "warn", "ok"] as const)
    .map((state) => [state, results.filter((r) => r.state === state).length] as const)
    .filter(([, n]) => n > 0)
    .map(([state, n]) => `${n} ${state}`);
  return [`checks: ${counts.join(", ") || "none run yet"}`, ...lines].join("\n");
}
