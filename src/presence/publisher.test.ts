import { test } from "node:test";
import assert from "node:assert/strict";
import type { Element } from "@xmpp/client";
import { createLogger } from "../log.js";
import { presencePublisher } from "./publisher.js";

function publisher() {
  let clock = 0;
  const sent: string[] = [];
  const p = presencePublisher({
    send: async (stanza: Element) => void sent.push(stanza.getChildText("status") ?? ""),
    isOnline: () => true,
    caps: () => ({ name: "c", attrs: {}, children: [] }) as unknown as Element,
    rules: { minIntervalMs: 60_000, refreshMs: 900_000 },
    priority: 0,
    log: createLogger("silent"),
    now: () => clock,
  });
  return { p, sent, advance: (ms: number) => (clock += ms) };
}

test("a change held by the rate limit waits; one an operator caused goes out at once", () => {
  const { p, sent, advance } = publisher();
  p.update({ level: "ok", status: "CPU 12%" });
  advance(1000);
  p.update({ level: "ok", status: "silenced until 12:35 UTC | CPU 12%" });
  assert.deepEqual(sent, ["CPU 12%"], "held: less than a minute since the last");
  p.update({ level: "ok", status: "silenced until 12:35 UTC | CPU 12%" }, { urgent: true });
  advance(1000);
  p.update({ level: "ok", status: "CPU 12%" }, { urgent: true });
  assert.deepEqual(sent, ["CPU 12%", "silenced until 12:35 UTC | CPU 12%", "CPU 12%"]);
  p.update({ level: "ok", status: "CPU 12%" }, { urgent: true });
  assert.equal(sent.length, 3, "nothing new, nothing sent");
  p.stop();
});
