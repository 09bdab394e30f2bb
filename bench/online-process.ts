// Child processes for bench/online.bench.ts and bench/queries.bench.ts: the agent as systemd runs it
// (`node dist/cli.js run`), a bare @xmpp/client connection (bench/online-bare-client.ts), and what
// /proc/<pid>/status says about their memory. A child still running when the bench exits is killed.
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const CLI = fileURLToPath(new URL("../../dist/cli.js", import.meta.url));
export const BARE_CLIENT = fileURLToPath(new URL("./online-bare-client.js", import.meta.url));

export interface ChildRun {
  child: ChildProcess;
  pid: number;
  output(): string;
  /** SIGTERM, then SIGKILL if it has not exited within `withinMs`. */
  stop(withinMs?: number): Promise<void>;
}

const running = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

/** `node <script> ...args` with only PATH and `env`: nothing of the bench's environment leaks into it.
 * `cgroupProcs`: a cgroup.procs file (bench/cpu-quota.ts) the child joins before node starts. */
export function startNode(script: string, args: string[], env: Record<string, string>, nodeFlags: string[] = [], cgroupProcs?: string): ChildRun {
  const argv = [...nodeFlags, script, ...args];
  const [file, all] = cgroupProcs
    ? ["/bin/sh", ["-c", 'echo $$ > "$0" && exec "$@"', cgroupProcs, process.execPath, ...argv]]
    : [process.execPath, argv];
  const child = spawn(file, all, { env: { PATH: process.env.PATH ?? "", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  running.add(child);
  let out = "";
  // Drained as journald would: a full pipe must not block the child
  child.stdout!.on("data", (d) => (out.length < 1 << 20 ? (out += d) : undefined));
  child.stderr!.on("data", (d) => (out.length < 1 << 20 ? (out += d) : undefined));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  void exited.then(() => running.delete(child));
  return {
    child,
    pid: child.pid!,
    output: () => out,
    async stop(withinMs = 3000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), withinMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

export interface ProcMemory {
  /** VmRSS, RssAnon (heap, stacks), RssFile (the node binary and libraries, shared), VmHWM (peak RSS); KiB. */
  rss: number;
  anon: number;
  file: number;
  hwm: number;
}

export function procMemory(pid: number | "self"): ProcMemory {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN);
  return { rss: kib("VmRSS"), anon: kib("RssAnon"), file: kib("RssFile"), hwm: kib("VmHWM") };
}

export const mib = (kib: number) => kib / 1024;
