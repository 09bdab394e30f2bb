import { test } from "node:test";
import assert from "node:assert/strict";
import { QUIET, alertId, step, wakeAt, type AlertAction, type AlertEvent, type AlertState } from "./life.js";
import { alertText, clockWithZone, lasted, plain } from "./format.js";

const MIN = 60_000;
const rules = { remindMs: 60 * MIN, flapChanges: 4, flapMs: 10 * MIN };
const crit = (reasons = ["temp 83°C >= 80"]): AlertEvent => ({ type: "health", level: "crit", reasons });
const warn: AlertEvent = { type: "health", level: "warn", reasons: ["temp 75°C >= 70"] };
const ok: AlertEvent = { type: "health", level: "ok", reasons: [] };
const tick: AlertEvent = { type: "tick" };

/** The sends of one step, as "kind reach" strings. */
const sends = (actions: AlertAction[]) => actions.flatMap((a) => (a.type === "send" ? [`${a.message.kind} ${a.reach}`] : []));
const replies = (actions: AlertAction[]) => actions.flatMap((a) => (a.type === "reply" ? [a.text] : []));

/** Runs events at the given minutes; returns every send, and the last state. */
function run(events: [number, AlertEvent][], from: AlertState = QUIET) {
  let state = from;
  const out: string[] = [];
  for (const [minute, event] of events) {
    const result = step(state, event, minute * MIN, rules);
    state = result.state;
    out.push(...sends(result.actions).map((s) => `${minute}: ${s}`));
  }
  return { state, out };
}

test("quiet -> open: the first bad level sends one alert, and a reminder is due remindMs later", () => {
  const { state, actions } = step(QUIET, crit(), 0, rules);
  assert.deepEqual(sends(actions), ["open crit"]);
  assert.equal(state.alert?.remindAt, 60 * MIN);
  assert.equal(wakeAt(state, rules), 60 * MIN);
});

test("ok samples send nothing; the same bad level again sends nothing", () => {
  assert.deepEqual(run([[0, ok], [1, ok]]).out, []);
  assert.deepEqual(run([[0, crit()], [1, crit(["temp 84°C >= 80"])]]).out, ["0: open crit"]);
});

test("open -> open: a level that moves within the alert updates it with one message, same id", () => {
  const { state, out } = run([[0, warn], [5, crit()], [9, warn]]);
  assert.deepEqual(out, ["0: open warn", "5: update crit", "9: update crit"]);
  assert.equal(state.alert?.worst, "crit", "reach stays at the worst level: a crit-only operator hears it through");
});

test("open -> quiet: ok again sends one recovery, reaching whoever the alert reached", () => {
  const { state, out } = run([[0, crit()], [23, ok]]);
  assert.deepEqual(out, ["0: open crit", "23: recovered crit"]);
  assert.equal(state.alert, null);
  assert.equal(wakeAt(state, rules), null);
});

test("open: a reminder every remindMs while not acknowledged", () => {
  const { out } = run([[0, crit()], [59, tick], [60, tick], [120, tick]]);
  assert.deepEqual(out, ["0: open crit", "60: remind crit", "120: remind crit"]);
});

test("remindMs 0: no reminders", () => {
  const { state } = step(QUIET, crit(), 0, { ...rules, remindMs: 0 });
  assert.equal(state.alert?.remindAt, null);
  assert.equal(wakeAt(state, rules), null);
});

test("open -> acked: reminders stop, the others are told who acked, the one who acked gets a reply; recovery still comes", () => {
  let { state } = run([[0, crit()]]);
  const id = state.alert!.id;
  const acked = step(state, { type: "ack", by: "alice@example.org" }, 5 * MIN, rules);
  assert.deepEqual(acked.actions.filter((a) => a.type === "send").map((a) => a.type === "send" && [a.message.kind, a.except]), [["acked", "alice@example.org"]]);
  assert.match(replies(acked.actions)[0]!, new RegExp(`^acknowledged alert ${id}`));
  state = acked.state;
  assert.deepEqual(run([[60, tick], [120, tick], [130, ok]], state).out, ["130: recovered crit"]);
});

test("ack with a wrong id, twice, or with nothing open: a reply that says why, nothing sent", () => {
  const open = run([[0, crit()]]).state;
  const id = open.alert!.id;
  const wrong = step(open, { type: "ack", by: "a@x", id: "zzzz" }, MIN, rules);
  assert.deepEqual(replies(wrong.actions), [`no alert zzzz is open; the open one is ${id} (send ack ${id})`]);
  assert.deepEqual(sends(wrong.actions), []);
  const right = step(open, { type: "ack", by: "a@x", id: id.toUpperCase() }, MIN, rules);
  assert.deepEqual(sends(right.actions), ["acked crit"]);
  assert.deepEqual(replies(step(right.state, { type: "ack", by: "b@x" }, MIN, rules).actions), [`alert ${id} was already acknowledged by a@x`]);
  assert.deepEqual(replies(step(QUIET, { type: "ack", by: "a@x" }, 0, rules).actions), ["no alert is open: nothing to acknowledge"]);
});

