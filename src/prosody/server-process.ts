// The prosody process: foreground, no stdin, console output to a file (never our stdout), and it dies with us.
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { findExecutable } from "./install.js";

const KILL_AFTER_MS = 2_000;

export interface ProsodyProcess {
  /** False once the process has exited. */
  running(): boolean;
  /** Resolves when the process exits, however that happens. */
  exited: Promise<void>;
  /** SIGTERM, then SIGKILL after 2 s; resolves once it has exited. */
  stop(): Promise<void>;
  /** SIGKILL without waiting, for a process 'exit' handler. */
  killNow(): void;
}

export function spawnProsody({ configFile, consoleFile }: { configFile: string; consoleFile: string }): ProsodyProcess {
  const prosody = ["prosody", "-F", "--config", configFile];
  // Linux PR_SET_PDEATHSIG (setpriv, util-linux): even a SIGKILLed test runner takes Prosody down with it.
  const setpriv = findExecutable("setpriv");
  const [command, ...args] = setpriv ? [setpriv, "--pdeathsig", "TERM", "--", ...prosody] : prosody;
  const output = openSync(consoleFile, "a");
  let child: ChildProcess;
  try {
    child = spawn(command!, args, { stdio: ["ignore", output, output] });
  } finally {
    closeSync(output);
  }
  let alive = true;
  const exited = new Promise<void>((resolve) => {
    child.once("exit", () => {
      alive = false;
      resolve();
    });
    // spawn failures (ENOENT) arrive as 'error' without 'exit'
    child.once("error", () => {
      alive = false;
      resolve();
    });
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
