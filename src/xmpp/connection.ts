// The XMPP link: log in, stay connected, notice a dead link, give up only when retrying cannot help.
// @xmpp/client's own reconnect waits a fixed 1 s; ours backs off with jitter and tells us why it retries.
// The client it drives, with our repairs to @xmpp/client 0.14, comes from repaired-client.ts; credentials.ts decides
// whether and how the password is sent.
import type { Client } from "@xmpp/client";
import type { Logger } from "../log.js";
import { backoffDelay } from "./backoff.js";
import { startKeepalive } from "./keepalive.js";
import { resumeCheck } from "./resume-check.js";
import { credentialsPolicy, FatalLoginError } from "./credentials.js";
import { repairedClient } from "./repaired-client.js";

export { FatalLoginError };

export interface ConnectionOptions {
  service: string;
  /** The services to try in turn at each attempt (SRV order: resolve.ts); just `service` when not given. */
  endpoints?: () => Promise<string[]>;
  jid: string;
  resource: string;
  password: string;
  allowInsecure: boolean;
  keepaliveSeconds: number;
  keepaliveTimeoutSeconds: number;
  reconnectMaxSeconds: number;
  /** @xmpp/connection's wait for each answer during a login (2 s unless told): xmpp.loginStepTimeoutSeconds. */
  loginStepTimeoutSeconds: number;
  log: Logger;
  /** A new session is up (not after a XEP-0198 resume, where the server kept our state). */
  onSession(xmpp: Client): void;
  /** The server kept our session (XEP-0198 resume): whatever was held back while the link was down can go now. */
  onResumed?(): void;
  /** Retrying cannot help (wrong password, insecure link refused): the agent should exit. */
  onFatal(error: FatalLoginError): void;
}

/** How long one login attempt may take from TCP connect to a bound resource. */
const LOGIN_TIMEOUT_MS = 20_000;

