import { test } from "node:test";
import assert from "node:assert/strict";
import { reconnectBackoff } from "../xmpp/backoff.js";
import { membershipMachine, type MembershipAction, type MembershipEvent } from "./membership-machine.js";
import type { RoomPresence } from "./stanzas.js";

const ROOM = "fleet@conference.example.org";
const NOT_IN = "fleet: not in the room; joining again after a delay";

/** The machine with the dice at 1 (each delay the top of its range: 1, 2, 4 s ... up to 300 s). */
function membership({ presence = true } = {}) {
  const world = { presence };
  const machine = membershipMachine({ room: ROOM, nick: "pi-42", backoff: reconnectBackoff(300_000), hasPresence: () => world.presence, random: () => 1 });
  let state = machine.initial;
  return {
    world,
    get state() {
      return state;
    },
    on(event: MembershipEvent, now = 1_000): MembershipAction[] {
      const next = machine.step(state, event, now);
      state = next.state;
      return next.actions;
    },
  };
}

const occupant = (nick: string, more: Partial<RoomPresence> = {}): RoomPresence => ({
  nick, kind: "available", self: false, codes: new Set(), realJid: null, destroyed: null, error: null, ...more,
});
/** Our own presence (110), with more status codes. */
const ours = (nick: string, codes: number[] = [], more: Partial<RoomPresence> = {}) => occupant(nick, { self: true, codes: new Set([110, ...codes]), ...more });
const refusal = (nick: string, condition: string) => occupant(nick, { kind: "error", error: { condition, text: null } });
const logs = (actions: MembershipAction[]) => actions.flatMap((a) => (a.type === "log" ? [a] : []));
const retryLog = (actions: MembershipAction[]) => logs(actions).find((a) => a.msg === NOT_IN);

/** Through the lookup to the join presence sent as pi-42. */
function joining(m = membership()) {
  m.on({ type: "sessionStarted" });
  m.on({ type: "presenceChanged" });
  m.on({ type: "lookupAnswered", attempt: m.state.attempt, missing: null });
  return m;
}
function joined(m = membership(), now = 1_000) {
  joining(m);
  m.on({ type: "roomPresence", presence: ours("pi-42", [100]) }, now);
  return m;
}

test("before a session the room's stanzas and the publisher's presences do nothing", () => {
  const m = membership();
  assert.deepEqual(m.on({ type: "presenceChanged" }), []);
  assert.deepEqual(m.on({ type: "roomPresence", presence: ours("pi-42") }), []);
  assert.deepEqual(m.on({ type: "roomNotice", codes: new Set([172]) }), []);
  assert.equal(m.state.phase, "offline");
});

test("a new session waits for the publisher's first presence, then asks the room whether it exists", () => {
  const m = membership();
  assert.deepEqual(m.on({ type: "sessionStarted" }), [{ type: "clearOccupants" }]);
  assert.equal(m.state.phase, "waiting");
  const actions = m.on({ type: "presenceChanged" });
  assert.equal(m.state.phase, "joining");
  assert.deepEqual(actions, [
    { type: "log", level: "debug", fields: { room: ROOM }, msg: "fleet: asking whether the room exists" },
    { type: "lookUpRoom", attempt: m.state.attempt },
  ]);
});

test("with no presence from the publisher yet, the room is not asked", () => {
  const m = membership({ presence: false });
  m.on({ type: "sessionStarted" });
  assert.deepEqual(m.on({ type: "presenceChanged" }), []);
  assert.equal(m.state.phase, "waiting");
});

test("a room that exists gets the join presence as pi-42, with a 30 s wait for its answer", () => {
  const m = membership();
  m.on({ type: "sessionStarted" });
  m.on({ type: "presenceChanged" });
  const actions = m.on({ type: "lookupAnswered", attempt: m.state.attempt, missing: null });
  assert.deepEqual(actions, [
    { type: "clearOccupants" },
    { type: "log", level: "info", fields: { room: ROOM, nick: "pi-42" }, msg: "fleet: joining the room" },
    { type: "sendJoin", occupant: `${ROOM}/pi-42` },
    { type: "startTimer", timer: "joinTimedOut", delayMs: 30_000 },
  ]);
});

