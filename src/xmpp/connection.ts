// The XMPP link: log in, stay connected, notice a dead link, give up only when retrying cannot help. The driver of
// login-loop.ts, which decides when to log in, wait or give up: this file feeds it the client's events and does
// what it says (log in, keep the timer, drop the socket, call back, log). The client it drives, with our repairs to
// @xmpp/client 0.14, comes from repaired-client.ts; credentials.ts decides whether and how the password is sent.
import type { Client } from "@xmpp/client";
import type { Logger } from "../log.js";
import { reconnectBackoff } from "./backoff.js";
import { startKeepalive } from "./keepalive.js";
import { loginAttempt } from "./login-attempt.js";
import { loginLoop, type LoginAction, type LoginError, type LoginEvent } from "./login-loop.js";
import { resumeCheck } from "./resume-check.js";
import { credentialsPolicy, FatalLoginError } from "./credentials.js";
import { repairedClient } from "./repaired-client.js";
import { jidParts } from "../jid.js";

export { FatalLoginError };

export interface ConnectionOptions {
  service: string;
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
  const xmpp = repairedClient({
    service: options.service,
    domain,
    resource: options.resource,
    loginStepTimeoutSeconds: options.loginStepTimeoutSeconds,
    credentials: credentialsPolicy({
      service: options.service,
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
    }
  }

  xmpp.on("error", (error: LoginError) => void dispatch({ type: "clientError", error }));
  xmpp.on("online", () => void dispatch({ type: "online", jid: xmpp.jid?.toString() }));
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

  async function logIn() {
    const error = await loginAttempt(xmpp, options.service, domain);
    void dispatch(error ? { type: "loginFailed", error } : { type: "loginSucceeded" });
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