export function createConnection(options: ConnectionOptions) {
  const { log } = options;
  const [local, domain] = options.jid.split("@") as [string, string];
  let endpoint = options.service;
  const xmpp = repairedClient({
    service: options.service,
    domain,
    resource: options.resource,
    loginStepTimeoutSeconds: options.loginStepTimeoutSeconds,
    credentials: credentialsPolicy({
      service: () => endpoint,
      username: local,
      password: options.password,
      allowInsecure: options.allowInsecure,
      log,
    }),
  });
  // Ours instead (see top of file)
  xmpp.reconnect.stop();

  let stopping = false;
  let attempt = 0;
  let timer: NodeJS.Timeout | null = null;
  let connecting = false;
  let onlineSince = 0;

  xmpp.on("error", (err: Error & { condition?: string }) => {
    // Login errors are handled where the attempt fails; these are the rest (stream errors, socket errors)
    if (!connecting) log.warn({ err: { message: err.message, condition: err.condition } }, "xmpp error");
  });
  xmpp.on("online", () => {
    onlineSince = Date.now();
    log.info({ jid: xmpp.jid?.toString() }, "online");
    options.onSession(xmpp);
  });
  xmpp.streamManagement.on("resumed", () => {
    onlineSince = Date.now();
    log.info("stream resumed (XEP-0198)");
    // The status turns "online" right after this event (@xmpp/stream-management resumed()), not before it
    queueMicrotask(() => {
      keepalive.pingNow();
      options.onResumed?.();
    });
  });
  xmpp.on("disconnect", ({ clean }: { clean?: boolean } = {}) => {
    // `timer`: the socket of a failed login closing after its retry was scheduled; nothing new to say or do
    if (stopping || connecting || timer) return;
    log.warn({ clean: clean ?? false }, "disconnected");
    schedule();
  });

  const resumed = resumeCheck(xmpp);
  const keepalive = startKeepalive({
    xmpp,
    domain,
    idleMs: options.keepaliveSeconds * 1000,
    timeoutMs: options.keepaliveTimeoutSeconds * 1000,
    onDead: () => {
      log.warn({ timeoutSeconds: options.keepaliveTimeoutSeconds }, "keepalive: server did not answer a ping, reconnecting");
      if (resumed.forgetIfUnconfirmed()) log.warn("the resumed stream never acknowledged our stanzas: the next login starts a new session");
      xmpp.socket?.destroy();
    },
  });

  function schedule() {
    if (stopping || timer) return;
    // A session that lived a while was a success: start the backoff over
    if (onlineSince && Date.now() - onlineSince > 60_000) attempt = 0;
    onlineSince = 0;
    const delay = backoffDelay(attempt++, { baseMs: 1000, capMs: options.reconnectMaxSeconds * 1000, floorMs: 500 });
    log.info({ attempt, delayMs: delay }, "reconnecting after delay");
    timer = setTimeout(() => {
      timer = null;
      void connectOnce();
    }, delay);
  }

  async function connectOnce() {
    if (stopping || connecting) return;
    connecting = true;
    // @xmpp/events' procedure() (SASL, XEP-0198 resume) unsubscribes only when its exchange ends: one cut short by
    // a lost link would answer the next link's SASL challenge with its old nonce: not-authorized, and exit 77
    const nonzaBefore = new Set(xmpp.listeners("nonza"));
    const endpoints = options.endpoints ? await options.endpoints().catch(() => [options.service]) : [options.service];
    if (endpoints.length === 0) log.warn({ domain }, "login failed: the domain's SRV records say it offers no XMPP service");
    // RFC 6120 3.2.1: each target in turn within one attempt; the backoff only once all of them failed
    for (const [index, service] of endpoints.entries()) {
      if (stopping) break;
      endpoint = service;
      if (endpoints.length > 1) log.info({ service, of: `${index + 1}/${endpoints.length}` }, "connecting");
      try {
        await login(service);
        connecting = false;
        return;
      } catch (err) {
        for (const listener of xmpp.listeners("nonza")) {
          if (!nonzaBefore.has(listener)) xmpp.removeListener("nonza", listener as (...args: unknown[]) => void);
        }
        const error = err as Error & { condition?: string };
        const fatal = asFatal(error);
        if (fatal) {
          connecting = false;
          stopping = true;
          keepalive.stop();
          xmpp.socket?.destroy();
          options.onFatal(fatal);
          return;
        }
        // @xmpp/connection's TimeoutError has no message, in whichever step of the login it waited (open() is named below)
        const message = error.message || (error.name === "TimeoutError" ? `the server did not answer within ${xmpp.timeout / 1000} s` : error.name);
        log.warn({ service, err: { message, condition: error.condition, code: (error as NodeJS.ErrnoException).code } }, "login failed");
        if (index < endpoints.length - 1) await socketClosed();
        else xmpp.socket?.destroy();
      }
    }
    connecting = false;
    schedule();
  }

  // The next target's socket may be attached only after this one's close: @xmpp/connection would detach the new one
  async function socketClosed() {
    if (!xmpp.socket) return;
    const closed = new Promise((resolve) => {
      xmpp.once("disconnect", resolve);
      setTimeout(resolve, 1000).unref();
    });
    xmpp.socket.destroy();
    await closed;
    await new Promise((resolve) => setImmediate(resolve));
  }

  async function login(service: string) {
    let settle: ((err?: Error) => void) | null = null;
    const ready = new Promise<void>((resolve, reject) => {
      settle = (err) => (err ? reject(err) : resolve());
    });
    // A settle after the attempt has been given up must not become an unhandled rejection
    ready.catch(() => undefined);
    const onOnline = () => settle!();
    const onError = (err: Error) => settle!(err);
    // A server that goes away mid-login (a restart) often closes without a stream error: retry now, not at the timeout
    const onDisconnect = () => settle!(new Error("the server closed the connection during login"));
    const timeout = setTimeout(() => settle!(new Error(`login timed out after ${LOGIN_TIMEOUT_MS / 1000} s`)), LOGIN_TIMEOUT_MS);
    xmpp.on("online", onOnline);
    xmpp.streamManagement.on("resumed", onOnline);
    xmpp.on("error", onError);
    xmpp.on("disconnect", onDisconnect);
    try {
      // Not awaited in turn: open() would wait out its own timeout after a disconnect that already settled `ready`
      const steps = (async () => {
        await xmpp.connect(service);
        await xmpp.open({ domain, lang: "en" }).catch((err: Error) => {
          // @xmpp/connection's TimeoutError has no message: say what went unanswered
          throw err.name === "TimeoutError" ? new Error(`the server did not answer the stream header within ${xmpp.timeout / 1000} s`) : err;
        });
      })();
      steps.catch((err: Error) => settle!(err));
      await ready;
    } finally {
      clearTimeout(timeout);
      xmpp.removeListener("online", onOnline);
      xmpp.streamManagement.removeListener("resumed", onOnline);
      xmpp.removeListener("error", onError);
      xmpp.removeListener("disconnect", onDisconnect);
    }
  }

  return {
    xmpp,
    start() {
      void connectOnce();
    },
    isOnline: () => xmpp.status === "online",
    /** Close the stream; never takes longer than `withinMs`, even against a silent server. */
    async stop(withinMs: number) {
      stopping = true;
      if (timer) clearTimeout(timer);
      keepalive.stop();
      const closed = xmpp.stop().catch(() => undefined);
      await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, withinMs).unref())]);
      xmpp.socket?.destroy();
    },
  };
}

function asFatal(error: Error & { condition?: string }): FatalLoginError | null {
  if (error instanceof FatalLoginError) return error;
  // RFC 6120 6.5.10: credentials refused. Retrying would only lock the account or fill the server's log
  if (error.name === "SASLError" && (error.condition === "not-authorized" || error.condition === "account-disabled")) {
    return new FatalLoginError(`the server refused the credentials (${error.condition}): a wrong password, or an account that was deleted or disabled`, "auth");
  }
  return null;
}
