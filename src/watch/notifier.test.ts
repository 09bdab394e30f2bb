import { test, mock } from "node:test";
import assert from "node:assert/strict";
import type { Client, Element } from "@xmpp/client";
import { createLogger } from "../log.js";
import type { Note } from "./fleet.js";
import { watchNotifier, windowCloses, WINDOW_BOUND } from "./notifier.js";

test("a window closes a digest after its last note, and no later than its bound after its first", () => {
  assert.equal(windowCloses(0, 0, 10_000), 10_000);
  assert.equal(windowCloses(0, 8_000, 10_000), 18_000);
  assert.equal(windowCloses(0, 55_000, 10_000), WINDOW_BOUND * 10_000);
});

/** The notifier on mocked timers and a clock of the test's; what each operator was sent, with when. */
function scene() {
  mock.timers.enable({ apis: ["setTimeout"] });
  let clock = 0;
  const sent: { at: number; to: string; body: string }[] = [];
  const xmpp = { send: async (s: Element) => void sent.push({ at: clock, to: String(s.attrs.to), body: s.getChildText("body") ?? "" }) } as unknown as Client;
  const notifier = watchNotifier({ xmpp, isOnline: () => true, operators: ["ops@example.org"], digestSeconds: 10, maxPerMinute: 6, log: createLogger("silent"), now: () => clock });
  const note = (i: number): Note => ({ device: `pi-${i}@example.org`, kind: "level", level: "crit", status: "RAM 97% >= 95", at: clock });
  return {
    sent,
    note,
    tell: (n: Note) => notifier.tell(n),
    /** Moves the clock and the mocked timers on by `ms`, a second at a time. */
    pass(ms: number) {
      for (let t = 0; t < ms; t += 1000) {
        clock += 1000;
        mock.timers.tick(1000);
      }
    },
    done() {
      notifier.stop();
      mock.timers.reset();
    },
  };
}

test("a spike whose notes trickle in over 45 s is one message, sent 10 s after the last", () => {
  const s = scene();
  for (let i = 0; i < 10; i++) {
    s.tell(s.note(i));
    s.pass(5_000);
  }
  assert.equal(s.sent.length, 0, "still coming: the window stays open");
  s.pass(10_000);
  assert.equal(s.sent.length, 1);
  assert.equal(s.sent[0]!.at, 55_000);
  assert.match(s.sent[0]!.body, /^10 devices crit: /);
  s.done();
});

test("notes that never stop still go out, once per bound", () => {
  const s = scene();
  for (let i = 0; i < 30; i++) {
    s.tell(s.note(i));
    s.pass(4_000);
  }
  assert.deepEqual(s.sent.map((m) => m.at), [60_000, 120_000]);
  s.done();
});

test("one note alone is told a digest later, as before", () => {
  const s = scene();
  s.tell(s.note(1));
  s.pass(9_000);
  assert.equal(s.sent.length, 0);
  s.pass(1_000);
  assert.deepEqual(s.sent.map((m) => [m.at, m.body]), [[10_000, "pi-1 crit (RAM 97% ≥ 95)"]]);
  s.done();
});
