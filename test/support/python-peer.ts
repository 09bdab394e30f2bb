// Runs one of test/interop's slixmpp clients (Debian's python3-slixmpp, the independent peer). Each line it
// prints is one JSON object; it is killed if it outlives `timeoutMs`.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export interface PythonRun {
  code: number | null;
  lines: Record<string, any>[];
  stderr: string;
}

/** `script` is a file name in test/interop. */
export function runPython(script: string, args: string[], timeoutMs: number): Promise<PythonRun> {
  return startPython(script, args, timeoutMs).done;
}

/** A peer that runs beside the test, which drives the device between its steps: `step(name)` resolves with
 * the first line of that step (rejects if the run ends without it); `done` is the whole run. */
export function startPython(script: string, args: string[], timeoutMs: number) {
  const path = fileURLToPath(new URL(`../../../test/interop/${script}`, import.meta.url));
  const child = spawn("/usr/bin/python3", [path, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  const lines: Record<string, any>[] = [];
  const waiters = new Set<() => void>();
  let ended = false;
  child.stdout.on("data", (d) => {
    out += d;
    // Complete lines as they come, for step(); a line that is not JSON fails the run at its end
    const complete = out.split("\n").slice(0, -1).filter(Boolean);
    for (const line of complete.slice(lines.length)) {
      try {
        lines.push(JSON.parse(line));
      } catch {
        break;
      }
    }
    for (const wake of waiters) wake();
  });
  child.stderr.on("data", (d) => (err += d));
  const killer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  const done = new Promise<PythonRun>((resolve, reject) =>
    child.on("close", (code) => {
      clearTimeout(killer);
      ended = true;
      for (const wake of waiters) wake();
      if (err.includes("No module named 'slixmpp'")) return reject(new Error("slixmpp is missing: apt-get install -y python3-slixmpp"));
      try {
        resolve({ code, lines: out.split("\n").filter(Boolean).map((l) => JSON.parse(l)), stderr: err });
      } catch (error) {
        reject(new Error(`${script} printed a line that is not JSON (${error}):\n${out}\n${err}`));
      }
    }),
  );
  const step = (name: string) =>
    new Promise<Record<string, any>>((resolve, reject) => {
      const look = () => {
        const line = lines.find((l) => l.step === name);
        if (line || ended) waiters.delete(look);
        if (line) resolve(line);
        else if (ended) reject(new Error(`${script} ended without a "${name}" step:\n${out}\n${err}`));
      };
      waiters.add(look);
      look();
    });
  return { step, done };
}
