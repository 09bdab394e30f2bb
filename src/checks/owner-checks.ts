// The owner's checks as a capability: each runs on its own schedule (`every`), never two runs of one check at once,
// never in the sampling loop's way (the loop only reads the latest results). The first runs are spread over the
// first few seconds so ten checks do not start together with the first sample.
import type { Logger } from "../log.js";
import type { CheckSpec } from "./spec.js";
import { resultOf, type CheckResult, type ProbeOutcome } from "./result.js";
import { runProbe } from "./probe.js";

export interface OwnerChecksDeps {
  specs: CheckSpec[];
  version: string;
  log: Logger;
  /** A seam for tests: the probe to run (default: the real one for the spec's type). */
  probe?: (spec: CheckSpec) => Promise<ProbeOutcome>;
  now?: () => number;
  /** Called after each run whose state differs from the last run's. */
  onChange?(result: CheckResult): void;
}

export interface OwnerChecks {
  /** The checks as configured, defaults filled in. */
  specs: CheckSpec[];
  start(): void;
  stop(): void;
  /** The latest result of every check that has run, in config order. */
  results(): CheckResult[];
  /** Every check run once more now (chat `checks`, ad-hoc sample-now), resolved when all are done. */
  runAll(): Promise<CheckResult[]>;
}

/** The first runs start within this window, one after another. */
const START_SPREAD_MS = 3000;

export function ownerChecks({ specs, version, log, probe = (spec) => runProbe(spec, version), now = Date.now, onChange }: OwnerChecksDeps): OwnerChecks {
  const latest = new Map<string, CheckResult>();
  const running = new Map<string, Promise<CheckResult>>();
  const timers = new Map<string, NodeJS.Timeout>();
  let stopped = true;

  function run(spec: CheckSpec): Promise<CheckResult> {
    const already = running.get(spec.name);
    if (already) return already;
    const started = now();
    const done = probe(spec)
      .catch((err: Error): ProbeOutcome => ({ state: "unknown", text: `check failed to run: ${err.message.slice(0, 80)}` }))
      .then((outcome) => {
        const result = resultOf(spec, outcome, now(), now() - started);
        const previous = latest.get(spec.name);
        latest.set(spec.name, result);
        running.delete(spec.name);
        if (previous?.state !== result.state) {
          log.info({ check: spec.name, type: spec.type, state: result.state, text: result.text, was: previous?.state ?? null }, "check");
          onChange?.(result);
        } else {
          log.debug({ check: spec.name, state: result.state, text: result.text, ms: result.durationMs }, "check");
        }
        return result;
      });
    running.set(spec.name, done);
    return done;
  }

  function schedule(spec: CheckSpec, delayMs: number) {
    if (stopped) return;
    const timer = setTimeout(() => {
      void run(spec).then(() => schedule(spec, spec.every * 1000));
    }, delayMs);
    timer.unref();
    timers.set(spec.name, timer);
  }

  return {
    specs,
    start() {
      stopped = false;
      specs.forEach((spec, i) => schedule(spec, specs.length > 1 ? Math.round((START_SPREAD_MS * i) / (specs.length - 1)) : 0));
    },
    stop() {
      stopped = true;
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
    },
    results: () => specs.flatMap((spec) => latest.get(spec.name) ?? []),
    runAll: () => Promise.all(specs.map(run)),
  };
}
