import { test } from "node:test";
import assert from "node:assert/strict";
import { eventBus } from "./events.js";

interface Events {
  sampled: number;
  online: void;
}

test("a listener hears each event it subscribed to, in order, until it unsubscribes", () => {
  const bus = eventBus<Events>();
  const heard: string[] = [];
  const off = bus.on("sampled", (n) => heard.push(`sampled ${n}`));
  bus.on("online", () => heard.push("online"));
  bus.emit("sampled", 1);
  bus.emit("online");
  off();
  bus.emit("sampled", 2);
  assert.deepEqual(heard, ["sampled 1", "online"]);
});

test("listeners run in the order they subscribed, and one may unsubscribe another while the event is told", () => {
  const bus = eventBus<Events>();
  const heard: string[] = [];
  let offSecond = () => {};
  bus.on("online", () => {
    heard.push("first");
    offSecond();
  });
  offSecond = bus.on("online", () => heard.push("second"));
  bus.emit("online");
  bus.emit("online");
  assert.deepEqual(heard, ["first", "second", "first"]);
});

test("an event nobody listens to is no error", () => {
  assert.doesNotThrow(() => eventBus<Events>().emit("sampled", 3));
});
