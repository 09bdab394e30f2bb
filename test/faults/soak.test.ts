// Soak: 100,000 health samples through the real pipeline (health monitor with hysteresis -> presence publisher
// -> a real XMPP session to Prosody -> an operator's client), with thousands of level changes, each sent
// (presence.minIntervalSeconds 0). The agent runs in a child with --expose-gc, so its RSS after a forced GC and
// its open handles are its own; they are read at the start, every 10,000 samples, and at 100,000.
// SOAK_SEED=<n> replays a run's readings.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomInt } from "node:crypto";
import { fileURLToPath } from "node:url";
import { startProsody, type ThrowawayProsody } from "../servers/prosody/throwaway.js";
import { connectPeer, isPresenceFrom, type Peer } from "../support/peer.js";
import { forkAgent, type AgentChild, type ProbeStats } from "./support/hostile-child.js";

const SAMPLES = 100_000;
const CHECKPOINT = 10_000;
const MB = 1024 * 1024;
const DEVICE_PASSWORD = "device-secret-1";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Progress {
  samples: number;
  ms: number;
  presences: number;
  levelChanges: number;
  warnings: string[];
}

interface Checkpoint {
  samples: number;
  stats: ProbeStats;
  progress: Progress | null;
}

describe("soak: 100,000 health samples with thousands of presence changes", () => {
  let prosody: ThrowawayProsody;
  let agent: AgentChild;
  let operator: Peer;
  let device: string;
  const seed = process.env.SOAK_SEED ? Number(process.env.SOAK_SEED) : randomInt(2 ** 31);
  const checkpoints: Checkpoint[] = [];
  let received = 0;
  let startedAt = 0;
  let elapsedMs = 0;
  const at = (samples: number) => checkpoints.find((c) => c.samples === samples)!;
  /** Measured when quiet: XEP-0198's ack timers (250 ms debounce, then one awaiting the answer) come and go with traffic. */
  const quietStats = async () => {
    await sleep(500);
    return agent.stats();
  };

  before(async () => {
    console.log(`soak: seed ${seed} (SOAK_SEED=${seed} replays this run)`);
    prosody = await startProsody();
    device = await prosody.register("device", DEVICE_PASSWORD);
    const operatorJid = await prosody.register("operator", "operator-pass");
    operator = await connectPeer(prosody.service, operatorJid, "operator-pass", { acceptFrom: device });
    operator.xmpp.on("stanza", (s) => void (isPresenceFrom(device)(s) && received++));
    agent = await forkAgent(fileURLToPath(new URL("./support/soak-agent.js", import.meta.url)), {
      XMPP_SERVICE: prosody.service,
      XMPP_JID: device,
      XMPP_PASSWORD: DEVICE_PASSWORD,
      XMPP_RESOURCE: "pi",
      AGENT_OPERATORS: operatorJid,
      AGENT_INTERVAL: "3600",
      SOAK_SEED: String(seed),
    });
    await operator.waitFor("the device's first presence", isPresenceFrom(device), 15_000);
    checkpoints.push({ samples: 0, stats: await quietStats(), progress: null });

    startedAt = Date.now();
    for (let until = CHECKPOINT; until <= SAMPLES; until += CHECKPOINT) {
      const progress = await agent.request<Progress>("run", { until }, 120_000);
      // Every presence sent so far has reached the operator before the agent is measured
      const deadline = Date.now() + 30_000;
      while (received < progress.presences && Date.now() < deadline) await sleep(20);
      checkpoints.push({ samples: until, stats: await quietStats(), progress });
    }
    elapsedMs = Date.now() - startedAt;
  });

  after(async () => {
    const last = checkpoints[checkpoints.length - 1];
    if (last?.progress) {
      const mb = (b: number) => (b / MB).toFixed(1);
      console.log(
        [
          `soak: seed ${seed}; ${last.progress.samples} samples in ${(elapsedMs / 1000).toFixed(1)} s; ${last.progress.levelChanges} level changes; ${last.progress.presences} presences sent, ${received} received by the operator`,
          `soak: RSS after GC (MB) ${checkpoints.map((c) => `${c.samples / 1000}k ${mb(c.stats.rssBytes)}`).join(", ")}`,
          `soak: heap used after GC (MB) ${checkpoints.map((c) => `${c.samples / 1000}k ${mb(c.stats.heapUsedBytes)}`).join(", ")}`,
          `soak: open handles at the start [${checkpoints[0]!.stats.resources.join(", ")}], at the end [${last.stats.resources.join(", ")}]`,
        ].join("\n"),
      );
    }
    await agent?.stop();
    await operator?.stop();
    await prosody?.stop();
  });

  test("every one of the 100,000 samples was taken, with thousands of level changes, each sent and received", () => {
    const end = at(SAMPLES).progress!;
    assert.equal(end.samples, SAMPLES);
    assert.ok(end.levelChanges >= 5000, `${end.levelChanges} level changes`);
    assert.ok(end.presences >= end.levelChanges, `${end.presences} presences for ${end.levelChanges} level changes`);
    // The first presence (at login) is counted by both
    assert.equal(received, end.presences, "presences received by the operator");
  });

  test("nothing crashed and nothing was logged at warn or above", () => {
    assert.deepEqual(agent.faults, []);
    assert.deepEqual(at(SAMPLES).progress!.warnings, []);
  });

  test("RSS after GC stays flat after warm-up: growth from 10,000 to 100,000 samples < 20 MB, heap < 5 MB", () => {
    const [warm, mid, end] = [at(10_000), at(50_000), at(SAMPLES)];
    const growth = end.stats.rssBytes - warm.stats.rssBytes;
    assert.ok(growth < 20 * MB, `RSS ${(warm.stats.rssBytes / MB).toFixed(1)} MB at 10k, ${(mid.stats.rssBytes / MB).toFixed(1)} MB at 50k, ${(end.stats.rssBytes / MB).toFixed(1)} MB at 100k`);
    const heap = end.stats.heapUsedBytes - warm.stats.heapUsedBytes;
    assert.ok(heap < 5 * MB, `heap used grew ${(heap / MB).toFixed(1)} MB`);
  });

  test("the open handles at the end are the ones at the start", () => {
    assert.deepEqual(at(SAMPLES).stats.resources, at(0).stats.resources);
  });
});