test("the publisher's presence gone by the time the room answers: back to waiting for one", () => {
  const m = membership();
  m.on({ type: "sessionStarted" });
  m.on({ type: "presenceChanged" });
  m.world.presence = false;
  assert.deepEqual(m.on({ type: "lookupAnswered", attempt: m.state.attempt, missing: null }), []);
  assert.equal(m.state.phase, "waiting");
});

test("a room that does not exist is not joined (a join would create it): asked again after the backoff", () => {
  const m = membership();
  m.on({ type: "sessionStarted" });
  m.on({ type: "presenceChanged" });
  const actions = m.on({ type: "lookupAnswered", attempt: m.state.attempt, missing: "item-not-found" });
  assert.equal(m.state.phase, "retrying");
  assert.deepEqual(actions, [
    { type: "clearOccupants" },
    {
      type: "log", level: "error", msg: NOT_IN,
      fields: { room: ROOM, nick: "pi-42", why: "the room does not exist (devices do not create it)", condition: "item-not-found", delayMs: 1000 },
    },
    { type: "startTimer", timer: "retryDue", delayMs: 1000 },
  ]);
  const again = m.on({ type: "retryDue" });
  assert.equal(m.state.phase, "joining");
  assert.deepEqual(again.at(-1), { type: "lookUpRoom", attempt: m.state.attempt });
});

test("a lookup answered after what it was for was cancelled is ignored", () => {
  const m = membership();
  m.on({ type: "sessionStarted" });
  m.on({ type: "presenceChanged" });
  const stale = m.state.attempt;
  m.on({ type: "sessionStarted" });
  m.on({ type: "presenceChanged" });
  assert.deepEqual(m.on({ type: "lookupAnswered", attempt: stale, missing: null }), []);
  assert.deepEqual(m.on({ type: "lookupAnswered", attempt: stale, missing: "gone" }), []);
  assert.equal(m.state.phase, "joining");
});

test("in the room: it says whether the room shows real JIDs, and the join timer stops", () => {
  const m = joining();
  const actions = m.on({ type: "roomPresence", presence: ours("pi-42", [100]) }, 5_000);
  assert.equal(m.state.phase, "joined");
  assert.equal(m.state.joinedAt, 5_000);
  assert.deepEqual(actions, [
    { type: "seeOccupant", presence: ours("pi-42", [100]) },
    { type: "cancelTimer" },
    {
      type: "log", level: "info", fields: { room: ROOM, nick: "pi-42", realJidsShown: true },
      msg: "fleet: in the room; operators among its occupants may chat privately with the device",
    },
  ]);
  const hidden = joining().on({ type: "roomPresence", presence: ours("pi-42") });
  assert.deepEqual(logs(hidden).map((l) => l.msg), ["fleet: in the room; it hides occupants' real JIDs, so private messages from it get no answer"]);
});

test("the room may change our nick (7.2.14): we go by the one it gives", () => {
  const m = joining();
  m.on({ type: "roomPresence", presence: ours("pi-42-renamed") });
  assert.equal(m.state.currentNick, "pi-42-renamed");
  assert.deepEqual(m.on({ type: "presenceChanged" }), [{ type: "sendPresence", occupant: `${ROOM}/pi-42-renamed` }]);
});

test("a presence sent while joining goes to the room once in; later ones go at once", () => {
  const m = joining();
  assert.deepEqual(m.on({ type: "presenceChanged" }), []);
  const actions = m.on({ type: "roomPresence", presence: ours("pi-42", [100]) });
  assert.deepEqual(actions.at(-1), { type: "sendPresence", occupant: `${ROOM}/pi-42` });
  assert.deepEqual(m.on({ type: "presenceChanged" }), [{ type: "sendPresence", occupant: `${ROOM}/pi-42` }]);
});

test("a room our join created (201) is left at once and looked up again later", () => {
  const m = joining();
  const actions = m.on({ type: "roomPresence", presence: ours("pi-42", [201]) });
  assert.equal(m.state.phase, "retrying");
  assert.deepEqual(actions.find((a) => a.type === "sendLeave"), {
    type: "sendLeave", occupant: `${ROOM}/pi-42`, status: "this room is not set up; devices do not create it",
  });
  assert.equal(retryLog(actions)?.level, "error");
  assert.equal(retryLog(actions)?.fields.why, "the room does not exist (devices do not create it)");
});

