// Counts the child processes a library starts. systeminformation and node-os-utils keep their own reference to
// child_process's functions (`const exec = require('child_process').exec`), so the counter must patch the CommonJS
// module object BEFORE they are loaded; load them afterwards with createRequire or a dynamic import.
import { createRequire } from "node:module";
import { promisify } from "node:util";
import type { ChildProcess } from "node:child_process";

const NAMES = ["spawn", "exec", "execFile", "fork", "execSync", "execFileSync", "spawnSync"] as const;
const INSTALLED = Symbol.for("xmpp-device-agent.bench.spawnCounter");

export interface SpawnCounter {
  /** Outermost calls so far (exec calls execFile internally: that counts once). */
  readonly spawned: number;
  /** Resolves when every child started by an async call has closed, so its CPU time is in cutime/cstime. */
  settled(timeoutMs?: number): Promise<void>;
}

type Fn = (...args: unknown[]) => unknown;

export function installSpawnCounter(): SpawnCounter {
  const childProcess = createRequire(import.meta.url)("node:child_process") as Record<string | symbol, unknown>;
  const existing = childProcess[INSTALLED] as SpawnCounter | undefined;
  if (existing) return existing;

  let spawned = 0;
  let depth = 0;
  const live = new Set<ChildProcess>();
  const track = (child: unknown) => {
    if (!child || typeof (child as ChildProcess).once !== "function") return;
    const c = child as ChildProcess;
    live.add(c);
    c.once("close", () => live.delete(c));
    c.once("error", () => live.delete(c));
  };
  const counted = (original: Fn, pickChild: (result: unknown) => unknown): Fn =>
    function (this: unknown, ...args: unknown[]) {
      if (depth === 0) spawned++;
      depth++;
      try {
        const result = original.apply(this, args);
        if (depth === 1) track(pickChild(result));
        return result;
      } finally {
        depth--;
      }
    };

  for (const name of NAMES) {
    const original = childProcess[name] as Fn & { [promisify.custom]?: Fn };
    const wrapped = counted(original, (r) => r);
    // exec/execFile carry their own promisified form ({ stdout, stderr }); keep it, and count it too
    const custom = original[promisify.custom];
    if (custom) {
      Object.defineProperty(wrapped, promisify.custom, {
        value: counted(custom, (p) => (p as { child?: unknown }).child),
      });
    }
    childProcess[name] = wrapped;
  }

  const counter: SpawnCounter = {
    get spawned() {
      return spawned;
    },
    async settled(timeoutMs = 5000) {
      const until = performance.now() + timeoutMs;
      while (live.size > 0 && performance.now() < until) await new Promise((r) => setTimeout(r, 2));
    },
  };
  Object.defineProperty(childProcess, INSTALLED, { value: counter });
  return counter;
}
