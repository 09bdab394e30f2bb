// A stand-in for PID 1's notification socket in tests and benchmarks: a real AF_UNIX SOCK_DGRAM socket,
// bound by python3 (Node cannot bind one), on a path or in the abstract namespace ("@name").
// Each datagram comes back as one string; file descriptors passed with it (sd_notify_barrier's pipe) are
// closed at once, which is what tells systemd-notify that "PID 1" has read the message.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { waitUntil } from "./wait-until.js";

const RECEIVER = `
import array, json, os, socket, sys
address = sys.argv[1]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("\\0" + address[1:] if address.startswith("@") else address)
print("ready", flush=True)
while True:
    data, ancillary, _flags, _from = s.recvmsg(65536, socket.CMSG_SPACE(64 * 4))
    for level, kind, payload in ancillary:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds = array.array("i")
            fds.frombytes(payload[: len(payload) - len(payload) % fds.itemsize])
            for fd in fds:
                os.close(fd)
    print(json.dumps(data.decode("utf-8", "replace")), flush=True)
`;

export interface NotifySocket {
  /** What NOTIFY_SOCKET is set to: a path, or "@name" for the abstract namespace. */
  address: string;
  messages: string[];
  /** Resolves with the first message (already received or still to come) that `match` accepts. */
  waitFor(match: (message: string) => boolean, timeoutMs?: number): Promise<string>;
  close(): void;
}

export async function notifySocket(kind: "path" | "abstract"): Promise<NotifySocket> {
  const dir = mkdtempSync(join(tmpdir(), "notify-"));
  const address = kind === "path" ? join(dir, "notify") : `@xmpp-device-agent-test-${process.pid}-${Date.now()}`;
  const child = spawn("python3", ["-c", RECEIVER, address], { stdio: ["ignore", "pipe", "inherit"] });
  const messages: string[] = [];
  const waiters = new Set<() => void>();
  const lines = createInterface({ input: child.stdout! });
  await new Promise<void>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`the python3 notify socket exited (${code}) before binding ${address}`)));
    lines.once("line", () => resolve());
  });
  lines.on("line", (line) => {
    messages.push(JSON.parse(line) as string);
    for (const wake of waiters) wake();
  });
  return {
    address,
    messages,
    waitFor: (match, timeoutMs = 5000) =>
      waitUntil(waiters, () => messages.find(match), timeoutMs, () => `no matching notification within ${timeoutMs} ms; received: ${JSON.stringify(messages)}`),
    close() {
      child.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
