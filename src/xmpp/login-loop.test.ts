import { test } from "node:test";
import assert from "node:assert/strict";
import { reconnectBackoff } from "./backoff.js";
import { FatalLoginError } from "./credentials.js";
import { loginLoop, type LoginAction, type LoginEvent } from "./login-loop.js";

/** The loop with xmpp.reconnectMaxSeconds 300, a 10 s login step timeout, and the dice at 1 (each delay the top of
 * its range: 1, 2, 4 s ... up to 300 s) unless told. */
function link(random = () => 1) {
  const machine = loginLoop({ backoff: reconnectBackoff(300_000), loginStepTimeoutMs: 10_000, keepaliveTimeoutSeconds: 6, random });
  let state = machine.initial;
  return {
    get state() {
      return state;
    },
    on(event: LoginEvent, now = 1_000): LoginAction[] {
      const next = machine.step(state, event, now);
      state = next.state;
      return next.actions;
    },
  };
}

const error = (message: string, more: { name?: string; condition?: string; code?: string } = {}) => Object.assign(new Error(message), more);
const said = (actions: LoginAction[]) => actions.flatMap((a) => (a.type === "log" ? [a.msg] : []));
const retryIn = (actions: LoginAction[]) => actions.flatMap((a) => (a.type === "startTimer" ? [a.delayMs] : []))[0];

/** Started and logged in, at `now`. */
function up(l = link(), now = 1_000) {
  l.on({ type: "start" }, now);
  l.on({ type: "online", jid: "pi@example.org/agent", keptSeconds: 0 }, now);
  l.on({ type: "loginSucceeded" }, now);
  return l;
}

test("start logs in once; a second start does nothing", () => {
  const l = link();
  assert.deepEqual(l.on({ type: "start" }), [{ type: "logIn" }]);
  assert.equal(l.state.phase, "loggingIn");
  assert.deepEqual(l.on({ type: "start" }), []);
  l.on({ type: "loginSucceeded" });
  assert.deepEqual(l.on({ type: "start" }), []);
});

test("a new session is logged with its JID and handed on; the login attempt's end makes the link up", () => {
  const l = link();
  l.on({ type: "start" });
  assert.deepEqual(l.on({ type: "online", jid: "pi@example.org/agent", keptSeconds: 0 }, 5_000), [
    { type: "log", level: "info", fields: { jid: "pi@example.org/agent" }, msg: "online" },
    { type: "session" },
  ]);
  assert.equal(l.state.onlineSince, 5_000);
  assert.deepEqual(l.on({ type: "loginSucceeded" }), []);
  assert.equal(l.state.phase, "up");
});

test("a resumed stream (XEP-0198) is logged and handed on, with no new session", () => {
  const l = link();
  l.on({ type: "start" });
  assert.deepEqual(l.on({ type: "resumed" }, 7_000), [
    { type: "log", level: "info", fields: {}, msg: "stream resumed (XEP-0198)" },
    { type: "resumed" },
  ]);
  assert.equal(l.state.onlineSince, 7_000);
});

test("a lost link is logged, and the login tried again after the backoff", () => {
  const l = up();
  assert.deepEqual(l.on({ type: "disconnect", clean: false }), [
    { type: "log", level: "warn", fields: { clean: false }, msg: "disconnected" },
    { type: "log", level: "info", fields: { attempt: 1, delayMs: 1000 }, msg: "reconnecting after delay" },
    { type: "startTimer", delayMs: 1000 },
  ]);
  assert.equal(l.state.phase, "waiting");
  assert.deepEqual(l.on({ type: "retryDue" }), [{ type: "logIn" }]);
  assert.equal(l.state.phase, "loggingIn");
});

test("a disconnect while logging in, waiting or stopped says nothing and schedules nothing", () => {
  const l = link();
  l.on({ type: "start" });
  assert.deepEqual(l.on({ type: "disconnect", clean: false }), []);
  l.on({ type: "loginFailed", error: error("connect ECONNREFUSED 127.0.0.1:5222", { code: "ECONNREFUSED" }) });
  // The failed login's socket closing after its retry was scheduled
  assert.deepEqual(l.on({ type: "disconnect", clean: false }), []);
  l.on({ type: "stop", withinMs: 1000 });
  assert.deepEqual(l.on({ type: "disconnect", clean: true }), []);
});

test("a timer that is not running any more does nothing", () => {
  assert.deepEqual(up().on({ type: "retryDue" }), []);
});

test("a failed login is logged with what the server or the socket said, and tried again after the backoff", () => {
  const l = link();
  l.on({ type: "start" });
  const actions = l.on({ type: "loginFailed", error: error("connect ECONNREFUSED 127.0.0.1:5222", { code: "ECONNREFUSED" }) });
  assert.deepEqual(actions, [
    { type: "log", level: "warn", fields: { err: { message: "connect ECONNREFUSED 127.0.0.1:5222", condition: undefined, code: "ECONNREFUSED" } }, msg: "login failed" },
    { type: "dropSocket" },
    { type: "log", level: "info", fields: { attempt: 1, delayMs: 1000 }, msg: "reconnecting after delay" },
    { type: "startTimer", delayMs: 1000 },
  ]);
  assert.equal(l.state.phase, "waiting");
});

