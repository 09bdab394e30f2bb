// The fleet watch as an operator meets it: `node dist/cli.js watch` with its own account and the defaults
// (watch.pingSeconds 30, watch.digestSeconds 10), devices that list it among their operators, and the operator's
// phone as a plain client. A device killed, frozen, stopped; ten devices crit at once; `fleet` by chat; a stranger.
// XMPP_TEST_SERVER=ejabberd (npm run test:ejabberd) runs it against ejabberd.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { xml, type Element } from "@xmpp/client";
import { startServer, type ThrowawayServer } from "./support/server.js";
import { connectPeer, fromBare, isPresenceFrom, type Peer } from "./support/peer.js";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { finished, runCli, type Running } from "./support/cli.js";
import { scriptedSampler } from "./support/scripted-sampler.js";
import { startAgent, type Agent } from "../src/agent.js";
import { loadConfig } from "../src/config/load.js";
import { createLogger } from "../src/log.js";

const body = (s: Element) => s.getChildText("body") ?? "";

describe("xmpp-device-agent watch", () => {
  let server: ThrowawayServer;
  let watcherJid: string;
  let operator: Peer;
  let stranger: Peer;
  let watcher: Running;
  const children: ReturnType<typeof spawn>[] = [];
  const agents: Agent[] = [];
  const fromWatcher = (s: Element) => s.is("message") && fromBare(s) === watcherJid && body(s) !== "";

  const deviceEnv = (jid: string) => ({
    XMPP_SERVICE: server.service,
    XMPP_JID: jid,
    XMPP_PASSWORD: `${jid.split("@")[0]}-pass`,
    AGENT_OPERATORS: `${watcherJid},${operator.jid}`,
    AGENT_INTERVAL: "1",
    AGENT_LOG_LEVEL: "warn",
  });
  const register = (name: string) => server.register(name, `${name}-pass`);

  before(async () => {
    server = await startServer();
    watcherJid = await register("watcher");
    const opsJid = await register("ops");
    const strangerJid = await register("stranger");
    operator = await connectPeer(server.service, opsJid, "ops-pass", { acceptFrom: watcherJid });
    stranger = await connectPeer(server.service, strangerJid, "stranger-pass");
  });
  after(async () => {
    for (const agent of agents) await agent.stop("test over");
    for (const child of children) {
      child.kill("SIGCONT");
      child.kill("SIGKILL");
    }
    watcher?.child.kill("SIGTERM");
    if (watcher) await finished(watcher, 5000);
    await operator?.stop();
    await stranger?.stop();
    await server?.stop();
  });

  async function startWatcher(devices: string[]) {
    watcher = runCli(["watch"], {
      XMPP_SERVICE: server.service,
      XMPP_JID: watcherJid,
      XMPP_PASSWORD: "watcher-pass",
      AGENT_OPERATORS: operator.jid,
      WATCH_DEVICES: devices.join(","),
    });
    await operator.waitFor("the watcher online", isPresenceFrom(watcherJid), 20_000);
  }

  test("kill -9 told within 90 s, SIGSTOP within 120 s, a clean stop said plainly; fleet lists them; ten crit at once in 1 to 3 messages", async (t) => {
    const crashing = await register("pi-crash");
    const freezing = await register("pi-freeze");
    const stopping = await register("pi-stop");
    const many = await Promise.all(Array.from({ length: 10 }, (_, i) => register(`pi-${i + 1}`)));
    await startWatcher([crashing, freezing, stopping, ...many]);

    // Three devices as systemd runs them, ten in this process on a scripted sampler (ten node processes would
    // measure this machine, not the watcher)
    const [crashAgent, freezeAgent, stopAgent] = [crashing, freezing, stopping].map((jid) =>
      spawn(process.execPath, [fileURLToPath(new URL("./support/healthy-agent.js", import.meta.url))], { env: { PATH: process.env.PATH, ...deviceEnv(jid) }, stdio: "ignore" }),
    );
    children.push(crashAgent!, freezeAgent!, stopAgent!);
    const health = scriptedSampler();
    for (const jid of many) {
      const config = loadConfig({ env: { ...deviceEnv(jid), AGENT_INTERVAL: "3600" } });
      Object.assign(config.presence, { raiseAfter: 1, clearAfter: 1, minIntervalSeconds: 0 });
      config.alerts.level = "off"; // the watcher tells the operators; the devices need not
      agents.push(await startAgent({ config, password: `${jid.split("@")[0]}-pass`, log: createLogger("warn"), version: "test", sampler: health.sampler }));
    }
    // Everyone online as the watcher sees it
    const online = async () => {
      const reply = operator.waitFor("the fleet reply", fromWatcher, 10_000, operator.received.length);
      await operator.send(xml("message", { to: watcherJid, type: "chat" }, xml("body", {}, "fleet")));
      return body(await reply);
    };
    const start = Date.now();
    let fleet = "";
    while (!(fleet = await online()).startsWith("13 devices: 13 ok")) {
      assert.ok(Date.now() - start < 30_000, `not all online: ${fleet}`);
      await new Promise((r) => setTimeout(r, 2000));
    }
    assert.match(fleet, /pi-crash ok since \d\d:\d\d \S+/);
    assert.equal(fleet.split("\n").length, 14, "a fleet of 20 or fewer: a line for every device");

    // Ten crit at once
    const sinceCrit = operator.received.length;
    health.set({ memoryPercent: 97 });
    await Promise.all(agents.map((a) => a.sampleNow()));
    await operator.waitFor("the crit digest", (s) => fromWatcher(s) && /crit/.test(body(s)), 30_000, sinceCrit);
    await new Promise((r) => setTimeout(r, 12_000)); // another digest window, for a straggler
    const critMessages = operator.received.slice(sinceCrit).filter(fromWatcher).map(body);
    t.diagnostic(`ten crit at once: ${critMessages.length} message(s): ${JSON.stringify(critMessages)}`);
    assert.ok(critMessages.length >= 1 && critMessages.length <= 3, `${critMessages.length} messages`);
    for (const jid of many) assert.ok(critMessages.some((m) => new RegExp(`\\b${jid.split("@")[0]}\\b`).test(m) || /and \d+ more/.test(m)), `${jid} named or counted`);
    assert.match(critMessages.join("\n"), /^10 devices crit: pi-\d+ \(RAM 97%/m);

    // Crash, freeze and clean stop at once
    const since = operator.received.length;
    const t0 = Date.now();
    crashAgent!.kill("SIGKILL");
    freezeAgent!.kill("SIGSTOP");
    stopAgent!.kill("SIGTERM");
    const told = async (what: string, pattern: RegExp, withinMs: number) => {
      const got = await operator.waitFor(what, (s) => fromWatcher(s) && pattern.test(body(s)), withinMs - (Date.now() - t0), since);
      const took = Date.now() - t0;
      t.diagnostic(`${what}: ${(took / 1000).toFixed(1)} s: ${JSON.stringify(body(got))}`);
      return body(got);
    };
    const stopped = await told("the clean stop", /pi-stop stopped cleanly/, 30_000);
    assert.match(stopped, /stopping: SIGTERM/);
    assert.doesNotMatch(stopped, /pi-stop (offline|silent)/);
    await told("the crash", /pi-crash offline without a clean stop/, 90_000);
    await told("the frozen device", /pi-freeze silent/, 120_000);
    fleet = await online();
    assert.match(fleet, /pi-crash offline/);
    assert.match(fleet, /pi-freeze silent/);
    assert.match(fleet, /pi-stop stopped/);
    const detail = (await (async () => {
      const reply = operator.waitFor("fleet pi-freeze", fromWatcher, 10_000, operator.received.length);
      await operator.send(xml("message", { to: watcherJid, type: "chat" }, xml("body", {}, "fleet pi-freeze")));
      return body(await reply);
    })()).split("\n");
    assert.match(detail[0]!, /^pi-freeze silent/);
    assert.match(detail[3]!, /^last answer to a ping: \d\d:\d\d \S+ \(\d+ (s|min) ago\)$/);
    freezeAgent!.kill("SIGCONT");
  });

  test("the watcher never answers a stranger", async () => {
    const since = stranger.received.length;
    for (const text of ["fleet", "help", "fleet pi-crash", "ack", "alerts", "alerts off", "test alert"]) {
      await stranger.send(xml("message", { to: watcherJid, type: "chat" }, xml("body", {}, text)));
    }
    await new Promise((r) => setTimeout(r, 3000));
    const heard = stranger.received.slice(since).filter((s) => fromBare(s) === watcherJid && (s.is("message") || (s.is("presence") && s.attrs.type === undefined)));
    assert.deepEqual(heard.map(String), []);
  });
});
