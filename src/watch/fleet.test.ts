import { test } from "node:test";
import assert from "node:assert/strict";
import { fleetStep, initialFleet, OFFLINE_GRACE_MS, type FleetEvent, type FleetState } from "./fleet.js";

const PI = "pi-3@example.org";

function fleet(devices = [PI]) {
  let state: FleetState = initialFleet(devices, 0);
  return {
    get state() {
      return state;
    },
    /** The kinds of the notes this event made. */
    on(event: FleetEvent, now: number): string[] {
      const next = fleetStep(state, event, now);
      state = next.state;
      return next.actions.map((a) => `${a.note.device.split("@")[0]} ${a.note.kind}${a.note.kind === "level" ? ` ${a.note.level}` : ""}`);
    },
  };
}
const online = (show: string | null = null, status = "CPU 3% RAM 20%") => ({ type: "available" as const, device: PI, full: `${PI}/pi`, show, status });

test("a device first seen ok says nothing; first seen crit counts as a change; back to ok is told too", () => {
  const f = fleet();
  assert.deepEqual(f.on(online(), 1000), []);
  assert.deepEqual(f.on(online("dnd", "RAM 97% >= 95"), 2000), ["pi-3 level crit"]);
  assert.deepEqual(f.on(online("dnd", "RAM 98% >= 95"), 3000), []);
  assert.deepEqual(f.on(online(), 4000), ["pi-3 level ok"]);
  const g = fleet();
  assert.deepEqual(g.on(online("away", "temp 75°C >= 70"), 1000), ["pi-3 level warn"]);
});

test("gone without a clean stop: told once the grace has passed, not if it is back by then", () => {
  const f = fleet();
  f.on(online(), 0);
  assert.deepEqual(f.on({ type: "unavailable", device: PI, status: "" }, 10_000), []);
  assert.deepEqual(f.on({ type: "tick" }, 10_000 + OFFLINE_GRACE_MS - 1), []);
  assert.deepEqual(f.on({ type: "tick" }, 10_000 + OFFLINE_GRACE_MS), ["pi-3 offline"]);
  assert.deepEqual(f.on({ type: "tick" }, 60_000), []);
  assert.deepEqual(f.on(online(), 70_000), ["pi-3 back"]);
  // A broken link's reconnect within the grace is no news
  f.on({ type: "unavailable", device: PI, status: "connection closed" }, 80_000);
  assert.deepEqual(f.on(online(), 85_000), []);
  assert.deepEqual(f.on({ type: "tick" }, 200_000), []);
});

test("a clean stop is told at once as such; coming back after it is told too", () => {
  const f = fleet();
  f.on(online(), 0);
  assert.deepEqual(f.on({ type: "unavailable", device: PI, status: "stopping: SIGTERM" }, 5000), ["pi-3 stopped"]);
  assert.equal(f.state[PI]!.seen, "stopped");
  assert.deepEqual(f.on({ type: "tick" }, 60_000), []);
  assert.deepEqual(f.on(online(), 70_000), ["pi-3 back"]);
});

test("two unanswered pings in a row make an online device silent; an answer brings it back", () => {
  const f = fleet();
  f.on(online(), 0);
  assert.deepEqual(f.on({ type: "pingLost", device: PI }, 60_000), []);
  assert.deepEqual(f.on({ type: "pong", device: PI }, 70_000), []);
  assert.deepEqual(f.on({ type: "pingLost", device: PI }, 100_000), []);
  assert.deepEqual(f.on({ type: "pingLost", device: PI }, 130_000), ["pi-3 silent"]);
  assert.deepEqual(f.on({ type: "pingLost", device: PI }, 160_000), []);
  assert.deepEqual(f.on({ type: "pong", device: PI }, 170_000), ["pi-3 back"]);
  // Silent, then the server notices too: no second message
  f.on({ type: "pingLost", device: PI }, 200_000);
  f.on({ type: "pingLost", device: PI }, 230_000);
  assert.deepEqual(f.on({ type: "unavailable", device: PI, status: "" }, 240_000), []);
  assert.deepEqual(f.on({ type: "tick" }, 300_000), []);
});

test("presences of strangers are ignored; the watcher's new session forgets who was online but not what was told", () => {
  const f = fleet();
  assert.deepEqual(f.on({ ...online("dnd"), device: "stranger@example.org" }, 0), []);
  assert.equal(f.state["stranger@example.org"], undefined);
  f.on(online("dnd", "RAM 97%"), 0);
  f.on({ type: "sessionStarted" }, 1000);
  assert.equal(f.state[PI]!.seen, "unknown");
  // Still crit when seen again: not news
  assert.deepEqual(f.on(online("dnd", "RAM 97%"), 2000), []);
});
