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

test("an action the stage does not offer is bad-action, an unknown one malformed-action; any error ends the session", async () => {
  const { sessions, ask } = machine();
  ok(await ask({}));
  assert.equal(failure(await ask({ sessionid: "s1", action: "complete" })), "bad-action");
  assert.equal(sessions.openCount(), 0);
  assert.equal(failure(await ask({ sessionid: "s1", form: form({ name: "z" }) })), "session-expired", "start it again");
  ok(await ask({}));
  assert.equal(failure(await ask({ sessionid: "s2", action: "prev" })), "bad-action");
  ok(await ask({}));
  assert.equal(failure(await ask({ sessionid: "s3", action: "jump" })), "malformed-action");
  ok(await ask({}));
  assert.equal(failure(await ask({ sessionid: "s4" })), "bad-payload", "no form on page 1");
  ok(await ask({ lang: "en" }));
  assert.equal(failure(await ask({ sessionid: "s5", lang: "de" })), "bad-locale");
  ok(await ask({}));
  assert.equal(failure(await ask({ sessionid: "s6", node: "once" })), "bad-sessionid");
  assert.equal(sessions.openCount(), 0);
  assert.equal(failure(await ask({ action: "next" })), "bad-action", "a new session starts with execute");
});

test("next (slixmpp's, poezio's way to submit) or execute on the last page means complete", async () => {
  const { sessions, ask } = machine();
  ok(await ask({}));
  ok(await ask({ sessionid: "s1", action: "next", form: form({ name: "x" }) }));
  const done = ok(await ask({ sessionid: "s1", action: "next" }));
  assert.deepEqual([done.status, done.notes[0]?.text], ["completed", "done: x"]);
  ok(await ask({}));
  ok(await ask({ sessionid: "s2", action: "execute", form: form({ name: "y" }) }));
  assert.equal(failure(await ask({ sessionid: "s2", action: "execute" })), "ok completed");
  assert.equal(sessions.openCount(), 0);
});

test("an unknown id, another requester's id or another node's is bad-sessionid; an unknown node item-not-found", async () => {
  const { ask } = machine();
  ok(await ask({}));
  assert.equal(failure(await ask({ sessionid: "nope" })), "bad-sessionid");
  assert.equal(failure(await ask({ sessionid: "s1", from: "op@example.org/laptop" })), "bad-sessionid");
  assert.equal(failure(await ask({ sessionid: "s1", from: "mallory@example.org/x" })), "bad-sessionid");
  assert.equal(failure(await ask({ node: "reboot" })), "item-not-found");
  assert.equal(failure(await ask({ sessionid: "s1", form: form({ name: "x" }) })), "ok executing", "another's mistake does not end it");
});

test("a session idle for 10 minutes expires; using it later is session-expired; using it keeps it alive", async () => {
  const { sessions, ask, advance } = machine();
  ok(await ask({}));
  ok(await ask({ from: "op@example.org/laptop" }));
  advance(9 * 60_000);
  assert.equal(failure(await ask({ sessionid: "s2", from: "op@example.org/laptop", action: "cancel" })), "ok canceled");
  advance(60_000);
  assert.equal(sessions.openCount(), 1, "s1 unused for 9 minutes is still open");
  advance(1);
  ok(await ask({ node: "once" }));
  assert.equal(sessions.openCount(), 0, "swept at the next request");
  assert.equal(failure(await ask({ sessionid: "s1", form: form({ name: "x" }) })), "session-expired");
});

test("past 2 open sessions per person (any resource) the least recently used one ends; one-stage commands need no slot", async () => {
  const { sessions, ask, advance } = machine();
  ok(await ask({}));
  advance(1000);
  ok(await ask({ from: "op@example.org/laptop" }));
  advance(1000);
  ok(await ask({ sessionid: "s1", form: form({ name: "x" }) }));
  advance(1000);
  ok(await ask({ from: "op@example.org/tablet" }));
  assert.equal(failure(await ask({ sessionid: "s2", from: "op@example.org/laptop", form: form({ name: "x" }) })), "session-expired", "s2 was idle longest");
  assert.equal(failure(await ask({ sessionid: "s1", action: "complete" })), "ok completed");
  assert.equal(failure(await ask({ node: "once" })), "ok completed");
  ok(await ask({ from: "other@example.org/x" }));
  assert.equal(sessions.openCount(), 2, "s3 and the other person's");
});

test("execute again from the same full JID replaces its open session of that command", async () => {
  const { sessions, ask } = machine({ idleMs: 600_000, maxPerRequester: 5, rememberEnded: 10 });
  for (let i = 0; i < 6; i++) ok(await ask({}));
  assert.equal(sessions.openCount(), 1);
  assert.equal(failure(await ask({ sessionid: "s5", form: form({ name: "x" }) })), "session-expired");
  assert.equal(failure(await ask({ sessionid: "s6", form: form({ name: "x" }) })), "ok executing");
  ok(await ask({ from: "op@example.org/laptop" }));
  assert.equal(sessions.openCount(), 2, "another resource keeps its own");
});

test("a session keeps the language it started in (any case); another is bad-locale", async () => {
  const { ask } = machine();
  ok(await ask({ lang: "en" }));
  assert.equal(failure(await ask({ sessionid: "s1", lang: "EN", form: form({ name: "x" }) })), "ok executing");
  assert.equal(failure(await ask({ sessionid: "s1", lang: "de" })), "bad-locale");
});

test("only the last few ended ids are remembered: older ones read as unknown", async () => {
  const { ask } = machine();
  for (let i = 0; i < 4; i++) ok(await ask({ node: "once" }));
  assert.equal(failure(await ask({ node: "once", sessionid: "s1" })), "bad-sessionid");
  assert.equal(failure(await ask({ node: "once", sessionid: "s2" })), "session-expired");
});
