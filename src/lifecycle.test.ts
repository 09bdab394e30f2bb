import { test } from "node:test";
import assert from "node:assert/strict";
import { startInOrder, stopInReverse, type Capability } from "./lifecycle.js";

function recorded(names: string[], log: string[]): Capability[] {
  return names.map((name) => ({
    async start() {
      await Promise.resolve();
      log.push(`start ${name}`);
    },
    stop: (reason) => void log.push(`stop ${name}: ${reason}`),
  }));
}

test("capabilities start in the list's order, each after the one before has started, and stop the other way round", async () => {
  const log: string[] = [];
  const capabilities = recorded(["link", "presence", "health"], log);
  await startInOrder(capabilities);
  await stopInReverse(capabilities)("SIGTERM");
  assert.deepEqual(log, ["start link", "start presence", "start health", "stop health: SIGTERM", "stop presence: SIGTERM", "stop link: SIGTERM"]);
});

test("a second stop does not stop anything again: it waits for the first", async () => {
  const log: string[] = [];
  const stop = stopInReverse(recorded(["link"], log));
  const first = stop("login refused");
  assert.equal(stop("SIGTERM"), first);
  await first;
  assert.deepEqual(log, ["stop link: login refused"]);
});

test("a capability with nothing to start is skipped at start", async () => {
  const log: string[] = [];
  await startInOrder([{ stop: () => void log.push("stop") }]);
  assert.deepEqual(log, []);
});
