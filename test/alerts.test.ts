// Alerts against a real server (Prosody, or ejabberd with test:ejabberd), as operators meet them on a phone:
// a chat message to the bare JID when the device turns crit, kept for an operator who is offline, reminders
// until someone acks, a word when it recovers, one message for flapping, nothing during maintenance, a
// per-operator choice that survives a restart, and never anything for a stranger or an unsubscribed operator.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { xml, type Element } from "@xmpp/client";
import { NS_HINTS } from "../src/alerts/index.js";
import { fromBare, isPresenceFrom, type Peer } from "./support/peer.js";
import { startScene, type Scene } from "./support/scene.js";
import { serverSoftware } from "./support/server.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const REMIND_MS = 3000;
const FLAP_MS = 6000;
const HOT = { temperature: { celsius: 83, source: "thermal_zone0 (cpu-thermal)" } };
const COOL = { temperature: { celsius: 48, source: "thermal_zone0 (cpu-thermal)" } };

describe("alerts that reach a person", () => {
  let scene: Scene;
  let device: string;
  let alice: Peer;
  let bob: Peer;
  let carol: Peer; // an operator who never accepted the device's subscription request
  const stateDir = mkdtempSync(join(tmpdir(), "agent-alerts-state-"));

  const fromDevice = (s: Element) => s.is("message") && fromBare(s) === device && !!s.getChildText("body");
  const body = (s: Element) => s.getChildText("body") ?? "";
  /** The next message from the device whose first line matches. */
  const next = (peer: Peer, first: RegExp, timeoutMs = 10_000, since?: number) =>
    peer.waitFor(`a message whose first line matches ${first}`, (s) => fromDevice(s) && first.test(body(s).split("\n")[0]!), timeoutMs, since);
  /** "pi CRIT: temp 83°C ≥ 80" and the like, not a reminder ("pi still CRIT: ..."). */
  const crit = () => new RegExp(`^${device.split("@")[0]} CRIT: temp 83°C`);
  const say = (peer: Peer, text: string) => peer.send(xml("message", { to: device, type: "chat" }, xml("body", {}, text)));
  /** Sends a chat line and returns the reply's text. */
  async function ask(peer: Peer, text: string): Promise<string> {
    const reply = peer.waitFor(`a reply to ${text}`, (s) => fromDevice(s) && String(s.attrs.to).includes("/"), 5000, peer.received.length);
    await say(peer, text);
    return body(await reply);
  }
  async function turn(reading: typeof HOT) {
    scene.health.set(reading);
    await scene.agent.sampleNow();
  }
  const alertsAt = (peer: Peer, since = 0) => peer.received.slice(since).filter(fromDevice).map(body);

  before(async () => {
    scene = await startScene({
      operators: [{ name: "alice" }, { name: "bob" }, { name: "carol", accepts: false }],
      readings: COOL,
      env: { AGENT_INTERVAL: "3600" },
      configure: (config) => {
        Object.assign(config.presence, { raiseAfter: 1, clearAfter: 1, minIntervalSeconds: 0 });
        Object.assign(config.alerts, { remindMinutes: REMIND_MS / 60_000, flapChanges: 3, flapMinutes: FLAP_MS / 60_000, maxPerMinute: 60, stateDirectory: stateDir });
      },
    });
    device = scene.device;
    [alice, bob, carol] = scene.operators as [Peer, Peer, Peer];
  });

  after(async () => {
    await scene?.stop();
    rmSync(stateDir, { recursive: true, force: true });
  });

  test("an online operator gets one chat message to the bare JID, with a store hint, first line readable on a lock screen", async () => {
    await turn(HOT);
    const name = device.split("@")[0];
    const got = await next(alice, new RegExp(`^${name} CRIT`));
    const [first, second] = body(got).split("\n");
    assert.equal(first, `${name} CRIT: temp 83°C ≥ 80`);
    assert.match(second!, /^since \d\d:\d\d \S+, alert ([0-9a-z]{4})\. Reply "ack \1" to stop reminders$/);
    assert.equal(got.attrs.type, "chat");
    assert.equal(fromBare(got), device);
    assert.equal(String(got.attrs.to), alice.jid, "sent to the bare JID, so every client of hers gets it");
    assert.ok(got.getChild("store", NS_HINTS), "XEP-0334 <store/>: kept for an operator who is offline");
    assert.doesNotMatch(body(got), /[<>&]/);
    await next(bob, new RegExp(`^${name} CRIT`));
  });

  test("a reminder comes after remindMinutes; after alice's ack they stop, and bob hears that alice acked", async () => {
    await next(alice, /still CRIT/, REMIND_MS + 5000);
    const reply = await ask(alice, "ack");
    assert.match(reply, /^acknowledged alert [0-9a-z]{4}: no more reminders/);
    const told = await next(bob, /CRIT acknowledged by/);
    assert.match(body(told), new RegExp(`acknowledged by ${alice.jid}`));
    const since = alice.received.length;
    await sleep(REMIND_MS * 2 + 500);
    assert.deepEqual(alertsAt(alice, since).filter((b) => /still/.test(b)), [], "no reminder after the ack");
    assert.match(await ask(bob, "ack"), /already acknowledged by alice@/);
  });

  test("when the device is ok again, one message says so and how long it lasted", async () => {
    await turn(COOL);
    const got = await next(alice, /OK again after \d+ s$/);
    assert.match(body(got).split("\n")[1]!, /^alert [0-9a-z]{4} \(worst CRIT\) from \d\d:\d\d \S+ to \d\d:\d\d \S+ is over$/);
    await next(bob, /OK again/);
  });

  // Not yet on ejabberd 23.01 (docs/servers.md): after this peer logs out, ejabberd logs "Stream reset by peer"
  // and the alert sent in the next seconds is not delivered at her next login, though later ones are
  const ejabberdHoldsIt = serverSoftware() === "ejabberd" && "ejabberd 23.01 does not deliver it at the next login here (docs/servers.md)";
  test("an operator who is offline gets the alert when she logs in (offline storage)", { skip: ejabberdHoldsIt }, async () => {
    await sleep(FLAP_MS); // the level changes above leave the flapping window
    // Logged out for good: the stream closed by both sides, so no resumable XEP-0198 session is left on the
    // server to take messages for her (peer.stop() gives up after 1 s and cuts the socket)
    await bob.xmpp.stop();
    await sleep(500);
    await turn(HOT);
    await next(alice, crit());
    const bobAgain = await scene.login({ name: "bob", resource: "phone" });
    const stored = await next(bobAgain, crit());
    assert.ok(stored.getChild("delay", "urn:xmpp:delay"), "delivered from offline storage");
    bob = bobAgain;
    await turn(COOL);
    await next(alice, /OK again/);
    await next(bob, /OK again/);
  });

  test("a level that flaps sends one flapping message, then nothing per change until it holds still", async () => {
    await sleep(FLAP_MS);
    const since = alice.received.length;
    for (const reading of [HOT, COOL, HOT, COOL, HOT, COOL, HOT]) await turn(reading);
    await next(alice, /FLAPPING: 4 level changes/);
    const stable = await next(alice, crit(), FLAP_MS + 5000);
    assert.match(body(stable), /stable again after flapping/);
    const firstLines = alertsAt(alice, since).map((b) => b.split("\n")[0]!).filter((l) => !/still/.test(l));
    assert.equal(firstLines.length, 5, `open, recovered, open, flapping, then stable at CRIT; not one per change:\n${firstLines.join("\n")}`);
    await turn(COOL);
    await next(alice, /OK again/);
  });

  test("maintenance holds alerts; unsilence while still bad sends the alert then", async () => {
    await sleep(FLAP_MS);
    assert.match(await ask(alice, "silence 10 firmware"), /^silenced until/);
    const since = alice.received.length;
    await turn(HOT);
    await sleep(1500);
    assert.deepEqual(alertsAt(alice, since).filter((b) => /CRIT/.test(b)), [], "nothing while silenced");
    const before = alice.received.length;
    assert.equal(await ask(alice, "unsilence"), "silence ended");
    await next(alice, crit(), 10_000, before);
    await turn(COOL);
    await next(alice, /OK again/);
  });

  test("`test alert` sends one message like an alert to the operator who asked, and no one else", async () => {
    const others = alice.received.length;
    await say(bob, "test alert");
    const got = await next(bob, /TEST: this is what an alert looks like/);
    assert.equal(String(got.attrs.to), bob.jid);
    assert.ok(got.getChild("store", NS_HINTS));
    await sleep(500);
    assert.deepEqual(alertsAt(alice, others), []);
  });

  test("`thresholds` and `sample` answer by chat what the ad-hoc commands show", async () => {
    assert.match(await ask(alice, "thresholds"), /^Thresholds\n(.*\n)*Temperature °C crit: 80/);
    assert.match(await ask(alice, "sample"), /^sampled; presence sent again\nok/);
  });

  test("`alerts off` holds across a restart: alice gets nothing, bob still does", async () => {
    await sleep(FLAP_MS);
    assert.match(await ask(alice, "alerts off"), /^From now on you get no alerts\./);
    assert.deepEqual(JSON.parse(readFileSync(join(stateDir, "alerts.json"), "utf8")), { operators: { [alice.jid]: "off" } });
    const back = alice.received.length;
    await scene.restartAgent();
    await alice.waitFor("the device back online", isPresenceFrom(device), 15_000, back);
    await sleep(500); // the new session's roster
    assert.match(await ask(alice, "alerts"), /^You get no alerts\./);
    const since = alice.received.length;
    await turn(HOT);
    await next(bob, crit());
    await sleep(500);
    assert.deepEqual(alertsAt(alice, since), []);
    assert.match(await ask(alice, "alerts crit"), /^From now on you get alerts at CRIT or worse \(CRIT, UNREADABLE\) \(the device's default\)\./);
    await turn(COOL);
    await next(bob, /OK again/);
  });

  test("a stranger and an operator who never subscribed get nothing, ever; a stranger's ack gets no reply", async () => {
    await say(scene.stranger, "ack");
    await say(scene.stranger, "test alert");
    assert.match(await ask(carol, "test alert"), /not subscribed/);
    await sleep(1000);
    assert.deepEqual(scene.stranger.received.filter((s) => s.is("message") && fromBare(s) === device).map(String), []);
    assert.deepEqual(alertsAt(carol).filter((b) => !/not subscribed/.test(b)), []);
  });
});