test("a taken nick is retried at once as pi-42-2 ... pi-42-5, then the backoff and pi-42 again", () => {
  const m = joining();
  const second = m.on({ type: "roomPresence", presence: refusal("pi-42", "conflict") });
  assert.deepEqual(logs(second)[0], {
    type: "log", level: "info", fields: { room: ROOM, taken: "pi-42", next: "pi-42-2" }, msg: "fleet: nick taken, trying another",
  });
  assert.ok(second.some((a) => a.type === "sendJoin" && a.occupant === `${ROOM}/pi-42-2`));
  for (const nick of ["pi-42-2", "pi-42-3", "pi-42-4"]) m.on({ type: "roomPresence", presence: refusal(nick, "conflict") });
  assert.equal(m.state.currentNick, "pi-42-5");
  const last = m.on({ type: "roomPresence", presence: refusal("pi-42-5", "conflict") });
  assert.equal(m.state.phase, "retrying");
  assert.deepEqual(retryLog(last)?.fields, { room: ROOM, nick: "pi-42-5", why: "every nick from pi-42 to pi-42-5 is taken", delayMs: 1000 });
  m.on({ type: "retryDue" });
  const again = m.on({ type: "lookupAnswered", attempt: m.state.attempt, missing: null });
  assert.ok(again.some((a) => a.type === "sendJoin" && a.occupant === `${ROOM}/pi-42`));
});

test("a refused join says what the room's owners can do about it", () => {
  const m = joining();
  const actions = m.on({ type: "roomPresence", presence: refusal("pi-42", "registration-required") });
  assert.deepEqual(retryLog(actions), {
    type: "log", level: "error", msg: NOT_IN,
    fields: {
      room: ROOM, nick: "pi-42", why: "the room refused the join: registration-required", condition: "registration-required", text: null,
      hint: "the room is members-only: make the device's JID a member", delayMs: 1000,
    },
  });
});

test("a presence of ours refused once in the room: a conflict is a warning, anything else an error", () => {
  const conflict = retryLog(joined().on({ type: "roomPresence", presence: refusal("pi-42", "conflict") }));
  assert.equal(conflict?.level, "warn");
  assert.equal(conflict?.fields.why, "the room refused our presence: conflict");
  const forbidden = retryLog(joined().on({ type: "roomPresence", presence: refusal("pi-42", "forbidden") }));
  assert.equal(forbidden?.level, "error");
  assert.equal(forbidden?.fields.hint, "the device's JID is banned from the room");
});

test("no answer to the join in 30 s: the backoff, then the lookup again", () => {
  const m = joining();
  const actions = m.on({ type: "joinTimedOut" });
  assert.equal(m.state.phase, "retrying");
  assert.equal(retryLog(actions)?.level, "warn");
  assert.equal(retryLog(actions)?.fields.why, "no answer from the room");
});

test("a timer that is not running any more does nothing", () => {
  const m = joined();
  assert.deepEqual(m.on({ type: "joinTimedOut" }), []);
  assert.deepEqual(m.on({ type: "retryDue" }), []);
  assert.equal(m.state.phase, "joined");
});

test("kicked (307), banned (301), the room destroyed or removed otherwise: out, and in again after the backoff", () => {
  const out = (presence: RoomPresence) => {
    const m = joined();
    const actions = m.on({ type: "roomPresence", presence });
    assert.equal(m.state.phase, "retrying");
    const { level, fields } = retryLog(actions)!;
    return { level, why: fields.why, reason: fields.reason, alternate: fields.alternate, codes: fields.codes };
  };
  assert.deepEqual(out(ours("pi-42", [307], { kind: "unavailable" })), { level: "warn", why: "kicked by a moderator", reason: undefined, alternate: undefined, codes: undefined });
  assert.deepEqual(out(ours("pi-42", [301], { kind: "unavailable" })), { level: "error", why: "banned from the room", reason: undefined, alternate: undefined, codes: undefined });
  const destroyed = ours("pi-42", [], { kind: "unavailable", destroyed: { reason: "moving", alternate: "new@conference.example.org" } });
  assert.deepEqual(out(destroyed), { level: "warn", why: "the room was destroyed", reason: "moving", alternate: "new@conference.example.org", codes: undefined });
  assert.deepEqual(out(ours("pi-42", [322], { kind: "unavailable" })), { level: "warn", why: "removed from the room", reason: undefined, alternate: undefined, codes: [110, 322] });
});

