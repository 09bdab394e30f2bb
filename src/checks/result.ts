// What a check found, and what that means for the device's level. Pure.
import type { CheckSpec } from "./spec.js";
import type { PerfDatum } from "./perfdata.js";

/** ok; a failure at the check's level (warn or crit); unknown: the check could not run or tell. */
export type CheckState = "ok" | "warn" | "crit" | "unknown";

export interface CheckResult {
  name: string;
  state: CheckState;
  /** What a person reads: "HTTP 502", "not running", "DISK OK - free space: / 3326 MB (56%)". */
  text: string;
  /** When the run ended, ms since the epoch. */
  at: number;
  durationMs: number;
  perf: PerfDatum[];
}

/** What one probe says; the scheduler adds the name, the time and the duration. */
export interface ProbeOutcome {
  /** "failed" is a failure at the check's configured level; command checks say warn or crit themselves. */
  state: "ok" | "failed" | "warn" | "crit" | "unknown";
  text: string;
  perf?: PerfDatum[];
}

export function resultOf(spec: CheckSpec, outcome: ProbeOutcome, at: number, durationMs: number): CheckResult {
  let state: CheckState;
  if (outcome.state === "failed") state = spec.level;
  // A plugin's critical is capped by the level the owner gave the check ("level": "warn" demotes it)
  else if (outcome.state === "crit") state = spec.level;
  else state = outcome.state;
  return { name: spec.name, state, text: outcome.text.slice(0, 200), at, durationMs, perf: outcome.perf ?? [] };
}

/** A check that cannot say makes the device warn, never crit: it tells nothing about the app itself. */
export interface CheckFinding {
  metric: string;
  level: "ok" | "warn" | "crit";
  reason: string | null;
}

/** A reason stands in a status line beside the metrics: a plugin's long first line is cut (chat `checks` has it all). */
const REASON_TEXT_MAX = 40;
const brief = (text: string) => (text.length > REASON_TEXT_MAX ? `${text.slice(0, REASON_TEXT_MAX - 1)}…` : text);

export function checkFindings(results: CheckResult[]): CheckFinding[] {
  return results.map((r) => ({
    metric: `check ${r.name}`,
    level: r.state === "unknown" ? "warn" : r.state,
    reason: r.state === "ok" ? null : r.state === "unknown" ? `${r.name}: unknown (${brief(r.text)})` : `${r.name}: ${brief(r.text)}`,
  }));
}
