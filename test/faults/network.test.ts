// The link between the agent and Prosody breaking the ways networks break, through a TCP proxy of the test's own
// (support/fault-proxy.ts): a link that goes silent without closing, a link cut in the middle of a stanza or of a
// login, a link that is down while the health changes; and a server that accepts TCP but never answers. The agent
// must notice within its documented bounds, come back, lose nothing it owed the operator, and never crash.
// (A cut link's XEP-0198 resume and one blackhole are in test/link-faults.test.ts; an unreachable port and a wrong
// password in test/agent-process.test.ts.) Figures: docs/reliability.md, "Network".
import { after, before, describe, test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { xml, type Element } from "@xmpp/client";
import { finished, runCli } from "../support/cli.js";
import { isPresenceFrom } from "../support/peer.js";
import { startScene, type Scene } from "../support/scene.js";
import { agentLog, parseLines } from "./support/agent-log.js";
import { crashWatch } from "./support/crash-watch.js";
import { startFaultProxy, type FaultProxy } from "./support/fault-proxy.js";
import { startSilentServer } from "./support/silent-server.js";
import { seconds, sleep, summary, until, within } from "./support/timing.js";

const KEEPALIVE_SECONDS = 5;
const KEEPALIVE_TIMEOUT_SECONDS = 2;
const RECONNECT_MAX_SECONDS = 4;
/** README "Connection": idle + timeout + a tenth of idle (the check's step) = 7.5 s; 250 ms for timers on a busy machine. */
const NOTICE_BOUND_MS = (KEEPALIVE_SECONDS + KEEPALIVE_TIMEOUT_SECONDS + KEEPALIVE_SECONDS / 10) * 1000;
const TIMER_ALLOWANCE_MS = 250;
const BLACKHOLES = 5;

const BACK = /^(online|stream resumed)/;
const isChatFrom = (jid: string) => (s: Element) => s.is("message") && String(s.attrs.from ?? "").startsWith(`${jid}/`) && s.getChildText("body") !== null;

describe("network faults between the agent and Prosody", () => {
  let scene: Scene;
  let proxy: FaultProxy;
  let log: ReturnType<typeof agentLog>;
  let fatal: number | null = null;
  const crashes = crashWatch();

  before(async () => {
    scene = await startScene({
      stranger: false,
      // Resumption, as an admin who wants it sets Prosody up (the default 600 s gets none: src/xmpp/login-loop.ts)
      prosodyHibernationSeconds: 30,
      link: async (prosody) => (proxy = await startFaultProxy(prosody.port)),
      configure: (config) => {
        Object.assign(config.xmpp, { keepaliveSeconds: KEEPALIVE_SECONDS, keepaliveTimeoutSeconds: KEEPALIVE_TIMEOUT_SECONDS, reconnectMaxSeconds: RECONNECT_MAX_SECONDS });
        Object.assign(config.presence, { raiseAfter: 1, clearAfter: 1, minIntervalSeconds: 0 });
      },
    });
    log = agentLog(scene.logs.lines);
    void scene.agent.fatal.then((code) => (fatal = code));
  });
  after(async () => {
    await scene?.stop();
    crashes.stop();
  });

  /** Back after the fault that followed `mark`: resolves with that log record. */
  const backSince = async (mark: number, timeoutMs = RECONNECT_MAX_SECONDS * 1000 + 6000) => {
    await until("the agent back online", () => log.said(BACK, mark).length > 0, timeoutMs);
    return log.said(BACK, mark)[0]!;
  };
  /** The operator asks `status` and gets the answer: the link works end to end. */
  const answers = async (timeoutMs = 10_000) => {
    const since = scene.operator.received.length;
    await scene.operator.send(xml("message", { to: scene.device, type: "chat" }, xml("body", {}, "status")));
    await scene.operator.waitFor("the reply to status", isChatFrom(scene.device), timeoutMs, since);
  };
  /** Asks `status` every 3 s until the agent answers: resolves with the milliseconds it took. */
  const answersAgain = async (withinMs: number) => {
    const start = Date.now();
    for (;;) {
      try {
        await answers(3000);
        return Date.now() - start;
      } catch (error) {
        if (Date.now() - start > withinMs) throw error;
      }
    }
  };
  /** On failure, what the agent said and what went over the link meanwhile: the message tells why. */
  const explained = (body: (t: TestContext) => Promise<void>) => async (t: TestContext) => {
    const since = log.mark();
    try {
      await body(t);
    } catch (error) {
      const said = scene.logs.lines.slice(since).filter((l) => !l.includes(`"msg":"sample"`)).slice(-30);
      (error as Error).message += ["\nthe agent's log meanwhile:", ...said, "the link's last chunks:", ...proxy.recent()].join("\n");
      throw error;
    }
  };
  const unharmed = (when: string) => {
    crashes.assertNone(when);
    assert.equal(fatal, null, "the agent gave up");
    assert.ok(proxy.maxOpen() <= 1, `the agent had ${proxy.maxOpen()} links open at once`);
  };

  test(`a blackholed link, ${BLACKHOLES} times: noticed by the keepalive within ${seconds(NOTICE_BOUND_MS)} and the agent is back`, explained(async (t) => {
    const noticed: number[] = [];
    const back: number[] = [];
    for (let i = 1; i <= BLACKHOLES; i++) {
      await sleep(300);
      const mark = log.mark();
      const start = Date.now();
      proxy.blackhole();
      await until("the keepalive noticed", () => log.said(/^keepalive:/, mark).length > 0, NOTICE_BOUND_MS + 5000);
      noticed.push(log.said(/^keepalive:/, mark)[0]!.time - start);
      back.push((await backSince(mark)).time - start);
      t.diagnostic(`blackhole ${i}: noticed after ${noticed.at(-1)} ms, back online ${back.at(-1)} ms after it began`);
      assert.ok(noticed.at(-1)! <= NOTICE_BOUND_MS + TIMER_ALLOWANCE_MS, `noticed after ${noticed.at(-1)} ms`);
      unharmed(`after blackhole ${i}`);
    }
    await answers();
    const n = summary(noticed);
    const b = summary(back);
    t.diagnostic(`noticed: median ${seconds(n.median)}, max ${seconds(n.max)} (bound ${seconds(NOTICE_BOUND_MS)}); back: median ${seconds(b.median)}, max ${seconds(b.max)}`);
  }));

  test("the operator's message cut in half on its way to the agent: the agent resumes, skips the resent copy, answers the next one", explained(async (t) => {
    const mark = log.mark();
    const cut = proxy.cutMidStanza("to-agent", (c) => c.text.includes("<body>status</body>"));
    // Prosody resends what the agent had not acknowledged, with a XEP-0203 delay; the agent does not execute
    // delayed messages (README, "Asking a device"), so the question that was cut stays unanswered
    const resent = proxy.when("to-agent", (c) => c.text.includes("<body>status</body>") && c.text.includes("urn:xmpp:delay"));
    await scene.operator.send(xml("message", { to: scene.device, type: "chat" }, xml("body", {}, "status")));
    const { forwarded, of } = await within("the message at the proxy", cut, 5000);
    assert.ok(forwarded < of);
    const back = await backSince(mark);
    assert.equal(back.msg, "stream resumed (XEP-0198)");
    t.diagnostic(`cut after ${forwarded} of ${of} bytes; resent at the resume on link ${(await within("the resent copy", resent, 5000)).link}`);
    await answers();
    unharmed("after a cut mid-stanza");
  }));

  test("the agent's reply cut inside its text on its way to the server: the agent finds the resumed stream deaf, starts a new session and answers again", explained(async (t) => {
    const mark = log.mark();
    const since = scene.operator.received.length;
    // Cut inside the reply's text: what follows then parses as more of it, so the server reads nothing more
    const insideText = (_: unknown, bytes: Buffer) => bytes.indexOf("<body>") + "<body>".length + 3;
    const cut = proxy.cutMidStanza("to-server", (c) => c.text.includes("<body>"), insideText);
    await scene.operator.send(xml("message", { to: scene.device, type: "chat" }, xml("body", {}, "uptime")));
    await within("the reply at the proxy", cut, 5000);
    await backSince(mark);
    // Prosody 0.12.3 feeds the resumed session to the dead link's parser, which holds the half stanza
    // (src/xmpp/resume-check.ts): what the agent sends next is swallowed, or ends the stream as not-well-formed.
    // The agent must find out (the keepalive pings a resumed stream at once) and start a new session.
    const bound = KEEPALIVE_TIMEOUT_SECONDS * 1000 + RECONNECT_MAX_SECONDS * 1000 + 3000;
    const tookMs = await answersAgain(bound);
    const replies = scene.operator.received.slice(since).filter(isChatFrom(scene.device)).map((s) => s.getChildText("body") ?? "");
    const fresh = log.said("online", mark).length > 0;
    t.diagnostic(`answering again ${tookMs} ms after the resume, ${fresh ? "in a new session" : "in the resumed one"}; the cut reply ${replies.some((r) => r.startsWith("up ")) ? "arrived" : "was lost"}`);
    assert.ok(fresh, "the agent answers again in a new session, not in the resumed one that swallows what it sends");
    // What the operator reads: whole replies only (the cut one whole or not at all), the last one to `status`
    for (const body of replies) assert.match(body, /^(up \d|ok\nCPU \d)/, `a reply the operator got: ${JSON.stringify(body)}`);
    assert.match(replies.at(-1) ?? "", /^ok\nCPU \d/);
    unharmed("after a reply cut mid-stanza");
  }));

  test("a login cut right after the agent's SASL <auth>: the next login succeeds (nothing of the cut one answers it)", explained(async () => {
    const mark = log.mark();
    const next = proxy.accepted() + 1;
    const auth = proxy.when("to-server", (c) => c.link >= next && c.text.includes("<auth"));
    proxy.cut();
    await within("the agent's next <auth>", auth, RECONNECT_MAX_SECONDS * 1000 + 5000);
    proxy.cut();
    await backSince(mark, 2 * RECONNECT_MAX_SECONDS * 1000 + 6000);
    assert.ok(log.said("login failed", mark).length >= 1, "the cut login was reported");
    await answers();
    unharmed("after a login cut mid-SASL");
  }));

  test("a login cut in the middle of the server's stream features: retried, and back", explained(async () => {
    const mark = log.mark();
    const next = proxy.accepted() + 1;
    const cut = proxy.cutMidStanza("to-agent", (c) => c.link >= next && c.nth === 1);
    proxy.cut();
    await within("the agent's next login", cut, RECONNECT_MAX_SECONDS * 1000 + 5000);
    await backSince(mark, 2 * RECONNECT_MAX_SECONDS * 1000 + 6000);
    await answers();
    unharmed("after a login cut mid-features");
  }));

  test("a health change while the link is down reaches the operator as soon as the session is resumed", explained(async () => {
    proxy.refuse(true);
    const mark = log.mark();
    proxy.cut();
    await until("a login attempt failed", () => log.said("login failed", mark).length > 0, RECONNECT_MAX_SECONDS * 1000 + 2000);
    const since = scene.operator.received.length;
    scene.health.set({ temperature: { celsius: 75, source: "thermal_zone0 (cpu-thermal)" } });
    assert.equal((await scene.agent.sampleNow()).state.level, "warn");
    proxy.refuse(false);
    const resumed = await backSince(mark, RECONNECT_MAX_SECONDS * 1000 + 6000);
    const away = await scene.operator.waitFor("away", (s) => isPresenceFrom(scene.device)(s) && s.getChildText("show") === "away", 12_000, since);
    const lag = Date.now() - resumed.time;
    assert.ok(lag < 1000, `the operator saw ${away.toString()} ${lag} ms after the resume, not at it`);
    scene.health.set({});
    await scene.agent.sampleNow();
    unharmed("after a change while down");
  }));
});

describe("a server that accepts TCP and never answers the stream header", () => {
  test("each login attempt times out and is logged, retried after growing, jittered, capped delays, one socket at a time; SIGTERM exits 0", async (t) => {
    const silent = await startSilentServer();
    const dir = await mkdtemp(join(tmpdir(), "xmpp-device-agent-silent-"));
    const configFile = join(dir, "agent.json");
    // A 2 s wait per answer (xmpp.loginStepTimeoutSeconds; default 10) keeps four attempts within the test's time
    await writeFile(configFile, JSON.stringify({ xmpp: { reconnectMaxSeconds: RECONNECT_MAX_SECONDS, loginStepTimeoutSeconds: 2 } }));
    const agent = runCli(["run", "--config", configFile], {
      XMPP_SERVICE: silent.service,
      XMPP_JID: "device@localhost",
      XMPP_PASSWORD: "silent-device-secret-1",
    });
    try {
      // Four delays: 1 s, 2 s, 4 s and (capped) 4 s windows
      const delays = () => parseLines(agent.stdout()).filter((r) => r.msg === "reconnecting after delay");
      await until("four retries", () => delays().length >= 4, 30_000, 100);
      const stopAt = Date.now();
      agent.child.kill("SIGTERM");
      const { code } = await finished(agent, 5000);
      const exitMs = Date.now() - stopAt;
      await until("the agent's sockets closed", () => silent.open() === 0, 1000);

      const records = parseLines(agent.stdout());
      const failures = records.filter((r) => r.msg === "login failed");
      const retries = records.filter((r) => r.msg === "reconnecting after delay") as unknown as { attempt: number; delayMs: number }[];
      const connections = silent.connections();
      t.diagnostic(`delays: ${retries.map((r) => `#${r.attempt} ${r.delayMs} ms`).join(", ")}; exit ${code} after SIGTERM in ${exitMs} ms`);
      t.diagnostic(`connections: ${connections.map((c) => `${c.closedAt! - c.openedAt} ms`).join(", ")}`);

      assert.equal(code, 0);
      assert.ok(exitMs < 3000, `SIGTERM took ${exitMs} ms`);
      assert.ok(failures.length >= 4, agent.stdout());
      for (const f of failures) assert.match(JSON.stringify(f.err), /did not answer the stream header within 2 s/);
      for (const r of retries) {
        const ceiling = Math.min(RECONNECT_MAX_SECONDS * 1000, 1000 * 2 ** (r.attempt - 1));
        assert.ok(r.delayMs >= 500 && r.delayMs <= ceiling, `attempt ${r.attempt}: ${r.delayMs} ms outside 500..${ceiling}`);
      }
      assert.ok(new Set(retries.map((r) => r.delayMs)).size > 1, "the delays are jittered");
      // What the server saw: one socket at a time, each closed at the timeout, the next one a delay later
      assert.equal(silent.maxOpen(), 1);
      for (const [i, c] of connections.entries()) {
        assert.ok(c.closedAt !== null, `connection ${i + 1} left open`);
        const next = connections[i + 1];
        const delay = retries[i]?.delayMs;
        if (next && delay !== undefined) {
          const gap = next.openedAt - c.closedAt!;
          assert.ok(Math.abs(gap - delay) < 300, `connection ${i + 2} came ${gap} ms after the previous closed, the log said ${delay} ms`);
        }
      }
      assert.equal(records.filter((r) => r.level >= 50).length, 0, "no error or fatal lines");
    } finally {
      agent.child.kill("SIGKILL");
      await silent.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
