// A throwaway Prosody on loopback for the integration tests and the `demo` command: its own temp dir (config,
// data, certificate, log), one c2s port on 127.0.0.1, nothing left behind. See config.ts for what Prosody 0.12
// offers and why the config looks the way it does.
import { rmSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { prosodyAccounts } from "./accounts.js";
import { selfSignedCertificate } from "./certificate.js";
import { prosodyConfig, type ProsodyLogLevel } from "./config.js";
import { isRoot, prosodyInstalled, prosodyMissing } from "./install.js";
import { freePort, LOOPBACK } from "./loopback.js";
import { logSince, logSize, prosodyLogLines, whyNotReady } from "./readiness.js";
import { spawnProsody, type ProsodyProcess } from "./server-process.js";

export { ensureProsodyInstalled } from "./install.js";

const READY_TIMEOUT_MS = 10_000;

export interface ThrowawayProsody {
  domain: string;
  port: number;
  /** "xmpp://127.0.0.1:<port>" */
  service: string;
  dir: string;
  /** The self-signed certificate (PEM) to trust when started with tls, else null. */
  caFile: string | null;
  /** Creates the account with `prosodyctl register`; resolves with its bare JID. */
  register(user: string, password: string): Promise<string>;
  unregister(user: string): Promise<void>;
  /** Stops the process only; accounts and data stay for startServer(). */
  stopServer(): Promise<void>;
  /** Starts it again on the same port; resolves once it accepts connections. */
  startServer(): Promise<void>;
  /** Stops the process and removes the temp dir; safe to call twice. */
  stop(): Promise<void>;
  /** What Prosody printed and logged (debug level unless started with another), for a failing test's message. */
  logText(): Promise<string>;
}

export async function startProsody(opts: { tls?: boolean; domain?: string; logLevel?: ProsodyLogLevel } = {}): Promise<ThrowawayProsody> {
  if (!prosodyInstalled()) throw prosodyMissing();
  const domain = opts.domain ?? "localhost";
  if (!/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/.test(domain)) {
    throw new Error(`domain ${JSON.stringify(domain)}: expected a lower-case host name such as "localhost"`);
  }
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), "xmpp-device-agent-prosody-"));
  const configFile = join(dir, "prosody.cfg.lua");
  const logFile = join(dir, "prosody.log");
  const consoleFile = join(dir, "console.log"); // what Prosody prints before its log is set up
  let server: ProsodyProcess | null = null;
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
    const current = spawnProsody({ configFile, consoleFile });
    server = current;
    const why = await whyNotReady({ port, logFile, logOffset, running: current.running, timeoutMs: READY_TIMEOUT_MS, ...prosodyLogLines(port) });
    if (why === null) return;
    await current.stop();
    // The warnings and errors of this start say why; the shutdown we just caused would bury them.
    const printed = (await readFile(consoleFile, "utf8").catch(() => "")).trim();
    const log = (await logSince(logFile, logOffset)).trimEnd().split("\n");
    const telling = log.filter((line) => /\t(warn|error)\t/.test(line) && !line.includes("Received SIGTERM"));
    const shown = [printed, ...(telling.length ? telling : log).slice(-20)].filter(Boolean).join("\n");
    throw new Error(`Prosody ${why}; what it said (${dir}):\n${shown}`);
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
    await mkdir(join(dir, "data"));
    await mkdir(join(dir, "certs"));
    const tls = opts.tls ? await selfSignedCertificate(join(dir, "certs"), domain) : null;
    await writeFile(configFile, prosodyConfig({ dir, domain, port, runAsRoot: isRoot(), tls, logLevel: opts.logLevel }));
    await startServer();
    return {
      domain,
      port,
      service: `xmpp://${LOOPBACK}:${port}`,
      dir,
      caFile: tls?.certificate ?? null,
      ...prosodyAccounts({ configFile, domain }),
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
