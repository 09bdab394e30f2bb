// The XMPP link: log in, stay connected, notice a dead link, give up only when retrying cannot help.
// @xmpp/client's own reconnect waits a fixed 1 s; ours backs off with jitter and tells us why it retries.
import { client, type Client } from "@xmpp/client";
import { isIP } from "node:net";
import type { Logger } from "../log.js";
import { backoffDelay } from "./backoff.js";
import { startKeepalive } from "./keepalive.js";
import { useFastScram } from "./scram.js";

export interface ConnectionOptions {
  service: string;
  jid: string;
  resource: string;
  password: string;
  allowInsecure: boolean;
  keepaliveSeconds: number;
  keepaliveTimeoutSeconds: number;
  reconnectMaxSeconds: number;
  log: Logger;
  /** A new session is up (not after a XEP-0198 resume, where the server kept our state). */
  onSession(xmpp: Client): void;
  /** Retrying cannot help (wrong password, insecure link refused): the agent should exit. */
  onFatal(error: FatalLoginError): void;
}

export class FatalLoginError extends Error {
  constructor(
    message: string,
    readonly kind: "auth" | "insecure",
  ) {
    super(message);
  }
}

/** How long one login attempt may take from TCP connect to a bound resource. */
const LOGIN_TIMEOUT_MS = 20_000;

export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, "");
  if (bare === "localhost" || bare.endsWith(".localhost")) return true;
  if (isIP(bare) === 4) return bare.startsWith("127.");
  return bare === "::1";
}

export function serviceHost(service: string): string {
  return new URL(service.replace(/^xmpps?:/, "http:")).hostname;
}

export function createConnection(options: ConnectionOptions) {
  const { log } = options;
  useFastScram();
  const [local, domain] = options.jid.split("@") as [string, string];
  const insecureAllowed = options.allowInsecure || isLoopbackHost(serviceHost(options.service));

  const xmpp = client({
    service: options.service,
    domain,
    resource: options.resource,
    // A function instead of {username, password}: we pick the mechanism and refuse a plaintext link first
    credentials: async (authenticate, mechanisms, _fast, entity) => {
      if (!entity.isSecure() && !insecureAllowed) {
        throw new FatalLoginError(
          `refusing to send the password over an unencrypted link to ${serviceHost(options.service)}: ` +
            "the server offered no TLS; use xmpps:// or a server with STARTTLS, or set xmpp.allowInsecure",
          "insecure",
        );
      }
      const mechanism = ["SCRAM-SHA-1", "PLAIN"].find((m) => mechanisms.includes(m) && (m !== "PLAIN" || entity.isSecure() || insecureAllowed));
      if (!mechanism) throw new FatalLoginError(`no usable SASL mechanism (server offers ${mechanisms.join(", ")})`, "auth");
      log.debug({ mechanism, secure: entity.isSecure() }, "authenticating");
      await authenticate({ username: local, password: options.password }, mechanism);
    },
  });
  // Ours instead (see top of file)
  xmpp.reconnect.stop();
  // Nagle held ~45% of IQ answers back by a delayed ACK (p99 47 ms -> 7 ms without it: bench/queries.bench.ts)
  xmpp.on("connect", () => xmpp.socket?.setNoDelay(true));
  // @xmpp/connection 0.14 detaches its parser when a stream closes or the server sends bad XML, but not the
  // socket: bytes that still arrive would throw in a socket callback and crash the process. Drop them.
  const parse = xmpp._onData.bind(xmpp);
  xmpp._onData = (data) => {
    if (xmpp.parser) parse(data);
  };

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
  });
  xmpp.on("disconnect", ({ clean }: { clean?: boolean } = {}) => {
    if (stopping || connecting) return;
    log.warn({ clean: clean ?? false }, "disconnected");
    schedule();
  });

  const keepalive = startKeepalive({
    xmpp,
    domain,
    idleMs: options.keepaliveSeconds * 1000,
    timeoutMs: options.keepaliveTimeoutSeconds * 1000,
    onDead: () => {
      log.warn({ timeoutSeconds: options.keepaliveTimeoutSeconds }, "keepalive: server did not answer a ping, reconnecting");
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
    try {
      await login();
    } catch (err) {
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
      log.warn({ err: { message: error.message, condition: error.condition, code: (error as NodeJS.ErrnoException).code } }, "login failed");
      xmpp.socket?.destroy();
      connecting = false;
      schedule();
      return;
    }
    connecting = false;
  }

  async function login() {
    let settle: ((err?: Error) => void) | null = null;
    const ready = new Promise<void>((resolve, reject) => {
      settle = (err) => (err ? reject(err) : resolve());
    });
    // connect() may throw first; a later settle must then not become an unhandled rejection
    ready.catch(() => undefined);
    const onOnline = () => settle!();
    const onError = (err: Error) => settle!(err);
    const timeout = setTimeout(() => settle!(new Error(`login timed out after ${LOGIN_TIMEOUT_MS / 1000} s`)), LOGIN_TIMEOUT_MS);
    xmpp.on("online", onOnline);
    xmpp.streamManagement.on("resumed", onOnline);
    xmpp.on("error", onError);
    try {
      await xmpp.connect(options.service);
      await xmpp.open({ domain, lang: "en" });
      await ready;
    } finally {
      clearTimeout(timeout);
      xmpp.removeListener("online", onOnline);
      xmpp.streamManagement.removeListener("resumed", onOnline);
      xmpp.removeListener("error", onError);
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
    return new FatalLoginError(`the server refused the credentials (${error.condition})`, "auth");
  }
  return null;
}
