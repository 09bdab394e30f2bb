// A throwaway ejabberd on loopback for the integration tests, with the Prosody harness's interface: its own temp
// dir (config, Mnesia spool, log, Erlang cookie), one c2s port and one Erlang distribution port on 127.0.0.1,
// no epmd, nothing left behind. config.ts says what ejabberd 23.01 offers; erlang-node.ts how it is started
// and as which user.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { chown, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { ThrowawayProsody } from "../prosody/throwaway.js";
import { isRoot } from "../prosody/install.js";
import { freePort, LOOPBACK } from "../prosody/loopback.js";
import { logSince, logSize, whyNotReady } from "../prosody/readiness.js";
import { ejabberdAccounts } from "./accounts.js";
import { ejabberdConfig } from "./config.js";
import { serverCommand, type ErlangNode } from "./erlang-node.js";
import { ejabberdInstalled, ejabberdMissing } from "./install.js";
import { ejabberdLogLines } from "./readiness.js";
import { spawnEjabberd, type EjabberdProcess } from "./server-process.js";

export { ensureEjabberdInstalled } from "./install.js";

/** The same harness interface as Prosody's; caFile is always null (no TLS here). */
export type ThrowawayEjabberd = ThrowawayProsody;

// A cold Erlang VM, Mnesia schema creation and module start: about 1.5 s here; slow CI machines get 20 s
const READY_TIMEOUT_MS = 20_000;
// As root the server runs as the package's system user, like the Debian service does
const SYSTEM_USER = "ejabberd";

export async function startEjabberd(opts: { domain?: string } = {}): Promise<ThrowawayEjabberd> {
  if (!ejabberdInstalled()) throw ejabberdMissing();
  const domain = opts.domain ?? "localhost";
  if (!/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/.test(domain)) {
    throw new Error(`domain ${JSON.stringify(domain)}: expected a lower-case host name such as "localhost"`);
  }
  const [port, distPort] = [await freePort(), await freePort()];
  const dir = await mkdtemp(join(tmpdir(), "xmpp-device-agent-ejabberd-"));
  const node: ErlangNode = { name: `xda-${randomBytes(4).toString("hex")}@localhost`, distPort, dir, user: isRoot() ? SYSTEM_USER : null };
  const configFile = join(dir, "ejabberd.yml");
  const logFile = join(dir, "ejabberd.log");
  const consoleFile = join(dir, "console.log"); // what the VM prints before ejabberd's logger is up
  let server: EjabberdProcess | null = null;
  let removed = false;

  // An aborted test run must not leave a server or its files behind.
  const onExit = () => {
    server?.killNow();
    rmSync(dir, { recursive: true, force: true });
  };
  process.on("exit", onExit);

  async function logText(): Promise<string> {
    const [printed, log] = await Promise.all([consoleFile, logFile].map((f) => readFile(f, "utf8").catch(() => "")));
    return printed ? `${printed}\n${log}` : log!;
  }

  async function startServer(): Promise<void> {
    if (server?.running()) return;
    const logOffset = await logSize(logFile);
    const current = spawnEjabberd(serverCommand(node, { configFile, logFile }), { cwd: dir, consoleFile });
    server = current;
    const why = await whyNotReady({ port, logFile, logOffset, running: current.running, timeoutMs: READY_TIMEOUT_MS, ...ejabberdLogLines(port) });
    if (why === null) return;
    await current.stop();
    // The warnings and errors of this start say why; the shutdown we just caused would bury them.
    const printed = (await readFile(consoleFile, "utf8").catch(() => "")).trim();
    const log = (await logSince(logFile, logOffset)).trimEnd().split("\n");
    const telling = log.filter((line) => /^\S+ \S+ \[(warning|error|critical)\]/.test(line));
    const shown = [printed, ...(telling.length ? telling : log).slice(-20)].filter(Boolean).join("\n");
    throw new Error(`ejabberd ${why}; what it said (${dir}):\n${shown}`);
  }

  async function stopServer(): Promise<void> {
    await server?.stop();
  }

  async function stop(): Promise<void> {
    await stopServer();
    if (removed) return;
    removed = true;
    process.off("exit", onExit);
    await rm(dir, { recursive: true, force: true });
  }

  try {
    await writeFile(configFile, ejabberdConfig({ dir, domain, port }));
    if (node.user) {
      // The server writes its spool, log and cookie here as that user
      const { uid, gid } = await systemUser(node.user);
      for (const path of [dir, configFile]) await chown(path, uid, gid);
    }
    await startServer();
    return {
      domain,
      port,
      service: `xmpp://${LOOPBACK}:${port}`,
      dir,
      caFile: null,
      ...ejabberdAccounts({ node, domain }),
      stopServer,
      startServer,
      stop,
      logText,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function systemUser(name: string): Promise<{ uid: number; gid: number }> {
  const { stdout } = await promisify(execFile)("getent", ["passwd", name]).catch(() => ({ stdout: "" }));
  const [, , uid, gid] = stdout.trim().split(":");
  if (!uid || !gid) throw new Error(`no system user ${JSON.stringify(name)}: the ejabberd package creates it; reinstall ejabberd`);
  return { uid: Number(uid), gid: Number(gid) };
}
