// A throwaway XMPP server on loopback for the integration tests and the `demo` command: its own temp dir, one c2s
// port on 127.0.0.1, nothing left behind. This is the part every server shares: the temp dir, the exit handler,
// start, stop and restart, and what a failed start says. What differs (config, commands, log lines) each server
// says in a ServerSpecifics: test/servers/prosody/throwaway.ts, test/servers/ejabberd/throwaway.ts.
import { rmSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Accounts } from "./accounts.js";
import type { Command } from "./command.js";
import { freePort, LOOPBACK } from "./loopback.js";
import { logSince, logSize, whyNotReady, type ServerLogLines } from "./readiness.js";
import { spawnServer, type ServerProcess } from "./server-process.js";

/** The one interface of every harness (docs/servers.md). */
export interface ThrowawayHarness {
  domain: string;
  port: number;
  /** "xmpp://127.0.0.1:<port>" */
  service: string;
  dir: string;
  /** The self-signed certificate (PEM) to trust when started with tls, else null. */
  caFile: string | null;
  /** Creates the account with the server's control command (`prosodyctl register`); resolves with its bare JID. */
  register(user: string, password: string): Promise<string>;
  unregister(user: string): Promise<void>;
  /** Stops the process only; accounts and data stay for startServer(). */
  stopServer(): Promise<void>;
  /** Starts it again on the same port; resolves once it accepts connections. */
  startServer(): Promise<void>;
  /** Stops the process and removes the temp dir; safe to call twice. */
  stop(): Promise<void>;
  /** What the server printed and logged (debug level unless started with another), for a failing test's message. */
  logText(): Promise<string>;
}

/** What one server software does its own way. */
export interface ServerSpecifics {
  /** How messages name it: "Prosody". */
  name: string;
  /** The temp dir's name before mkdtemp's random suffix: "xmpp-device-agent-prosody-". */
  dirPrefix: string;
  /** Its log file's name in the temp dir. */
  logFileName: string;
  readyTimeoutMs: number;
  /** How long stop() waits after SIGTERM before SIGKILL. */
  killAfterMs: number;
  logLines(port: number): ServerLogLines;
  /** Writes the config (and whatever else the first start needs) into the fresh temp dir. */
  prepare(place: { dir: string; domain: string; port: number; logFile: string }): Promise<PreparedServer>;
}

export interface PreparedServer {
  /** The server in the foreground, run again by every startServer(). */
  command: Command;
  accounts: Accounts;
  caFile: string | null;
}

/** `port`: the one to listen on when it is free (the demo wants 5222, where Dino looks), else any. */
export async function startThrowaway(specifics: ServerSpecifics, opts: { domain?: string; port?: number } = {}): Promise<ThrowawayHarness> {
  const { name, logLines, readyTimeoutMs, killAfterMs } = specifics;
  const domain = opts.domain ?? "localhost";
  if (!/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/.test(domain)) {
    throw new Error(`domain ${JSON.stringify(domain)}: expected a lower-case host name such as "localhost"`);
  }
  const port = await freePort(opts.port);
  const dir = await mkdtemp(join(tmpdir(), specifics.dirPrefix));
  const logFile = join(dir, specifics.logFileName);
  const consoleFile = join(dir, "console.log"); // what the server prints before its own log is set up
  let command: Command | null = null; // known once prepared
  let server: ServerProcess | null = null;
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
    if (server?.running() || !command) return;
    const logOffset = await logSize(logFile);
    const current = spawnServer(command, { consoleFile, killAfterMs });
    server = current;
    const lines = logLines(port);
    const why = await whyNotReady({ port, logFile, logOffset, running: current.running, timeoutMs: readyTimeoutMs, ...lines });
    if (why === null) return;
    await current.stop();
    // The warnings and errors of this start say why; the shutdown we just caused would bury them.
    const printed = (await readFile(consoleFile, "utf8").catch(() => "")).trim();
    const log = (await logSince(logFile, logOffset)).trimEnd().split("\n");
    const telling = log.filter(lines.telling);
    const shown = [printed, ...(telling.length ? telling : log).slice(-20)].filter(Boolean).join("\n");
    throw new Error(`${name} ${why}; what it said (${dir}):\n${shown}`);
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
    const prepared = await specifics.prepare({ dir, domain, port, logFile });
    command = prepared.command;
    await startServer();
    return {
      domain,
      port,
      service: `xmpp://${LOOPBACK}:${port}`,
      dir,
      caFile: prepared.caFile,
      ...prepared.accounts,
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
