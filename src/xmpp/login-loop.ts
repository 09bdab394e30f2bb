// The login loop, the decisions: log in, and after a lost link or a failed login wait a backoff with jitter
// (@xmpp/client's own reconnect waits a fixed 1 s, and says nothing); give up only when retrying cannot help.
// Pure: connection.ts feeds it the client's events and performs the actions.
//
// States (`phase`):
//   new         built, start() not called yet
//   loggingIn   a login attempt is under way, from TCP connect to a bound resource or a resumed stream
//   up          the last attempt succeeded; the link may have gone since without a word yet
//   waiting     the link was lost or a login failed: the backoff timer runs
//   stopping    stop() came during a login attempt, which still ends (loginSucceeded or loginFailed)
//   stopped     stop() or a fatal login error: for good
// Events: start, online, resumed, loginSucceeded, loginFailed, disconnect, clientError, keepaliveDead, retryDue,
//   stop. Actions: logIn, startTimer, cancelTimer, dropSocket, forgetUnconfirmedResume, stopKeepalive, session,
//   resumed, fatal, closeStream, log.
import { backoffDelay, type BackoffConfig } from "./backoff.js";
import { FatalLoginError } from "./credentials.js";

/** A session that lived this long was a success: the backoff starts over. */
const STABLE_MS = 60_000;

export type Phase = "new" | "loggingIn" | "up" | "waiting" | "stopping" | "stopped";

export interface LoginState {
  phase: Phase;
  /** Retries since the last session that lasted: the backoff's exponent. */
  attempt: number;
  /** When the session came up (online or resumed); 0: none since the last retry. */
  onlineSince: number;
}

/** What @xmpp/client and Node reject a login with. */
export type LoginError = Error & { condition?: string; code?: string };

export type LoginEvent =
  | { type: "start" }
  /** A new session is bound (not a resume): jid is the full JID the server gave. */
  | { type: "online"; jid: string | undefined }
  /** XEP-0198: the server kept our session. */
  | { type: "resumed" }
  /** The login attempt (logIn) ended. */
  | { type: "loginSucceeded" }
  | { type: "loginFailed"; error: LoginError }
  | { type: "disconnect"; clean: boolean }
  /** The client's "error" event: a stream or socket error. */
  | { type: "clientError"; error: LoginError }
  /** The server did not answer a keepalive ping (keepalive.ts). */
  | { type: "keepaliveDead" }
  | { type: "retryDue" }
  | { type: "stop"; withinMs: number };

type Level = "info" | "warn";

export type LoginAction =
  | { type: "logIn" }
  | { type: "startTimer"; delayMs: number }
  | { type: "cancelTimer" }
  /** Destroy the socket: its closing is the disconnect. */
  | { type: "dropSocket" }
  /** resume-check.ts: a resumed stream the server never acknowledged is not resumed again. */
  | { type: "forgetUnconfirmedResume" }
  | { type: "stopKeepalive" }
  /** ConnectionOptions.onSession */
  | { type: "session" }
  /** Once the client is online again: ping (resume-check.ts) and ConnectionOptions.onResumed. */
  | { type: "resumed" }
  /** ConnectionOptions.onFatal */
  | { type: "fatal"; error: FatalLoginError }
  /** Close the stream, within withinMs even against a silent server. */
  | { type: "closeStream"; withinMs: number }
  | { type: "log"; level: Level; fields: Record<string, unknown>; msg: string };

export interface LoginSettings {
  backoff: BackoffConfig;
  /** @xmpp/connection's wait for each answer during a login, for the message of its TimeoutError. */
  loginStepTimeoutMs: number;
  keepaliveTimeoutSeconds: number;
  /** The backoff's jitter. */
  random?: () => number;
}