test("an error with no message says what it was: an unanswered login step names the wait", () => {
  const message = (e: Error) => {
    const l = link();
    l.on({ type: "start" });
    const log = l.on({ type: "loginFailed", error: e })[0];
    return log?.type === "log" ? (log.fields.err as { message: string }).message : undefined;
  };
  assert.equal(message(error("", { name: "TimeoutError" })), "the server did not answer within 10 s");
  assert.equal(message(error("", { name: "StreamError", condition: "system-shutdown" })), "StreamError");
});

test("refused credentials end the loop: no retry, the agent is told (and exits)", () => {
  const l = link();
  l.on({ type: "start" });
  const actions = l.on({ type: "loginFailed", error: error("", { name: "SASLError", condition: "not-authorized" }) });
  assert.equal(l.state.phase, "stopped");
  assert.deepEqual(actions.slice(0, 2), [{ type: "stopKeepalive" }, { type: "dropSocket" }]);
  const fatal = actions[2];
  assert.ok(fatal?.type === "fatal" && fatal.error.kind === "auth");
  assert.equal(fatal.error.message, "the server refused the credentials (not-authorized): a wrong password, or an account that was deleted or disabled");
  assert.deepEqual(said(actions), []);
  assert.deepEqual(l.on({ type: "disconnect", clean: false }), []);
  assert.deepEqual(l.on({ type: "start" }), []);
});

test("an account disabled is fatal too, and the credentials policy's own refusal passes as it is; other SASL failures are retried", () => {
  const outcome = (e: Error) => {
    const l = link();
    l.on({ type: "start" });
    const actions = l.on({ type: "loginFailed", error: e });
    const fatal = actions.find((a) => a.type === "fatal");
    return fatal?.type === "fatal" ? fatal.error : l.state.phase;
  };
  assert.equal((outcome(error("", { name: "SASLError", condition: "account-disabled" })) as FatalLoginError).kind, "auth");
  const insecure = new FatalLoginError("refusing to send the password over an unencrypted link to example.org: ...", "insecure");
  assert.equal(outcome(insecure), insecure);
  assert.equal(outcome(error("", { name: "SASLError", condition: "temporary-auth-failure" })), "waiting");
});

test("the backoff grows with each failure, stops at the cap, and spreads over its range (full jitter, 0.5 s floor)", () => {
  const l = link();
  l.on({ type: "start" });
  const delays: unknown[] = [];
  for (let i = 0; i < 10; i++) {
    delays.push(retryIn(l.on({ type: "loginFailed", error: error("connect ECONNREFUSED 127.0.0.1:5222") })));
    l.on({ type: "retryDue" });
  }
  assert.deepEqual(delays, [1000, 2000, 4000, 8000, 16_000, 32_000, 64_000, 128_000, 256_000, 300_000]);
  const dice = [0, 0.5];
  const jittered = link(() => dice.shift()!);
  jittered.on({ type: "start" });
  assert.equal(retryIn(jittered.on({ type: "loginFailed", error: error("x") })), 500);
  jittered.on({ type: "retryDue" });
  assert.equal(retryIn(jittered.on({ type: "loginFailed", error: error("x") })), 1000);
});

test("a session that lasted 10 s starts the backoff over; a quick drop does not, so a server that drops at once is retried ever more slowly", () => {
  const lost = (l: ReturnType<typeof link>, at: number, lasted: number) => {
    l.on({ type: "online", jid: "pi@example.org/agent", keptSeconds: 0 }, at - lasted);
    l.on({ type: "loginSucceeded" }, at - lasted);
    const actions = l.on({ type: "disconnect", clean: false }, at);
    l.on({ type: "retryDue" }, at);
    return retryIn(actions);
  };
  const l = link();
  l.on({ type: "start" }, 0);
  // Five server restarts 10-25 s apart, each session up 10 s or more: every reconnect waits about a second
  assert.deepEqual([10_000, 35_000, 50_000, 70_000, 95_000].map((at) => lost(l, at, 10_000)), [1000, 1000, 1000, 1000, 1000]);
  // Accepted and dropped at once, again and again: 1, 2, 4 ... s, up to the cap
  const quick = [];
  for (let i = 0; i < 12; i++) quick.push(lost(l, 1_000_000 + i * 400_000, 50));
  assert.deepEqual(quick, [2000, 4000, 8000, 16_000, 32_000, 64_000, 128_000, 256_000, 300_000, 300_000, 300_000, 300_000]);
});

