// The fleet watch at slixmpp, an operator nobody here wrote (Debian's python3-slixmpp, test/interop/watch_client.py),
// against a real server (Prosody, or ejabberd with XMPP_TEST_SERVER=ejabberd): `node dist/cli.js watch` with its
// defaults (watch.pingSeconds 30, watch.digestSeconds 10) but reminders every 12 s (alerts.remindMinutes 0.2,
// longer than a digest window), three devices that list it among their operators: one killed with SIGKILL, one
// turned crit. slixmpp asks `fleet`, gets the news as stored chat messages to its bare JID, a reminder, the reply
// to its `ack` and no reminder after; a second slixmpp account, a stranger, gets no reply at all.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startServer, type ThrowawayServer } from "./support/server.js";
import { startPython, type PythonRun } from "./support/python-peer.js";
import { finished, runCli, type Running } from "./support/cli.js";
import { scriptedSampler } from "./support/scripted-sampler.js";
import { startAgent, type Agent } from "../src/agent.js";
import { loadConfig } from "../src/config/load.js";
import { createLogger } from "../src/log.js";

const QUIET_SECONDS = 26; // two reminder intervals and more

describe("the fleet watch at slixmpp, an independent operator", () => {
  let server: ThrowawayServer;
  let watcherJid: string;
  let watcher: Running | undefined;
  const agents: Agent[] = [];
  const children: ReturnType<typeof spawn>[] = [];
  const dir = mkdtempSync(join(tmpdir(), "watch-slixmpp-"));
  const register = (name: string) => server.register(name, `${name}-pass`);

  before(async () => {
    server = await startServer();
    watcherJid = await register("watcher");
  });
  after(async () => {
    for (const agent of agents) await agent.stop("test over");
    for (const child of children) child.kill("SIGKILL");
    watcher?.child.kill("SIGTERM");
    if (watcher) await finished(watcher, 5000);
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test("slixmpp asks fleet, hears of a crash and a crit device (chat, bare JID, <store/>), acks, and no reminder after; a stranger hears nothing", async (t) => {
    const [ops, stranger, crashing, hot, cool] = await Promise.all(["ops", "stranger", "pi-crash", "pi-hot", "pi-cool"].map(register)) as [string, string, string, string, string];
    const deviceEnv = (jid: string) => ({ XMPP_SERVICE: server.service, XMPP_JID: jid, XMPP_PASSWORD: `${jid.split("@")[0]}-pass`, AGENT_OPERATORS: watcherJid, AGENT_LOG_LEVEL: "warn" });
    const configFile = join(dir, "watch.json");
    writeFileSync(configFile, JSON.stringify({ alerts: { remindMinutes: 0.2, maxPerMinute: 30, stateDirectory: join(dir, "state") } }));
    watcher = runCli(["watch"], {
      AGENT_CONFIG: configFile,
      XMPP_SERVICE: server.service,
      XMPP_JID: watcherJid,
      XMPP_PASSWORD: "watcher-pass",
      AGENT_OPERATORS: ops,
      WATCH_DEVICES: [crashing, hot, cool].join(","),
    });

    // One device as systemd runs it (a process to kill), two in this process on a scripted sampler
    const crashAgent = spawn(process.execPath, [fileURLToPath(new URL("./support/healthy-agent.js", import.meta.url))], { env: { PATH: process.env.PATH, ...deviceEnv(crashing), AGENT_INTERVAL: "1" }, stdio: "ignore" });
    children.push(crashAgent);
    const health = scriptedSampler();
    for (const jid of [hot, cool]) {
      const config = loadConfig({ env: { ...deviceEnv(jid), AGENT_INTERVAL: "3600" } });
      Object.assign(config.presence, { raiseAfter: 1, clearAfter: 1, minIntervalSeconds: 0 });
      config.alerts.level = "off"; // the watcher tells the operators
      agents.push(await startAgent({ config, password: `${jid.split("@")[0]}-pass`, log: createLogger("warn"), version: "test", sampler: jid === hot ? health.sampler : scriptedSampler().sampler }));
    }

    const common = ["--host", "127.0.0.1", "--port", String(server.port), "--watcher", watcherJid, "--devices", "pi-crash,pi-hot,pi-cool", "--quiet", String(QUIET_SECONDS)];
    const peer = startPython("watch_client.py", ["--role", "operator", "--jid", `${ops}/slixmpp`, "--password", "ops-pass", "--crit", "pi-hot", "--crashed", "pi-crash", ...common], 240_000);
    const report = async (run: Promise<PythonRun>) => {
      const got = await run.catch((error: Error) => ({ code: null, lines: [], stderr: error.message }));
      return `${got.stderr}\n${got.lines.map((l) => JSON.stringify(l)).join("\n")}`;
    };
    let strangerRun: Promise<PythonRun> | undefined;
    try {
      await peer.step("fleet");
      strangerRun = startPython("watch_client.py", ["--role", "stranger", "--jid", `${stranger}/slixmpp`, "--password", "stranger-pass", "--quiet", "5", ...common], 60_000).done;
      health.set({ memoryPercent: 97 });
      await agents[0]!.sampleNow();
      await peer.step("crit");
      crashAgent.kill("SIGKILL");
      const t0 = Date.now();
      await peer.step("offline");
      t.diagnostic(`pi-crash told offline ${((Date.now() - t0) / 1000).toFixed(1)} s after SIGKILL`);
    } catch (error) {
      assert.fail(`${error}\n${await report(peer.done)}`);
    }
    const run = await peer.done;
    assert.equal(run.code, 0, await report(peer.done));
    const step = (s: string) => run.lines.find((l) => l.step === s)!;

    assert.equal(step("accepted").frm, watcherJid);
    const fleet = step("fleet").body.split("\n");
    assert.equal(fleet[0], "3 devices: 3 ok");
    assert.deepEqual(fleet.slice(1).map((l: string) => l.split(" ")[0]).sort(), ["pi-cool", "pi-crash", "pi-hot"]);
    for (const line of fleet.slice(1)) assert.match(line, /^pi-\w+ ok since \d\d:\d\d \S+ \(/);
    const crit = step("crit");
    assert.deepEqual([crit.type, crit.to, crit.store, crit.body], ["chat", ops, true, "pi-hot crit (RAM 97% ≥ 95)"]);
    const offline = step("offline");
    assert.deepEqual([offline.type, offline.to, offline.store], ["chat", ops, true]);
    assert.match(offline.body, /^pi-crash offline without a clean stop \(crash, power or link\?\) since \d\d:\d\d \S+$/);
    assert.match(step("reminder").body, /^still bad: 2 devices not acknowledged\n/);
    const acked = step("acked");
    t.diagnostic(`reminder: ${JSON.stringify(step("reminder").body)}; ack: ${JSON.stringify(acked.body)}`);
    assert.equal(acked.type, "chat");
    assert.match(acked.body, /^acked 2 devices: .*\nno more reminders for them/);
    assert.match(acked.body.split("\n")[0], /pi-hot crit/);
    assert.match(acked.body.split("\n")[0], /pi-crash offline/);
    assert.deepEqual(step("quiet").heard, [], `nothing from the watcher in the ${QUIET_SECONDS} s after the ack`);
    assert.deepEqual(run.lines.filter((l) => l.step === "skipped"), [], "nothing else from the watcher in between");

    const strange = await strangerRun!;
    assert.equal(strange.code, 0, await report(strangerRun!));
    assert.deepEqual(strange.lines.find((l) => l.step === "heard")?.bodies, []);
  });
});
