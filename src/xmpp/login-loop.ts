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
//   resumed, fatal, closeStream, endSession, log.
//
// XEP-0198 resumption, and what it costs: a server keeps a resumable session after the link is lost, and shows
// the device online all that while, a crashed one too. We ask for RESUME_MAX_SECONDS; a server that promises to
// keep it longer (Prosody 0.12 ignores `max` and says 600 s; ejabberd honours it) gets one clean new session without
// resumption, and no later login asks for it (docs/reliability.md, "A crash shows quickly").
//
// The backoff (docs/reliability.md, "Back after a server restart"): a session that lasted QUICK_DROP_MS starts it
// over, and for FAST_LANE_MS after losing it no wait is longer than FAST_CAP_MS, so a device is back within seconds
// of a server restart. A shorter session does neither: a server that accepts and drops at once is retried ever
// more slowly, up to xmpp.reconnectMaxSeconds.
import { backoffDelay, type BackoffConfig } from "./backoff.js";
import { FatalLoginError } from "./credentials.js";

/** The longest a server may keep our session after a lost link, in its <enabled max>: a crash shows within it. */
export const RESUME_MAX_SECONDS = 30;
/** A session that lived this long was a success: the backoff starts over. */
const QUICK_DROP_MS = 10_000;
/** After a successful session was lost, this long... */
const FAST_LANE_MS = 60_000;
/** ...no wait is longer than this. */
const FAST_CAP_MS = 8_000;

export type Phase = "new" | "loggingIn" | "up" | "waiting" | "stopping" | "stopped";

export interface LoginState {
  phase: Phase;
  /** Retries since the last session that lasted: the backoff's exponent. */
  attempt: number;
  /** When the session came up (online or resumed); 0: none since the last retry. */
  onlineSince: number;
  /** When a successful session was lost (the fast lane's start); 0: none, or a quick drop since. */
  lostAt: number;
  /** Whether logins ask the server to keep the session (XEP-0198 resume); "refused" once it would keep it too long. */
  resumption: "ask" | "refused";
  /** The session just bound is ended (at the login's end, if it has not come), for a new one without resumption. */
  endAfterLogin: boolean;
}

/** What @xmpp/client and Node reject a login with. */
export type LoginError = Error & { condition?: string; code?: string };

export type LoginEvent =
  | { type: "start" }
  /** A new session is bound (not a resume): jid is the full JID the server gave; keptSeconds how long the server
   * would keep it after a lost link (XEP-0198 <enabled max>; 0: not resumable; Infinity: resumable, no max said). */
  | { type: "online"; jid: string | undefined; keptSeconds: number }
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
  /** Close the stream cleanly (no resumable session is left); the disconnect that follows logs in again at once. */
  | { type: "endSession" }
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
  const initial: LoginState = { phase: "new", attempt: 0, onlineSince: 0, lostAt: 0, resumption: "ask", endAfterLogin: false };

  function step(state: LoginState, event: LoginEvent, now: number): { state: LoginState; actions: LoginAction[] } {
    const s = { ...state };
    const actions: LoginAction[] = [];
    const log = (level: Level, fields: Record<string, unknown>, msg: string) => actions.push({ type: "log", level, fields, msg });

    function logIn() {
      s.phase = "loggingIn";
      actions.push({ type: "logIn" });
    }

    function schedule() {
      if (s.onlineSince) {
        // A session that lived a while was a success: start the backoff over, in the fast lane; a quick drop ends it
        const lasted = now - s.onlineSince >= QUICK_DROP_MS;
        if (lasted) s.attempt = 0;
        s.lostAt = lasted ? now : 0;
      }
      s.onlineSince = 0;
      const fast = s.lostAt > 0 && now - s.lostAt < FAST_LANE_MS;
      const delayMs = backoffDelay(s.attempt++, fast ? { ...backoff, capMs: Math.min(backoff.capMs, FAST_CAP_MS) } : backoff, random);
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
        if (event.keptSeconds > RESUME_MAX_SECONDS && s.resumption === "ask") {
          s.resumption = "refused";
          s.endAfterLogin = true;
          // The login's end may have come first: the server's answer comes after the resource is bound
          if (s.phase === "up") actions.push({ type: "endSession" });
          log("info", { keptSeconds: event.keptSeconds, askedSeconds: RESUME_MAX_SECONDS }, "the server would show a crashed device online that long: starting a session without resumption (XEP-0198)");
          break;
        }
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
        if (s.endAfterLogin && s.phase === "up") actions.push({ type: "endSession" });
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
        if (s.endAfterLogin) {
          s.endAfterLogin = false;
          logIn();
          break;
        }
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
