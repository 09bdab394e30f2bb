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
  const path = fileURLToPath(new URL(`../../../test/interop/${script}`, import.meta.url));
  const child = spawn("/usr/bin/python3", [path, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (err += d));
  const killer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  return new Promise((resolve, reject) =>
    child.on("close", (code) => {
      clearTimeout(killer);
      if (err.includes("No module named 'slixmpp'")) return reject(new Error("slixmpp is missing: apt-get install -y python3-slixmpp"));
      try {
        resolve({ code, lines: out.split("\n").filter(Boolean).map((l) => JSON.parse(l)), stderr: err });
      } catch (error) {
        reject(new Error(`${script} printed a line that is not JSON (${error}):\n${out}\n${err}`));
      }
    }),
  );
}
