// The watcher's share of the alerts as its operators meet it: `node dist/cli.js watch` with reminders every 6 s
// (alerts.remindMinutes 0.1), two devices on scripted samplers, three operators: ops acks, ann is told who acked,
// bob chose `alerts off`. Reminders until an ack, a new problem after it, `test alert` to the asker only, the
// choices kept across a restart in the state directory. XMPP_TEST_SERVER=ejabberd runs it against ejabberd.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { xml, type Element } from "@xmpp/client";
import { startServer, type ThrowawayServer } from "./support/server.js";
import { connectPeer, fromBare, isPresenceFrom, type Peer } from "./support/peer.js";
import { finished, runCli, type Running } from "./support/cli.js";
import { scriptedSampler } from "./support/scripted-sampler.js";
import { startAgent, type Agent } from "../src/agent.js";
import { loadConfig } from "../src/config/load.js";
import { createLogger } from "../src/log.js";

const body = (s: Element) => s.getChildText("body") ?? "";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("xmpp-device-agent watch: ack, reminders, each operator's alerts", () => {
  let server: ThrowawayServer;
  let watcherJid: string;
  let ops: Peer;
  let ann: Peer;
  let bob: Peer;
  let watcher: Running | undefined;
  const agents: Agent[] = [];
  const dir = mkdtempSync(join(tmpdir(), "watch-alerts-"));
  const stateDir = join(dir, "state");
  const configFile = join(dir, "watch.json");
  const devices: { jid: string; health: ReturnType<typeof scriptedSampler>; agent?: Agent }[] = [];
  const fromWatcher = (s: Element) => s.is("message") && fromBare(s) === watcherJid && body(s) !== "";
  const register = (name: string) => server.register(name, `${name}-pass`);

  before(async () => {
    server = await startServer();
    watcherJid = await register("watcher");
    [ops, ann, bob] = (await Promise.all(["ops", "ann", "bob"].map(async (name) => connectPeer(server.service, await register(name), `${name}-pass`, { acceptFrom: watcherJid })))) as [Peer, Peer, Peer];
    for (const name of ["pi-a", "pi-b"]) devices.push({ jid: await register(name), health: scriptedSampler() });
    writeFileSync(configFile, JSON.stringify({ alerts: { remindMinutes: 0.1, maxPerMinute: 30, stateDirectory: stateDir }, watch: { digestSeconds: 1 } }));
  });
  after(async () => {
    for (const agent of agents) await agent.stop("test over");
    await stopWatcher();
    for (const peer of [ops, ann, bob]) await peer?.stop();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function startWatcher() {
    const since = ops.received.length;
    watcher = runCli(["watch"], {
      AGENT_CONFIG: configFile,
      XMPP_SERVICE: server.service,
      XMPP_JID: watcherJid,
      XMPP_PASSWORD: "watcher-pass",
      AGENT_OPERATORS: [ops, ann, bob].map((p) => p.jid).join(","),
      WATCH_DEVICES: devices.map((d) => d.jid).join(","),
    });
    await ops.waitFor("the watcher online", isPresenceFrom(watcherJid), 20_000, since);
  }
  async function stopWatcher() {
    watcher?.child.kill("SIGTERM");
    if (watcher) assert.equal((await finished(watcher, 5000)).code, 0);
    watcher = undefined;
  }
  async function ask(peer: Peer, text: string): Promise<string> {
    const reply = peer.waitFor(`the reply to ${text}`, fromWatcher, 10_000, peer.received.length);
    await peer.send(xml("message", { to: watcherJid, type: "chat" }, xml("body", {}, text)));
    return body(await reply);
  }
  const news = (peer: Peer, what: string, pattern: RegExp, since: number, withinMs = 20_000) =>
    peer.waitFor(what, (s) => fromWatcher(s) && pattern.test(body(s)), withinMs, since).then(body);
  const heard = (peer: Peer, since: number) => peer.received.slice(since).filter(fromWatcher).map(body);
  async function setLevel(device: (typeof devices)[number], memoryPercent: number) {
    device.health.set({ memoryPercent });
    await device.agent!.sampleNow();
  }

  test("reminded until someone acks, the others told who; alerts off hears nothing; test alert to the asker only", async (t) => {
    await startWatcher();
    assert.match(await ask(bob, "alerts"), /^You get devices offline, silent, crit or unreadable and their recoveries, clean stops, and reminders \(the watcher's default\)\./);
    assert.match(await ask(bob, "alerts off"), /^From now on you get nothing from the watcher: no news, no reminders\./);
    assert.match(await ask(ops, "help"), /^ack: .*\nalerts \[off\|warn\|crit\]: .*\ntest alert: /m);
    assert.equal(await ask(ops, "ack"), "nothing to ack: no device is offline, silent, crit or unreadable");
    const bobSince = bob.received.length;

    for (const device of devices) {
      const config = loadConfig({ env: { XMPP_SERVICE: server.service, XMPP_JID: device.jid, XMPP_PASSWORD: "unused", AGENT_OPERATORS: watcherJid, AGENT_INTERVAL: "3600" } });
      Object.assign(config.presence, { raiseAfter: 1, clearAfter: 1, minIntervalSeconds: 0 });
      config.alerts.level = "off"; // the watcher tells the operators
      device.agent = await startAgent({ config, password: `${device.jid.split("@")[0]}-pass`, log: createLogger("warn"), version: "test", sampler: device.health.sampler });
      agents.push(device.agent);
    }
    const start = Date.now();
    while (!(await ask(ops, "fleet")).startsWith("2 devices: 2 ok")) {
      assert.ok(Date.now() - start < 30_000, "the devices not online at the watcher");
      await sleep(1000);
    }
    const [piA, piB] = devices as [(typeof devices)[0], (typeof devices)[0]];

    // pi-a crit: told, then reminded every 6 s to ops and ann
    let since = ops.received.length;
    const annSince = ann.received.length;
    await setLevel(piA, 97);
    await news(ops, "the crit news", /^pi-a crit \(RAM 97% ≥ 95\)$/, since);
    const reminder = await news(ops, "a reminder", /^still bad/, since);
    t.diagnostic(`reminder: ${JSON.stringify(reminder)}`);
    assert.match(reminder, /^still bad: 1 device not acknowledged\npi-a crit \(RAM 97% ≥ 95\) since \d\d:\d\d \S+ \(\d+ s\)\nsend ack to stop reminders$/);
    await news(ann, "a reminder", /^still bad: 1 device not acknowledged\npi-a crit/, annSince);

    // ops acks: the reply says what, ann is told who, the reminders stop
    assert.match(await ask(ops, "ack"), /^acked 1 device: pi-a crit\nno more reminders for them/);
    const annTold = await news(ann, "who acked", /^acked by /, annSince);
    assert.equal(annTold, `acked by ${ops.jid}: 1 device (pi-a crit); no more reminders for them`);
    since = ops.received.length;
    const annAfterAck = ann.received.length;
    await sleep(15_000); // two and a half reminder intervals
    assert.deepEqual(heard(ops, since), [], "no reminder after the ack");
    assert.deepEqual(heard(ann, annAfterAck), [], "no reminder after the ack");
    assert.match(await ask(ann, "ack"), new RegExp(`^nothing new to ack: 1 device acked already by ${ops.jid}: pi-a crit$`));

    // pi-b crit after the ack: news, and reminded again, naming pi-b only
    since = ops.received.length;
    await setLevel(piB, 98);
    await news(ops, "the new crit", /^pi-b crit/, since);
    assert.match(await news(ops, "the next reminder", /^still bad/, since), /^still bad: 1 device not acknowledged\npi-b crit \(RAM 98% ≥ 95\)/);

    // test alert: to bob only, though bob chose off
    const opsBeforeTest = ops.received.length;
    const annBeforeTest = ann.received.length;
    assert.equal(await ask(ops, "ack"), "acked 1 device: pi-b crit\nno more reminders for them; a new problem is told again");
    const test = await (async () => {
      const got = news(bob, "the test alert", /^TEST/, bob.received.length, 10_000);
      await bob.send(xml("message", { to: watcherJid, type: "chat" }, xml("body", {}, "test alert")));
      return got;
    })();
    assert.match(test, /^TEST from the watcher, nothing is wrong: its news looks like this\nexample-pi crit \(RAM 97% ≥ 95\)\nsent \d\d:\d\d \S+ at your request; you chose alerts off, so you get no news$/);

    // The recoveries reach crit operators; ack with nothing open says so
    await setLevel(piA, 20);
    await setLevel(piB, 20);
    await news(ops, "the recoveries", /pi-a ok again|2 devices ok again/, opsBeforeTest);
    await sleep(2000); // a digest window for the straggler
    assert.equal(await ask(ops, "ack"), "nothing to ack: no device is offline, silent, crit or unreadable");
    assert.deepEqual(heard(ops, opsBeforeTest).filter((b) => b.startsWith("TEST")), [], "test alert: to the asker only");
    assert.deepEqual(heard(ann, annBeforeTest).filter((b) => b.startsWith("TEST") || b.startsWith("acked by ann")), []);
    // bob heard nothing unasked: his replies and his test alert only
    const bobHeard = heard(bob, bobSince);
    t.diagnostic(`bob heard: ${JSON.stringify(bobHeard)}`);
    assert.deepEqual(bobHeard.filter((b) => !b.startsWith("TEST")), []);
  });

  test("each operator's choice is kept across a restart, in alerts.json in the state directory", async () => {
    await stopWatcher();
    assert.deepEqual(JSON.parse(readFileSync(join(stateDir, "alerts.json"), "utf8")), { operators: { [bob.jid]: "off" } });
    await startWatcher();
    assert.match(await ask(bob, "alerts"), /^You get nothing from the watcher: no news, no reminders\./);
    assert.match(await ask(ops, "alerts"), /^You get devices offline, .*\(the watcher's default\)\./);
  });
});
