// Chatting with the device against a real Prosody, as an operator does from a phone: each command answers
// from the device's numbers, to the resource that asked; what is not a command from an operator (delayed,
// error, headline, groupchat, a stranger's) gets nothing; a flood gets a handful of replies; a silence shows
// in the roster until it is lifted.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { xml, type Element } from "@xmpp/client";
import { readDeviceFacts } from "../src/facts.js";
import { CHAT_RATE } from "../src/chat/handler.js";
import { tokenBuckets } from "../src/chat/rate-limit.js";
import { versionText } from "../src/chat/replies.js";
import { clockTime } from "../src/maintenance/maintenance-mode.js";
import { fromBare, isPresenceFrom, type Peer } from "./support/peer.js";
import { startScene, type Scene } from "./support/scene.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const UPTIME_S = 3 * 86400 + 4 * 3600 + 5;
// The device's readings; every other number is healthySample's (CPU 12% of 4 cores, RAM 40% of 1 GiB, 48.3°C)
const READING = {
  disks: [{ mount: "/", mounted: true, usedPercent: 55, usedBytes: 0.55 * 32 * 1024 ** 3, totalBytes: 32 * 1024 ** 3 }],
  network: [{ iface: "eth0", rxBytesPerSec: 2048, txBytesPerSec: 512 }],
  uptimeSeconds: UPTIME_S,
};
const NORMAL_STATUS = "CPU 12% RAM 40% disk 55% 48°C up 3d4h";

