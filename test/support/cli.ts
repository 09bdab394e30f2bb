// Runs the built CLI (dist/cli.js, what a user runs) as a child process and collects what it prints.
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { lineCapture } from "./log-capture.js";

export const CLI = fileURLToPath(new URL("../../../dist/cli.js", import.meta.url));

export interface Running {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `prefix`: a command the CLI runs under, e.g. `unshare -m ...` (test/support/resolver.ts). */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}, prefix: string[] = []): Running {
  const [command, ...rest] = [...prefix, process.execPath, CLI, ...args] as [string, ...string[]];
  const child = spawn(command, rest, {
    env: { PATH: process.env.PATH, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (err += d));
  // Every line a CLI child prints goes to the suite-wide secrets scan too (test/support/log-capture.ts)
  for (const stream of [child.stdout!, child.stderr!]) {
    const capture = lineCapture("cli");
    stream.on("data", (d) => capture.write(d));
    stream.on("end", () => capture.end());
  }
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Kills the child if a test forgot to or failed before it could. */
export async function finished(running: Running, timeoutMs: number) {
  const timer = setTimeout(() => running.child.kill("SIGKILL"), timeoutMs);
  try {
    return await running.exited;
  } finally {
    clearTimeout(timer);
  }
}
