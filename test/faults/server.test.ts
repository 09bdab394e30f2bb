// Prosody stopped and started 20 times, at moments a seeded PRNG picks (FAULTS_SEED=<n> replays a run): while
// the agent logs in, right after it sent a presence, while an operator's query is on its way to it. After each
// restart the agent has not crashed, has held one link at most, and the operator sees the device's current
// health within the backoff bound. The per-restart times are printed (docs/reliability.md, "Server").
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { xml, type Element } from "@xmpp/client";
import type { HealthSample } from "../../src/sampling/sample.js";
import { connectPeer, isPresenceFrom, type Peer } from "../support/peer.js";
import { startScene, type Scene } from "../support/scene.js";
import { agentLog } from "./support/agent-log.js";
import { crashWatch } from "./support/crash-watch.js";
import { startFaultProxy, type FaultProxy } from "./support/fault-proxy.js";
import { faultSeed, seededRandom } from "./support/seeded-random.js";
import { seconds, sleep, summary, until, within } from "./support/timing.js";

const RESTARTS = 20;
const RECONNECT_MAX_SECONDS = 4;
/** README "Connection": once the server is back, the next attempt comes within reconnectMaxSeconds (the backoff
 * cap); then one login and one presence over loopback, given 2 s on a loaded CI machine. */
const BOUND_MS = RECONNECT_MAX_SECONDS * 1000 + 2000;

/** What the scripted sampler reads, and what the operator must then see (README's table). */
const HEALTH = {
  ok: { readings: {}, show: undefined, status: "CPU 12%" },
  warn: { readings: { temperature: { celsius: 75, source: "thermal_zone0 (cpu-thermal)" } }, show: "away", status: "temp 75°C >= 70" },
  crit: { readings: { cpuPercent: 99 }, show: "dnd", status: "CPU 99% >= 95" },
} satisfies Record<string, { readings: Partial<HealthSample>; show: string | undefined; status: string }>;
type Health = keyof typeof HEALTH;

type Moment =
  | { kind: "login"; chunk: number } // the link is cut; the server stops when the agent's new link has had `chunk` chunks
  | { kind: "presence"; health: Health } // the health changes; the server stops as the agent's presence goes out
  | { kind: "query"; query: "version" | "chat" }; // the server stops as the operator's query reaches the agent

const seed = faultSeed();
const random = seededRandom(seed);
console.log(`server restarts: seed ${seed} (FAULTS_SEED=${seed} replays this run)`);
const plan = (() => {
  let health: Health = "ok";
  return Array.from({ length: RESTARTS }, (_, i) => {
    const kind = random.pick(["login", "presence", "query"] as const);
    let moment: Moment;
    if (kind === "login") moment = { kind, chunk: random.between(1, 4) };
    else if (kind === "query") moment = { kind, query: random.pick(["version", "chat"] as const) };
    else moment = { kind, health: (health = random.pick((Object.keys(HEALTH) as Health[]).filter((h) => h !== health))) };
    return { n: i + 1, moment, downMs: random.between(0, 1500), health };
  });
})();
const describeMoment = (m: Moment) =>
  m.kind === "login" ? `during a login (server chunk ${m.chunk})` : m.kind === "presence" ? `right after a presence (${m.health})` : `during a ${m.query} query`;

const shows = (health: Health) => (stanza: Element) =>
  stanza.getChildText("show") === (HEALTH[health].show ?? null) && (stanza.getChildText("status") ?? "").startsWith(HEALTH[health].status);

