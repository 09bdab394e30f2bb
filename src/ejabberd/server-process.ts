// The ejabberd VM: foreground, no stdin, console output to a file (never our stdout), and it dies with us.
// The spawned pid is beam.smp itself (setpriv, erl and erlexec all exec), so signals reach the VM; SIGTERM
// makes it run init:stop(), the same orderly shutdown `ejabberdctl stop` ends in.
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import type { Command } from "./erlang-node.js";

const KILL_AFTER_MS = 5_000;

export interface EjabberdProcess {
  /** False once the process has exited. */
  running(): boolean;
  exited: Promise<void>;
  /** SIGTERM, then SIGKILL after 5 s; resolves once it has exited. */
  stop(): Promise<void>;
  /** SIGKILL without waiting, for a process 'exit' handler. */
  killNow(): void;
}

export function spawnEjabberd({ command, args, env }: Command, { cwd, consoleFile }: { cwd: string; consoleFile: string }): EjabberdProcess {
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
      const timer = setTimeout(() => child.kill("SIGKILL"), KILL_AFTER_MS);
      await exited;
      clearTimeout(timer);
    },
    killNow() {
      if (alive) child.kill("SIGKILL");
    },
  };
}
