import { test } from "node:test";
import assert from "node:assert/strict";
import { NO_PROBLEMS, reminderInterval, reminderStep, type ReminderEvent, type ReminderState } from "./reminders.js";
import { initialFleet, type FleetState, type Note } from "./fleet.js";

const REMIND = 60_000;
const note = (device: string, kind: Note["kind"], level: Note["level"] = null, at = 0): Note => ({ device: `${device}@x`, kind, level, status: "", at });

function reminders() {
  let state: ReminderState = NO_PROBLEMS;
  return {
    get state() {
      return state;
    },
    /** What this event did, in short: "remind pi-3,pi-4", "acked pi-3 (before: )". */
    on(event: ReminderEvent, now: number): string[] {
      const next = reminderStep(state, event, now, REMIND);
      state = next.state;
      const names = (ps: { device: string }[]) => ps.map((p) => p.device.split("@")[0]).sort().join(",");
      return next.actions.map((a) => (a.type === "remind" ? `remind ${names(a.problems)}` : `acked ${names(a.problems)} (before: ${names(a.before)})`));
    },
  };
}
/** A fleet where the named devices are crit and the rest ok. */
function fleetWith(crit: string[], all = ["pi-3", "pi-4"]): FleetState {
  const fleet = initialFleet(all.map((d) => `${d}@x`), 0);
  for (const d of all) fleet[`${d}@x`] = { ...fleet[`${d}@x`]!, seen: "online", level: crit.includes(d) ? "crit" : "ok" };
  return fleet;
}
const tick = (crit: string[]): ReminderEvent => ({ type: "tick", fleet: fleetWith(crit) });

test("one reminder every remindMs naming every unacked problem; a device that recovers drops out", () => {
  const r = reminders();
  r.on({ type: "note", note: note("pi-3", "level", "crit") }, 0);
  assert.deepEqual(r.on(tick(["pi-3"]), REMIND - 1), []);
  r.on({ type: "note", note: note("pi-4", "level", "crit", 30_000) }, 30_000);
  assert.deepEqual(r.on(tick(["pi-3", "pi-4"]), REMIND), ["remind pi-3,pi-4"]);
  assert.deepEqual(r.on(tick(["pi-3", "pi-4"]), REMIND + 1000), []);
  r.on({ type: "note", note: note("pi-3", "level", "ok") }, 90_000);
  assert.deepEqual(r.on(tick(["pi-4"]), 2 * REMIND), ["remind pi-4"]);
  r.on({ type: "note", note: note("pi-4", "back") }, 130_000);
  assert.equal(r.state.remindAt, null, "nothing open: no reminder due");
  assert.deepEqual(r.on(tick([]), 10 * REMIND), []);
});

test("ack stops the reminders and says what it acked; a new problem after it is unacked and reminded again", () => {
  const r = reminders();
  assert.deepEqual(r.on({ type: "ack", by: "ops@x" }, 0), ["acked  (before: )"], "nothing open");
  r.on({ type: "note", note: note("pi-3", "offline") }, 0);
  r.on({ type: "note", note: note("pi-4", "silent") }, 0);
  assert.deepEqual(r.on({ type: "ack", by: "ops@x" }, 10_000), ["acked pi-3,pi-4 (before: )"]);
  assert.equal(r.state.remindAt, null);
  assert.deepEqual(r.on({ type: "ack", by: "ann@x" }, 11_000), ["acked  (before: pi-3,pi-4)"], "nothing new");
  const offline = { ...fleetWith([]), "pi-3@x": { ...fleetWith([])["pi-3@x"]!, seen: "offline" as const }, "pi-4@x": { ...fleetWith([])["pi-4@x"]!, silent: true } };
  assert.deepEqual(r.on({ type: "tick", fleet: offline }, 5 * REMIND), []);
  // pi-4 answers again, then goes crit: news again, reminded; the acked pi-3 is not named
  r.on({ type: "note", note: note("pi-4", "back") }, 6 * REMIND);
  r.on({ type: "note", note: note("pi-4", "level", "crit") }, 6 * REMIND);
  assert.deepEqual(r.on({ type: "tick", fleet: { ...offline, "pi-4@x": fleetWith(["pi-4"])["pi-4@x"]! } }, 7 * REMIND), ["remind pi-4"]);
  assert.equal(r.state.open["pi-3@x"]!.ackedBy, "ops@x");
});

test("a problem whose device no longer shows it is closed at the next tick (a recovery the notes missed)", () => {
  const r = reminders();
  r.on({ type: "note", note: note("pi-3", "silent") }, 0);
  assert.deepEqual(r.on(tick([]), REMIND), []);
  assert.deepEqual(r.state.open, {});
});

test("remindMs 0: no reminders, acks still work", () => {
  let state = reminderStep(NO_PROBLEMS, { type: "note", note: note("pi-3", "level", "unknown") }, 0, 0).state;
  assert.equal(state.remindAt, null);
  assert.deepEqual(reminderStep(state, tick([]), 10 * REMIND, 0).actions, []);
  state = reminderStep(state, { type: "ack", by: "ops@x" }, 1, 0).state;
  assert.equal(state.open["pi-3@x"]!.kind, "unreadable");
  assert.equal(state.open["pi-3@x"]!.ackedBy, "ops@x");
});

test("a reminder never comes before the digest that tells the problem", () => {
  assert.equal(reminderInterval(60, 10), 3_600_000);
  assert.equal(reminderInterval(0.1, 10), 11_000, "6 s reminders with 10 s digests wait for the digest");
  assert.equal(reminderInterval(0.1, 0), 6_000);
  assert.equal(reminderInterval(0, 10), 0, "0: no reminders");
});