describe(`Prosody restarted ${RESTARTS} times at random moments (seed ${seed})`, () => {
  let scene: Scene;
  let proxy: FaultProxy;
  let operator: Peer;
  let log: ReturnType<typeof agentLog>;
  let fatal: number | null = null;
  const crashes = crashWatch();
  const figures: { n: number; moment: string; downMs: number; onlineMs: number; seenMs: number; hitLogin?: boolean }[] = [];

  before(async () => {
    scene = await startScene({
      stranger: false,
      env: { AGENT_INTERVAL: "0.5" },
      link: async (prosody) => (proxy = await startFaultProxy(prosody.port)),
      configure: (config) => {
        config.xmpp.reconnectMaxSeconds = RECONNECT_MAX_SECONDS;
        // Every change of the scripted health shows at the next sample, and goes out at once
        Object.assign(config.presence, { raiseAfter: 1, clearAfter: 1, minIntervalSeconds: 0 });
      },
    });
    operator = scene.operator;
    log = agentLog(scene.logs.lines);
    void scene.agent.fatal.then((code) => (fatal = code));
  });
  after(async () => {
    await operator?.stop();
    await scene?.stop();
    crashes.stop();
  });

  /** Stops the server at the planned moment; says whether a login was still under way when it stopped. */
  async function strike(moment: Moment): Promise<boolean | undefined> {
    if (moment.kind === "login") {
      const next = proxy.accepted() + 1;
      const reached = proxy.when("to-agent", (c) => c.link >= next && c.nth === moment.chunk);
      const mark = log.mark();
      proxy.cut();
      await within("the agent's next login", reached, RECONNECT_MAX_SECONDS * 1000 + 5000);
      await scene.prosody.stopServer();
      return log.said(/^(online|stream resumed)/, mark).length === 0;
    }
    if (moment.kind === "presence") {
      const goes = proxy.when("to-server", (c) => c.text.includes("<presence") && c.text.includes(`<status>${HEALTH[moment.health].status.replace(">", "&gt;")}`));
      scene.health.set(HEALTH[moment.health].readings);
      await within("the agent's presence", goes, 5000);
      await scene.prosody.stopServer();
      return;
    }
    const marker = moment.query === "version" ? "jabber:iq:version" : "<body>status</body>";
    const arrives = proxy.when("to-agent", (c) => c.text.includes(marker));
    if (moment.query === "version") {
      const query = xml("iq", { type: "get", to: scene.deviceFull }, xml("query", "jabber:iq:version"));
      void operator.xmpp.iqCaller.request(query, 5000).catch(() => undefined);
    } else {
      void operator.send(xml("message", { to: scene.device, type: "chat" }, xml("body", {}, "status"))).catch(() => undefined);
    }
    await within("the operator's query at the agent", arrives, 5000);
    await scene.prosody.stopServer();
    return;
  }

  async function operatorBack(): Promise<Peer> {
    for (let tries = 1; ; tries++) {
      try {
        return await connectPeer(scene.prosody.service, scene.operatorJid, "operator-pass");
      } catch (error) {
        if (tries === 3) throw error;
        await sleep(200);
      }
    }
  }

  for (const step of plan) {
    test(`restart ${step.n}/${RESTARTS} ${describeMoment(step.moment)}, down ${step.downMs} ms: the operator sees "${step.health}" within ${seconds(BOUND_MS)}`, async () => {
      const since = log.mark();
      try {
        await restart(step);
      } catch (error) {
        // What the agent said meanwhile is what tells why
        const agentSaid = scene.logs.lines.slice(since).filter((l) => !l.includes(`"msg":"sample"`)).slice(-40);
        const prosodySaid = (await scene.prosody.logText()).split("\n").filter((l) => /\t(info|warn|error)\t/.test(l)).slice(-30);
        (error as Error).message += [
          "\nthe agent's log since the step began:", ...agentSaid,
          "the link's last chunks:", ...proxy.recent(),
          "Prosody's log, last lines:", ...prosodySaid,
        ].join("\n");
        throw error;
      }
    });
  }

  async function restart(step: (typeof plan)[number]) {
    const hitLogin = await strike(step.moment);
    await operator.stop();
    await sleep(step.downMs);
    const mark = log.mark();
    await scene.prosody.startServer();
    const back = Date.now();

    operator = await operatorBack();
    const first = await operator.waitFor("the device's presence", isPresenceFrom(scene.device), BOUND_MS - (Date.now() - back) + 10);
    const seenMs = Date.now() - back;
    assert.ok(shows(step.health)(first), `the operator saw ${first.toString()}, expected "${step.health}" (${HEALTH[step.health].status})`);
    assert.ok(seenMs <= BOUND_MS, `seen after ${seenMs} ms`);

    await until("the agent logged online", () => log.said("online", mark).length > 0, 1000);
    const onlineMs = log.said("online", mark)[0]!.time - back;
    figures.push({ n: step.n, moment: describeMoment(step.moment), downMs: step.downMs, onlineMs, seenMs, hitLogin });

    crashes.assertNone(`around restart ${step.n}`);
    assert.equal(fatal, null, "the agent gave up");
    assert.ok(proxy.maxOpen() <= 1, `the agent had ${proxy.maxOpen()} links open at once`);
    assert.deepEqual(log.said(/./, mark).filter((r) => JSON.stringify(r).includes("conflict")), [], "a second session replaced the first");
  }

  test("figures", (t) => {
    const online = summary(figures.map((f) => f.onlineMs));
    const seen = summary(figures.map((f) => f.seenMs));
    t.diagnostic(`seed ${seed}; bound ${seconds(BOUND_MS)} (reconnectMaxSeconds ${RECONNECT_MAX_SECONDS} + 2 s for a login and a presence)`);
    for (const f of figures) {
      const hit = f.hitLogin === undefined ? "" : f.hitLogin ? " (hit mid-login)" : " (login was done)";
      t.diagnostic(`#${f.n} ${f.moment}${hit}, down ${f.downMs} ms: online ${f.onlineMs} ms, operator saw it ${f.seenMs} ms after Prosody was back`);
    }
    t.diagnostic(`back online: median ${seconds(online.median)}, max ${seconds(online.max)} (n=${online.n}); operator saw it: median ${seconds(seen.median)}, max ${seconds(seen.max)}`);
    t.diagnostic(`links open at once, at most: ${proxy.maxOpen()}; "online" logged ${log.said("online").length} times`);
    // The figures docs/reliability.md quotes: after every restart the agent was back within the bound, and what
    // the operator saw was the presence of that new session (the server forgets the old one when it stops)
    assert.equal(figures.length, RESTARTS, "every restart was measured");
    assert.ok(online.max <= BOUND_MS, `back online after ${seconds(online.max)} at worst (bound ${seconds(BOUND_MS)})`);
    for (const f of figures) assert.ok(f.onlineMs <= f.seenMs, `#${f.n}: the operator saw the device ${f.seenMs} ms after the restart, before it was online (${f.onlineMs} ms)`);
  });
});
