// The XMPP link: log in, stay connected, notice a dead link, give up only when retrying cannot help. The driver of
// login-loop.ts, which decides when to log in, wait or give up: this file feeds it the client's events and does
// what it says (log in, keep the timer, drop the socket, call back, log). The client it drives, with our repairs to
// @xmpp/client 0.14, comes from repaired-client.ts; credentials.ts decides whether and how the password is sent.
import type { Client, Element } from "@xmpp/client";
import type { Logger } from "../log.js";
import { reconnectBackoff } from "./backoff.js";
import { startKeepalive } from "./keepalive.js";
import { loginAttempt } from "./login-attempt.js";
import { asFatal, loginLoop, RESUME_MAX_SECONDS, type LoginAction, type LoginError, type LoginEvent } from "./login-loop.js";
import { resumeCheck } from "./resume-check.js";
import { credentialsPolicy, FatalLoginError } from "./credentials.js";
import { repairedClient } from "./repaired-client.js";
import { jidParts } from "../jid.js";
import { NS_SM } from "./namespaces.js";

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

export function createConnection(options: ConnectionOptions) {
  const { log } = options;
  const { local, domain } = jidParts(options.jid);
  /** The service being tried now: the password policy asks about the host it goes to. */
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
  // Ours instead (see login-loop.ts)
  xmpp.reconnect.stop();

  const machine = loginLoop({
    backoff: reconnectBackoff(options.reconnectMaxSeconds * 1000),
    loginStepTimeoutMs: xmpp.timeout,
    keepaliveTimeoutSeconds: options.keepaliveTimeoutSeconds,
  });
  let state = machine.initial;
  let timer: NodeJS.Timeout | null = null;

  /** Steps the machine and performs its actions; resolves when they are done (closing the stream takes a while). */
  function dispatch(event: LoginEvent): Promise<unknown> {
    const next = machine.step(state, event, Date.now());
    state = next.state;
    return Promise.all(next.actions.map(perform));
  }

  function perform(action: LoginAction): Promise<unknown> | undefined {
    switch (action.type) {
      case "log":
        log[action.level](action.fields, action.msg);
        return;
      case "logIn":
        return logIn();
      case "startTimer":
        timer = setTimeout(() => {
          timer = null;
          void dispatch({ type: "retryDue" });
        }, action.delayMs);
        return;
      case "cancelTimer":
        if (timer) clearTimeout(timer);
        return;
      case "dropSocket":
        xmpp.socket?.destroy();
        return;
      case "forgetUnconfirmedResume":
        if (resumed.forgetIfUnconfirmed()) log.warn("the resumed stream never acknowledged our stanzas: the next login starts a new session");
        return;
      case "stopKeepalive":
        keepalive.stop();
        return;
      case "session":
        options.onSession(xmpp);
        return;
      case "resumed":
        // The status turns "online" right after this event (@xmpp/stream-management resumed()), not before it
        queueMicrotask(() => {
          keepalive.pingNow();
          options.onResumed?.();
        });
        return;
      case "fatal":
        options.onFatal(action.error);
        return;
      case "closeStream":
        return closeStream(action.withinMs);
      case "endSession":
        // A clean close: the server ends the session instead of keeping it, and the disconnect logs in again
        return xmpp.stop().catch(() => xmpp.socket?.destroy());
    }
  }

  xmpp.on("error", (error: LoginError) => void dispatch({ type: "clientError", error }));
  // A new session is handed on once the server has said whether and how long it keeps it (XEP-0198 <enabled/>, which
  // @xmpp/client asks for after "online"): the machine may end it first, before anything was sent in it
  let smOffered = false;
  let enabling: NodeJS.Timeout | null = null;
  const online = (keptSeconds: number) => {
    if (enabling) clearTimeout(enabling);
    enabling = null;
    void dispatch({ type: "online", jid: xmpp.jid?.toString(), keptSeconds });
  };
  xmpp.prependListener("element", (el: Element) => {
    if (el.is("features", "http://etherx.jabber.org/streams")) smOffered = el.getChild("sm", NS_SM) !== undefined;
  });
  xmpp.on("online", () => {
    if (!smOffered) return online(0);
    enabling = setTimeout(() => online(0), xmpp.timeout);
  });
  xmpp.on("nonza", (el: Element) => {
    if (enabling && (el.is("enabled", NS_SM) || el.is("failed", NS_SM))) online(keptSeconds(el));
  });
  xmpp.on("disconnect", () => {
    if (enabling) clearTimeout(enabling);
    enabling = null;
  });
  // XEP-0198: ask the server to keep our session after a lost link no longer than this; once it has said it keeps
  // longer, ask for no resumption at all (login-loop.ts)
  xmpp.streamManagement.preferredMaximum = RESUME_MAX_SECONDS;
  // (@xmpp/stream-management always asks resume='true'; an outgoing middleware sees an element once it is sent)
  const send = xmpp.send.bind(xmpp);
  xmpp.send = (element: Element) => {
    if (element.is("enable", NS_SM) && state.resumption === "refused") {
      delete element.attrs.resume;
      delete element.attrs.max;
    }
    return send(element);
  };
  /** How long the server keeps this session after a lost link, by its <enabled/>: 0 when not resumable. */
  function keptSeconds(el: Element): number {
    const { resume, max } = el.attrs as { resume?: string; max?: string };
    if (!el.is("enabled", NS_SM) || (resume !== "true" && resume !== "1")) return 0;
    return max && Number.isFinite(Number(max)) ? Number(max) : Infinity;
  }
  xmpp.streamManagement.on("resumed", () => void dispatch({ type: "resumed" }));
  xmpp.on("disconnect", ({ clean }: { clean?: boolean } = {}) => void dispatch({ type: "disconnect", clean: clean ?? false }));

  const resumed = resumeCheck(xmpp);
  const keepalive = startKeepalive({
    xmpp,
    domain,
    idleMs: options.keepaliveSeconds * 1000,
    timeoutMs: options.keepaliveTimeoutSeconds * 1000,
    onDead: () => void dispatch({ type: "keepaliveDead" }),
  });

  /** One attempt: RFC 6120 3.2.1, each target in turn; the machine hears of a failure only once all of them failed. */
  async function logIn() {
    const endpoints = options.endpoints ? await options.endpoints().catch(() => [options.service]) : [options.service];
    if (endpoints.length === 0) {
      log.warn({ domain }, "login failed: the domain's SRV records say it offers no XMPP service");
      return void dispatch({ type: "loginFailed", error: new Error(`${domain} offers no XMPP service (SRV target ".")`) });
    }
    let error: LoginError | null = null;
    for (const [index, service] of endpoints.entries()) {
      endpoint = service;
      if (endpoints.length > 1) log.info({ service, of: `${index + 1}/${endpoints.length}` }, "connecting");
      error = await loginAttempt(xmpp, service, domain);
      const last = index === endpoints.length - 1;
      if (error === null || asFatal(error) || last || state.phase !== "loggingIn") break;
      log.warn({ service, err: { message: error.message || error.name, condition: error.condition, code: error.code } }, "login failed");
      await socketClosed();
    }
    void dispatch(error ? { type: "loginFailed", error } : { type: "loginSucceeded" });
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

  async function closeStream(withinMs: number) {
    const closed = xmpp.stop().catch(() => undefined);
    await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, withinMs).unref())]);
    xmpp.socket?.destroy();
  }

  return {
    xmpp,
    start() {
      void dispatch({ type: "start" });
    },
    isOnline: () => xmpp.status === "online",
    /** Close the stream; never takes longer than `withinMs`, even against a silent server. */
    async stop(withinMs: number) {
      await dispatch({ type: "stop", withinMs });
    },
  };
}
