// The server process: foreground, no stdin, console output to a file (never our stdout), and it dies with us
// (underSetpriv's parent-death signal).
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import type { Command } from "./command.js";

export interface ServerProcess {
  /** False once the process has exited. */
  running(): boolean;
  /** Resolves when the process exits, however that happens. */
  exited: Promise<void>;
  /** SIGTERM, then SIGKILL after killAfterMs; resolves once it has exited. */
  stop(): Promise<void>;
  /** SIGKILL without waiting, for a process 'exit' handler. */
  killNow(): void;
}

export function spawnServer({ command, args, env, cwd }: Command, { consoleFile, killAfterMs }: { consoleFile: string; killAfterMs: number }): ServerProcess {
  const output = openSync(consoleFile, "a");
  let child: ChildProcess;
  try {
    child = spawn(command, args, { cwd, env, stdio: ["ignore", output, output] });
  } finally {
    closeSync(output);
  }
  let alive = true;
  const exited = new Promise<void>((resolve) => {
    const gone = () => {
      alive = false;
      resolve();
    };
    child.once("exit", gone);
    child.once("error", gone); // spawn failures (ENOENT) arrive as 'error' without 'exit'
  });
  return {
    running: () => alive,
    exited,
    async stop() {
      if (!alive) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), killAfterMs);
      await exited;
      clearTimeout(timer);
    },
    killNow() {
      if (alive) child.kill("SIGKILL");
    },
  };
}