describe("chat with the device", () => {
  let scene: Scene;
  let device: string;
  let deviceFull: string;
  let alice: Peer; // an operator on her laptop
  let alicePhone: Peer; // the same operator's phone, also online
  let bob: Peer;
  let carol: Peer;
  let dave: Peer;
  let stranger: Peer;

  const isMessageFromDevice = (s: Element) => s.is("message") && fromBare(s) === device;
  const repliesAt = (peer: Peer, since = 0) => peer.received.slice(since).filter(isMessageFromDevice);
  const pong = (peer: Peer) => peer.xmpp.iqCaller.request(xml("iq", { type: "get", to: deviceFull }, xml("ping", "urn:xmpp:ping")), 10_000);

  // Like the device's limit, one pace per bare JID: alice's laptop and phone share it
  const pace = tokenBuckets({ burst: CHAT_RATE.burst, refillMs: CHAT_RATE.refillMs + 200 });
  /** One operator's chat window. It keeps to the device's rate limit, so only the tests about the limit meet it. */
  function chat(peer: Peer) {
    return async (text: string): Promise<{ body: string; stanza: Element }> => {
      while (!pace.allow(peer.jid, Date.now())) await sleep(100);
      const reply = peer.waitFor(`a reply to ${JSON.stringify(text.slice(0, 40))}`, isMessageFromDevice, 5000, peer.received.length);
      await peer.send(xml("message", { to: device, type: "chat" }, xml("body", {}, text)));
      const stanza = await reply;
      return { body: stanza.getChildText("body") ?? "", stanza };
    };
  }
  let askAlice: ReturnType<typeof chat>;
  let askBob: ReturnType<typeof chat>;
  let askDave: ReturnType<typeof chat>;

  before(async () => {
    scene = await startScene({
      // bob, carol and dave are operators too; carol leaves the device's subscription request unanswered
      operators: [{ name: "alice", resource: "laptop" }, { name: "bob" }, { name: "carol", accepts: false }, { name: "dave" }],
      readings: READING,
      env: { AGENT_INTERVAL: "60" },
      configure: (config) => Object.assign(config.presence, { minIntervalSeconds: 0 }),
      version: "9.8.7-test",
    });
    assert.equal(scene.presence.getChildText("status"), NORMAL_STATUS);
    ({ device, deviceFull, stranger } = scene);
    [alice, bob, carol, dave] = scene.operators as [Peer, Peer, Peer, Peer];
    alicePhone = await scene.login({ name: "alice", resource: "phone", accepts: false });
    askAlice = chat(alice);
    askBob = chat(bob);
    askDave = chat(dave);
  });

  after(() => scene?.stop());

  test("an operator who sends `cpu` gets a line with the CPU percentage, to the resource that asked, type chat", async () => {
    const { body, stanza } = await askAlice("cpu");
    assert.equal(body, "CPU 12% of 4 cores, load 0.4 0.3 0.2 (0.10/core)");
    assert.equal(stanza.attrs.to, `${alice.jid}/laptop`);
    assert.equal(stanza.attrs.type, "chat");
  });

  const answers: [string, string][] = [
    ["mem", "RAM 40% of 1.0 GiB (614.4 MiB available), swap 0% of 100.0 MiB"],
    ["disk", "disk / 55% of 32.0 GiB"],
    ["temp", "48.3°C (thermal_zone0 (cpu-thermal))"],
    ["net", "net eth0 rx 2.0 KiB/s tx 512 B/s"],
  ];
  for (const [command, expected] of answers) {
    test(`an operator who sends \`${command}\` gets ${JSON.stringify(expected)}`, async () => {
      const { body, stanza } = await askAlice(command);
      assert.equal(body, expected);
      assert.deepEqual([stanza.attrs.to, stanza.attrs.type], [`${alice.jid}/laptop`, "chat"]);
    });
  }

  test("an operator who sends `uptime` gets the uptime and the boot time (now minus the uptime)", async () => {
    const { body } = await askAlice("uptime");
    assert.match(body, /^up 3d4h \(since \d{4}-\d\d-\d\d \d\d:\d\d UTC\)$/);
    const since = Date.parse(`${/since (.*) UTC/.exec(body)![1]!.replace(" ", "T")}:00Z`);
    assert.ok(Math.abs(Date.now() - UPTIME_S * 1000 - since) < 120_000, body);
  });

  test("`status` answers the level first, then every metric on its own line", async () => {
    const { body } = await askAlice("status");
    const lines = body.split("\n");
    assert.equal(lines[0], "ok");
    assert.deepEqual(lines.slice(1, 6), [
      "CPU 12% of 4 cores, load 0.4 0.3 0.2 (0.10/core)",
      "RAM 40% of 1.0 GiB (614.4 MiB available), swap 0% of 100.0 MiB",
      "disk / 55% of 32.0 GiB",
      "48.3°C (thermal_zone0 (cpu-thermal))",
      "net eth0 rx 2.0 KiB/s tx 512 B/s",
    ]);
    assert.match(lines[6] ?? "", /^up 3d4h /);
  });

  test("`help` lists every command a user can type", async () => {
    const { body } = await askAlice("help");
    for (const word of ["status", "cpu", "mem", "disk", "temp", "net", "uptime", "version", "silence MINUTES", "unsilence", "help"]) {
      assert.ok(body.includes(word), `help does not mention ${word}:\n${body}`);
    }
  });

  test("`version` names the agent, its version and the OS", async () => {
    const { body } = await askAlice("version");
    assert.equal(body, versionText("9.8.7-test", await readDeviceFacts()));
    assert.match(body, /^xmpp-device-agent 9\.8\.7-test on /);
  });

  test("the operator's other resource (her phone) got none of the replies meant for the laptop, only its own", async () => {
    // The device's answer to the phone leaves after every earlier reply: a stray copy would have come first
    const { body, stanza } = await chat(alicePhone)("uptime");
    assert.match(body, /^up 3d4h /);
    assert.equal(stanza.attrs.to, `${alice.jid}/phone`);
    assert.deepEqual(repliesAt(alicePhone).map((s) => s.getChildText("body")), [body]);
  });

  test("case and extra spaces do not matter: `  CPU  ` and `Status` are commands", async () => {
    assert.match((await askBob("  CPU  ")).body, /^CPU 12% of 4 cores/);
    assert.match((await askBob("Status")).body, /^ok\nCPU 12%/);
  });

  test("anything else gets a reply that points to `help`", async () => {
    assert.equal((await askBob("reboot now")).body, 'unknown command "reboot": send help for the list');
    assert.match((await askBob("silence")).body, /^usage: silence MINUTES \[reason\]/);
  });

  test("not executed: a delayed message, type error, headline or groupchat, nor anything from a stranger", async () => {
    const since = { dave: dave.received.length, stranger: stranger.received.length };
    const stamp = "2026-01-01T00:00:00Z";
    // Sent to the full JID: RFC 6121 8.5.2.1.1 lets the server drop errors and groupchat sent to a bare JID
    const ignored = [
      xml("message", { to: deviceFull, type: "chat", id: "delayed" }, xml("body", {}, "status"), xml("delay", { xmlns: "urn:xmpp:delay", from: "localhost", stamp })),
      xml("message", { to: deviceFull, type: "error", id: "error" }, xml("body", {}, "mem"), xml("error", { type: "cancel" }, xml("service-unavailable", "urn:ietf:params:xml:ns:xmpp-stanzas"))),
      xml("message", { to: deviceFull, type: "headline", id: "headline" }, xml("body", {}, "disk")),
      xml("message", { to: deviceFull, type: "groupchat", id: "groupchat" }, xml("body", {}, "temp")),
    ];
    for (const stanza of ignored) await dave.send(stanza);
    for (const to of [device, deviceFull]) await stranger.send(xml("message", { to, type: "chat" }, xml("body", {}, "status")));
    // Stanzas from one sender are handled in order: a pong (and dave's next reply) come after the ignored ones
    await Promise.all([pong(dave), pong(stranger)]);
    const control = await askDave("cpu");
    await sleep(2000);
    assert.deepEqual(repliesAt(dave, since.dave).map((s) => s.getChildText("body")), [control.body], "only the plain `cpu` was answered");
    assert.deepEqual(repliesAt(stranger, since.stranger).map(String), [], "a stranger gets no reply at all");
  });

  test("a burst of 1,000 lines from one operator gets a handful of replies, and the device answers again once the limit refills", async () => {
    const since = carol.received.length;
    const started = Date.now();
    await Promise.all(Array.from({ length: 1000 }, () => carol.send(xml("message", { to: device, type: "chat" }, xml("body", {}, "cpu")))));
    await pong(carol); // all 1,000 have been handled
    const elapsed = Date.now() - started;
    await sleep(500); // the last replies in flight
    const replies = repliesAt(carol, since).length;
    // The burst, plus at most one line per refill while the flood was being handled
    const bound = CHAT_RATE.burst + Math.ceil(elapsed / CHAT_RATE.refillMs) + 1;
    assert.ok(replies >= CHAT_RATE.burst && replies <= bound, `${replies} replies to 1,000 lines in ${elapsed} ms (expected ${CHAT_RATE.burst}..${bound})`);
    await sleep(CHAT_RATE.refillMs + 200);
    const reply = carol.waitFor("a reply once a token is back", isMessageFromDevice, 5000, carol.received.length);
    await carol.send(xml("message", { to: device, type: "chat" }, xml("body", {}, "mem")));
    assert.match((await reply).getChildText("body") ?? "", /^RAM 40%/);
  });

  test("a 100 KB body is refused with a short reply, and the device keeps answering", async () => {
    const { body } = await askBob("x".repeat(100 * 1024));
    assert.match(body, /^message too long \(102400 characters, at most \d+\): send help$/);
    assert.ok(body.length < 100);
    assert.match((await askBob("cpu")).body, /^CPU 12%/);
  });

  test("`silence 15 firmware update` shows in the operator's roster until `unsilence` brings the normal status back", async () => {
    const silenced = dave.waitFor("the silenced presence", (s) => isPresenceFrom(device)(s) && /^silenced/.test(s.getChildText("status") ?? ""), 5000, dave.received.length);
    const { body } = await askDave("silence 15 firmware update");
    assert.match(body, /^silenced until \d\d:\d\d \(firmware update\); presence held at its current level\. Send unsilence to end it\.$/);
    const presence = await silenced;
    const status = presence.getChildText("status") ?? "";
    const until = /^silenced until (\d\d:\d\d) \(firmware update\) \| CPU 12% RAM 40% disk 55% 48°C up 3d4h$/.exec(status)?.[1];
    assert.ok(until && [0, 1].map((m) => clockTime(Date.now() + (15 - m) * 60_000)).includes(until), status);
    assert.equal(presence.getChild("show"), undefined, "the level it had (ok) is held");
    assert.match((await askDave("status")).body, new RegExp(`^ok, silenced until ${until} \\(firmware update\\)\\n`));

    const normal = dave.waitFor("the normal presence again", (s) => isPresenceFrom(device)(s) && s.getChildText("status") === NORMAL_STATUS, 5000, dave.received.length);
    assert.equal((await askDave("unsilence")).body, "silence ended");
    assert.equal((await normal).getChild("show"), undefined);
    assert.equal((await askDave("unsilence")).body, "not silenced");
  });
});