test("-> flapping: more than flapChanges changes in flapMs send one flapping message, then nothing per change", () => {
  const flips: [number, AlertEvent][] = [];
  for (let m = 0; m < 10; m++) flips.push([m, m % 2 ? ok : warn]);
  const { state, out } = run(flips);
  assert.deepEqual(out, ["0: open warn", "1: recovered warn", "2: open warn", "3: recovered warn", "4: flapping warn"]);
  assert.equal(state.flapping, true);
  assert.notEqual(state.alert, null, "a flapping alert stays open, even at an ok moment");
});

test("flapping -> quiet: once the level holds still for flapMs at ok, one recovery", () => {
  const flips: [number, AlertEvent][] = [];
  for (let m = 0; m < 10; m++) flips.push([m, m % 2 ? ok : warn]);
  const flapping = run(flips).state; // the last flip, at minute 9, was to ok
  assert.equal(wakeAt(flapping, rules), 19 * MIN);
  assert.deepEqual(run([[18, tick], [19, tick]], flapping).out, ["19: recovered warn"]);
});

test("flapping -> open: settling at a bad level sends that level once", () => {
  const flips: [number, AlertEvent][] = [];
  for (let m = 0; m < 6; m++) flips.push([m, m % 2 ? ok : crit()]);
  flips.push([6, crit()]);
  const { out, state } = run([...flips, [16, tick]]);
  assert.deepEqual(out.slice(-2), ["4: flapping crit", "16: update crit"]);
  assert.equal(state.flapping, false);
});

test("silenced: nothing is sent; unsilence while still bad sends the alert then", () => {
  const { out } = run([[0, { type: "silence", on: true }], [1, crit()], [70, tick], [80, { type: "silence", on: false }]]);
  assert.deepEqual(out, ["80: open crit"]);
});

test("silenced: an alert that began and ended inside the silence is never sent", () => {
  assert.deepEqual(run([[0, { type: "silence", on: true }], [1, crit()], [2, ok], [3, { type: "silence", on: false }]]).out, []);
});

test("silenced during an open alert: the level's moves are held, and the difference is told on unsilence", () => {
  const { out } = run([[0, warn], [1, { type: "silence", on: true }], [2, crit()], [3, { type: "silence", on: false }]]);
  assert.deepEqual(out, ["0: open warn", "3: update crit"]);
});

test("health unreadable opens an alert like crit does", () => {
  assert.deepEqual(sends(step(QUIET, { type: "health", level: "unknown", reasons: ["health unreadable"] }, 0, rules).actions), ["open unknown"]);
});

test("an alert id is four base-36 characters from the second it opened, never the previous one's", () => {
  assert.match(alertId(Date.UTC(2026, 0, 1), null), /^[0-9a-z]{4}$/);
  const id = alertId(5000, null);
  assert.notEqual(alertId(5000, id), id);
});

test("the first line reads on a lock screen: device, level, reasons; no <, > or &; times with their zone", () => {
  const { state, actions } = step(QUIET, crit(["temp 83°C >= 80", "disk / 96% >= 95"]), Date.UTC(2026, 0, 1, 13, 2), rules);
  const send = actions.find((a) => a.type === "send")!;
  assert.equal(send.type, "send");
  const text = alertText("pi-42", send.type === "send" ? send.message : (undefined as never), Date.UTC(2026, 0, 1, 13, 2), "Europe/Berlin");
  assert.equal(text.split("\n")[0], "pi-42 CRIT: temp 83°C ≥ 80, disk / 96% ≥ 95");
  assert.equal(text.split("\n")[1], `since 14:02 CET, alert ${state.alert!.id}. Reply "ack ${state.alert!.id}" to stop reminders`);
  assert.doesNotMatch(text, /[<>&]/);
  assert.equal(plain("a & b < c"), "a and b  c");
});

test("durations and clock times as an operator reads them", () => {
  assert.equal(lasted(40_000), "40 s");
  assert.equal(lasted(23 * MIN), "23 min");
  assert.equal(lasted(63 * MIN), "1 h 3 min");
  assert.equal(lasted(26 * 60 * MIN), "1 d 2 h");
  assert.equal(clockWithZone(Date.UTC(2026, 6, 1, 12, 5), "UTC"), "12:05 UTC");
});
