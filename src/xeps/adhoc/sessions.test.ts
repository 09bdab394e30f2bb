import { test } from "node:test";
import assert from "node:assert/strict";
import { xml } from "@xmpp/client";
import { completed, type AdhocCommand, type Executing } from "./command.js";
import { commandSessions, type AdhocOutcome, type AdhocRequest } from "./sessions.js";
import type { SubmittedForm } from "../forms.js";

const OP = "op@example.org/phone";
const form = (values: Record<string, string>): SubmittedForm => ({ values: new Map(Object.entries(values).map(([k, v]) => [k, [v]])) });

// A two-page wizard: name, then confirm (with back); finishing says what was chosen
const wizard: AdhocCommand = {
  node: "wizard",
  name: "Wizard",
  start: () => page1,
};
const page1: Executing = {
  status: "executing",
  payload: [xml("x", { xmlns: "jabber:x:data", type: "form" })],
  actions: ["next"],
  execute: "next",
  submit: ({ form: f }) => (f ? page2(f.values.get("name")?.[0] ?? "") : { refused: "bad-payload", text: "no form" }),
};
const page2 = (name: string): Executing => ({
  status: "executing",
  notes: [{ type: "info", text: `name ${name}` }],
  payload: [],
  actions: ["prev", "complete"],
  execute: "complete",
  submit: () => completed([{ type: "info", text: `done: ${name}` }]),
});
const once: AdhocCommand = { node: "once", name: "Once", start: () => completed([{ type: "info", text: "hi" }]) };

function machine(rules = { idleMs: 600_000, maxPerRequester: 2, rememberEnded: 3 }) {
  let clock = 1_000_000;
  let n = 0;
  const sessions = commandSessions({ commands: [wizard, once], rules, now: () => clock, newId: () => `s${++n}` });
  const ask = (r: Partial<AdhocRequest>) => sessions.handle({ from: OP, node: "wizard", form: null, ...r });
  return { sessions, ask, advance: (ms: number) => (clock += ms) };
}
const ok = (o: AdhocOutcome) => {
  assert.ok(o.ok, JSON.stringify(o));
  return o;
};
const failure = (o: AdhocOutcome) => (o.ok ? `ok ${o.status}` : o.failure);

test("a one-stage command completes at once with a sessionid and keeps no session open", async () => {
  const { sessions, ask } = machine();
  const done = ok(await ask({ node: "once" }));
  assert.deepEqual([done.status, done.sessionid, done.notes[0]?.text, done.actions], ["completed", "s1", "hi", undefined]);
  assert.equal(sessions.openCount(), 0);
  assert.equal(failure(await ask({ node: "once", sessionid: "s1" })), "session-expired");
});

test("a wizard goes forward, back, and completes; execute means the stage's default", async () => {
  const { sessions, ask } = machine();
  const first = ok(await ask({}));
  assert.deepEqual([first.status, first.actions], ["executing", { allowed: ["next"], execute: "next" }]);
  const second = ok(await ask({ sessionid: "s1", action: "execute", form: form({ name: "x" }) }));
  assert.deepEqual([second.notes[0]?.text, second.actions?.execute], ["name x", "complete"]);
  const back = ok(await ask({ sessionid: "s1", action: "prev" }));
  assert.deepEqual(back.actions?.allowed, ["next"]);
  ok(await ask({ sessionid: "s1", action: "next", form: form({ name: "y" }) }));
  const done = ok(await ask({ sessionid: "s1", action: "complete" }));
  assert.deepEqual([done.status, done.notes[0]?.text], ["completed", "done: y"]);
  assert.equal(sessions.openCount(), 0);
  assert.equal(failure(await ask({ sessionid: "s1", action: "complete" })), "session-expired");
});

test("cancel ends a session with status canceled; the id is then expired", async () => {
  const { sessions, ask } = machine();
  ok(await ask({}));
  const canceled = ok(await ask({ sessionid: "s1", action: "cancel" }));
  assert.deepEqual([canceled.status, canceled.payload, canceled.actions], ["canceled", [], undefined]);
  assert.equal(sessions.openCount(), 0);
  assert.equal(failure(await ask({ sessionid: "s1", action: "cancel" })), "session-expired");
});

test("an action the stage does not offer is bad-action, an unknown one malformed-action; the session survives", async () => {
  const { ask } = machine();
  ok(await ask({}));
  assert.equal(failure(await ask({ sessionid: "s1", action: "complete" })), "bad-action");
  assert.equal(failure(await ask({ sessionid: "s1", action: "prev" })), "bad-action");
  assert.equal(failure(await ask({ sessionid: "s1", action: "jump" })), "malformed-action");
  assert.equal(failure(await ask({ action: "next" })), "bad-action", "a new session starts with execute");
  assert.equal(failure(await ask({ sessionid: "s1" })), "bad-payload", "no form on page 1");
  assert.equal(failure(await ask({ sessionid: "s1", form: form({ name: "z" }) })), "ok executing");
});

test("an unknown id, another requester's id or another node's is bad-sessionid; an unknown node item-not-found", async () => {
  const { ask } = machine();
  ok(await ask({}));
  assert.equal(failure(await ask({ sessionid: "nope" })), "bad-sessionid");
  assert.equal(failure(await ask({ sessionid: "s1", from: "op@example.org/laptop" })), "bad-sessionid");
  assert.equal(failure(await ask({ sessionid: "s1", node: "once" })), "bad-sessionid");
  assert.equal(failure(await ask({ node: "reboot" })), "item-not-found");
});

test("a session idle for 10 minutes expires; using it later is session-expired; using it keeps it alive", async () => {
  const { sessions, ask, advance } = machine();
  ok(await ask({}));
  ok(await ask({}));
  advance(9 * 60_000);
  assert.equal(failure(await ask({ sessionid: "s2", action: "cancel" })), "ok canceled");
  advance(60_000);
  assert.equal(sessions.openCount(), 1, "s1 unused for 9 minutes is still open");
  advance(1);
  ok(await ask({ node: "once" }));
  assert.equal(sessions.openCount(), 0, "swept at the next request");
  assert.equal(failure(await ask({ sessionid: "s1", form: form({ name: "x" }) })), "session-expired");
});

test("a requester may hold 2 open sessions (any resource of the bare JID); the third is refused until one ends", async () => {
  const { ask } = machine();
  ok(await ask({}));
  ok(await ask({ from: "op@example.org/laptop" }));
  assert.equal(failure(await ask({})), "too-many-sessions");
  assert.equal(failure(await ask({ node: "once" })), "ok completed", "one-stage commands need no slot");
  assert.equal(failure(await ask({ from: "other@example.org/x" })), "ok executing");
  ok(await ask({ sessionid: "s1", action: "cancel" }));
  assert.equal(failure(await ask({})), "ok executing");
});

test("a session keeps the language it started in: another is bad-locale", async () => {
  const { ask } = machine();
  ok(await ask({ lang: "en" }));
  assert.equal(failure(await ask({ sessionid: "s1", lang: "de", form: form({ name: "x" }) })), "bad-locale");
  assert.equal(failure(await ask({ sessionid: "s1", lang: "EN", form: form({ name: "x" }) })), "ok executing");
});

test("only the last few ended ids are remembered: older ones read as unknown", async () => {
  const { ask } = machine();
  for (let i = 0; i < 4; i++) ok(await ask({ node: "once" }));
  assert.equal(failure(await ask({ node: "once", sessionid: "s1" })), "bad-sessionid");
  assert.equal(failure(await ask({ node: "once", sessionid: "s2" })), "session-expired");
});