test("for a minute after a good session was lost, no wait is over 8 s: back within seconds of a server restart", () => {
  const l = up(link(), 1);
  const delays = [retryIn(l.on({ type: "disconnect", clean: false }, 60_000))];
  // The server is down: each login fails at once, until a minute has passed
  for (let at = 60_000 + 1000; delays.length < 9; at += 10_000) {
    l.on({ type: "retryDue" }, at);
    delays.push(retryIn(l.on({ type: "loginFailed", error: error("connect ECONNREFUSED 127.0.0.1:5222") }, at)));
  }
  assert.deepEqual(delays, [1000, 2000, 4000, 8000, 8000, 8000, 8000, 128_000, 256_000]);
});

test("a server that would keep a crashed device's session longer than asked: ended cleanly, a new one without resumption, and never asked again", () => {
  const l = link();
  l.on({ type: "start" }, 0);
  // Prosody 0.12: <enabled resume='true' max='600'/> whatever we asked
  const bound = l.on({ type: "online", jid: "pi@example.org/agent", keptSeconds: 600 }, 100);
  assert.deepEqual(bound.map((a) => a.type), ["log"]);
  assert.equal(l.state.resumption, "refused");
  assert.deepEqual(l.on({ type: "loginSucceeded" }, 110), [{ type: "endSession" }]);
  // The clean close's disconnect: a new login at once, not after a backoff, and not logged as a lost link
  assert.deepEqual(l.on({ type: "disconnect", clean: true }, 150), [{ type: "logIn" }]);
  assert.deepEqual(said(l.on({ type: "online", jid: "pi@example.org/agent", keptSeconds: 0 }, 200)), ["online"]);
  assert.deepEqual(l.on({ type: "loginSucceeded" }, 210), []);
  // A later lost link: the usual backoff
  assert.equal(retryIn(l.on({ type: "disconnect", clean: false }, 60_000)), 1000);
});

test("a server that honours the max asked (ejabberd), or grants no resumption: the session is kept as it is", () => {
  for (const keptSeconds of [30, 0]) {
    const l = link();
    l.on({ type: "start" });
    assert.deepEqual(said(l.on({ type: "online", jid: "pi@example.org/agent", keptSeconds })), ["online"]);
    assert.deepEqual(l.on({ type: "loginSucceeded" }), []);
    assert.equal(l.state.resumption, "ask");
  }
});

test("client errors outside a login are logged; a login's own errors are left to its end", () => {
  const streamError = error("host-unknown", { condition: "host-unknown" });
  assert.deepEqual(up().on({ type: "clientError", error: streamError }), [
    { type: "log", level: "warn", fields: { err: { message: "host-unknown", condition: "host-unknown" } }, msg: "xmpp error" },
  ]);
  const l = link();
  l.on({ type: "start" });
  assert.deepEqual(l.on({ type: "clientError", error: streamError }), []);
  l.on({ type: "stop", withinMs: 1000 });
  assert.deepEqual(l.on({ type: "clientError", error: streamError }), []);
});

test("a dead link found by the keepalive: logged, an unconfirmed resumed session forgotten, the socket dropped", () => {
  const l = up();
  assert.deepEqual(l.on({ type: "keepaliveDead" }), [
    { type: "log", level: "warn", fields: { timeoutSeconds: 6 }, msg: "keepalive: server did not answer a ping, reconnecting" },
    { type: "forgetUnconfirmedResume" },
    { type: "dropSocket" },
  ]);
  assert.equal(l.state.phase, "up"); // the socket's disconnect is what schedules the retry
});

test("stop closes the stream within the time given and cancels a pending retry", () => {
  const l = up();
  assert.deepEqual(l.on({ type: "stop", withinMs: 2500 }), [{ type: "stopKeepalive" }, { type: "closeStream", withinMs: 2500 }]);
  assert.equal(l.state.phase, "stopped");
  const waiting = up();
  waiting.on({ type: "disconnect", clean: false });
  assert.deepEqual(waiting.on({ type: "stop", withinMs: 2500 }), [{ type: "cancelTimer" }, { type: "stopKeepalive" }, { type: "closeStream", withinMs: 2500 }]);
});

test("stop during a login: the attempt still ends, its failure is logged but not retried", () => {
  const l = link();
  l.on({ type: "start" });
  l.on({ type: "stop", withinMs: 2500 });
  assert.equal(l.state.phase, "stopping");
  const actions = l.on({ type: "loginFailed", error: error("the server closed the connection during login") });
  assert.deepEqual(said(actions), ["login failed"]);
  assert.equal(retryIn(actions), undefined);
  assert.equal(l.state.phase, "stopped");

  const succeeded = link();
  succeeded.on({ type: "start" });
  succeeded.on({ type: "stop", withinMs: 2500 });
  assert.deepEqual(succeeded.on({ type: "loginSucceeded" }), []);
  assert.equal(succeeded.state.phase, "stopped");
});