export function loginLoop({ backoff, loginStepTimeoutMs, keepaliveTimeoutSeconds, random = Math.random }: LoginSettings) {
  const initial: LoginState = { phase: "new", attempt: 0, onlineSince: 0 };

  function step(state: LoginState, event: LoginEvent, now: number): { state: LoginState; actions: LoginAction[] } {
    const s = { ...state };
    const actions: LoginAction[] = [];
    const log = (level: Level, fields: Record<string, unknown>, msg: string) => actions.push({ type: "log", level, fields, msg });

    function logIn() {
      s.phase = "loggingIn";
      actions.push({ type: "logIn" });
    }

    function schedule() {
      // A session that lived a while was a success: start the backoff over
      if (s.onlineSince && now - s.onlineSince > STABLE_MS) s.attempt = 0;
      s.onlineSince = 0;
      const delayMs = backoffDelay(s.attempt++, backoff, random);
      log("info", { attempt: s.attempt, delayMs }, "reconnecting after delay");
      s.phase = "waiting";
      actions.push({ type: "startTimer", delayMs });
    }

    switch (event.type) {
      case "start":
        if (s.phase === "new") logIn();
        break;
      case "retryDue":
        if (s.phase === "waiting") logIn();
        break;
      case "online":
        s.onlineSince = now;
        log("info", { jid: event.jid }, "online");
        actions.push({ type: "session" });
        break;
      case "resumed":
        s.onlineSince = now;
        log("info", {}, "stream resumed (XEP-0198)");
        actions.push({ type: "resumed" });
        break;
      case "loginSucceeded":
        if (s.phase === "loggingIn") s.phase = "up";
        else if (s.phase === "stopping") s.phase = "stopped";
        break;
      case "loginFailed": {
        const fatal = asFatal(event.error);
        if (fatal) {
          s.phase = "stopped";
          actions.push({ type: "stopKeepalive" }, { type: "dropSocket" }, { type: "fatal", error: fatal });
          break;
        }
        const { error } = event;
        // @xmpp/connection's TimeoutError has no message, in whichever step of the login it waited (login-attempt.ts
        // names open()'s)
        const message = error.message || (error.name === "TimeoutError" ? `the server did not answer within ${loginStepTimeoutMs / 1000} s` : error.name);
        log("warn", { err: { message, condition: error.condition, code: error.code } }, "login failed");
        actions.push({ type: "dropSocket" });
        if (s.phase === "loggingIn") schedule();
        else if (s.phase === "stopping") s.phase = "stopped";
        break;
      }
      case "disconnect":
        // Not while logging in (the attempt's own end decides) nor waiting (the failed login's socket closing)
        if (s.phase !== "new" && s.phase !== "up") break;
        log("warn", { clean: event.clean }, "disconnected");
        schedule();
        break;
      case "clientError":
        // Login errors are handled where the attempt fails; these are the rest (stream errors, socket errors)
        if (s.phase !== "loggingIn" && s.phase !== "stopping") {
          log("warn", { err: { message: event.error.message, condition: event.error.condition } }, "xmpp error");
        }
        break;
      case "keepaliveDead":
        log("warn", { timeoutSeconds: keepaliveTimeoutSeconds }, "keepalive: server did not answer a ping, reconnecting");
        actions.push({ type: "forgetUnconfirmedResume" }, { type: "dropSocket" });
        break;
      case "stop":
        if (s.phase === "waiting") actions.push({ type: "cancelTimer" });
        s.phase = s.phase === "loggingIn" || s.phase === "stopping" ? "stopping" : "stopped";
        actions.push({ type: "stopKeepalive" }, { type: "closeStream", withinMs: event.withinMs });
        break;
    }
    return { state: s, actions };
  }

  return { initial, step };
}

/** The login error retrying cannot help, or null. */
export function asFatal(error: LoginError): FatalLoginError | null {
  if (error instanceof FatalLoginError) return error;
  // RFC 6120 6.5.10: credentials refused. Retrying would only lock the account or fill the server's log
  if (error.name === "SASLError" && (error.condition === "not-authorized" || error.condition === "account-disabled")) {
    return new FatalLoginError(`the server refused the credentials (${error.condition}): a wrong password, or an account that was deleted or disabled`, "auth");
  }
  return null;
}