test("our old nick going unavailable in a nick change (303) is not a departure", () => {
  const m = joined();
  assert.deepEqual(m.on({ type: "roomPresence", presence: ours("pi-42", [303], { kind: "unavailable" }) }), [
    { type: "seeOccupant", presence: ours("pi-42", [303], { kind: "unavailable" }) },
  ]);
  assert.equal(m.state.phase, "joined");
});

test("the backoff grows with each retry and starts over after a stay of more than a minute", () => {
  const kicked = ours("pi-42", [307], { kind: "unavailable" });
  const m = joined(membership(), 1);
  const delays: unknown[] = [];
  for (const stay of [10_000, 10_000, 61_000]) {
    const at = m.state.joinedAt + stay;
    delays.push(retryLog(m.on({ type: "roomPresence", presence: kicked }, at))?.fields.delayMs);
    m.on({ type: "retryDue" }, at);
    m.on({ type: "lookupAnswered", attempt: m.state.attempt, missing: null }, at);
    m.on({ type: "roomPresence", presence: ours("pi-42") }, at);
  }
  assert.deepEqual(delays, [1000, 2000, 1000]);
});

test("a new session starts the nick and the backoff over and cancels what was pending", () => {
  const m = joining();
  m.on({ type: "roomPresence", presence: refusal("pi-42", "forbidden") });
  m.on({ type: "retryDue" });
  m.on({ type: "lookupAnswered", attempt: m.state.attempt, missing: "gone" });
  assert.equal(m.state.failures, 2);
  assert.deepEqual(m.on({ type: "sessionStarted" }), [{ type: "cancelTimer" }, { type: "clearOccupants" }]);
  assert.deepEqual({ phase: m.state.phase, failures: m.state.failures, nickTry: m.state.nickTry }, { phase: "waiting", failures: 0, nickTry: 0 });
});

test("other occupants are followed whenever we have a session; our own stale presence out of the room is not", () => {
  const m = membership();
  m.on({ type: "sessionStarted" });
  const boss = occupant("boss", { realJid: "boss@example.org/phone" });
  assert.deepEqual(m.on({ type: "roomPresence", presence: boss }), [{ type: "seeOccupant", presence: boss }]);
  assert.deepEqual(m.on({ type: "roomPresence", presence: ours("pi-42") }), []);
});

test("the room turning non-anonymous (172) is asked for the occupant list again; semi-anonymous (173) is said", () => {
  const m = joined();
  assert.deepEqual(m.on({ type: "roomNotice", codes: new Set([172]) }), [
    { type: "log", level: "info", fields: { room: ROOM }, msg: "fleet: the room now shows occupants' real JIDs; asking it for the occupant list again" },
    { type: "askOccupantList", occupant: `${ROOM}/pi-42` },
  ]);
  assert.deepEqual(logs(m.on({ type: "roomNotice", codes: new Set([173]) })).map((l) => l.msg), [
    "fleet: the room now hides occupants' real JIDs; private messages from those it hides get no answer",
  ]);
  assert.deepEqual(joining().on({ type: "roomNotice", codes: new Set([172]) }), []);
});

test("leaving says why to the room when in it or joining, and nothing happens after", () => {
  const m = joined();
  assert.deepEqual(m.on({ type: "leave", status: "shutting down" }), [{ type: "sendLeave", occupant: `${ROOM}/pi-42`, status: "shutting down" }]);
  assert.equal(m.state.phase, "stopped");
  assert.deepEqual(m.on({ type: "sessionStarted" }), []);
  assert.deepEqual(m.on({ type: "roomPresence", presence: ours("pi-42") }), []);
  assert.deepEqual(m.on({ type: "presenceChanged" }), []);

  const out = joining();
  out.on({ type: "joinTimedOut" });
  assert.deepEqual(out.on({ type: "leave", status: "shutting down" }), [{ type: "cancelTimer" }]);
});

test("stop cancels the pending timer and ends the membership", () => {
  const m = joining();
  assert.deepEqual(m.on({ type: "stop" }), [{ type: "cancelTimer" }]);
  assert.equal(m.state.phase, "stopped");
  assert.deepEqual(m.on({ type: "joinTimedOut" }), []);
});
