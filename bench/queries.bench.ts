// Scenario: answering operators. Round-trip latency of chat commands (`cpu`, `status`) and XEP-0092 version IQs
// from operator clients to the agent process (`node dist/cli.js run`) over a throwaway Prosody on loopback,
// against Prosody's own answer to a version IQ (the floor) and a bare @xmpp/client process that answers the same
// IQ and echoes chat (the same path through the server, without the agent's code), interleaved step by step.
// Then a 1,000-line burst from one operator, to see the per-operator chat rate limit hold.
import { startProsody } from "../test/servers/prosody/throwaway.js";
import { CHAT_RATE } from "../src/chat/handler.js";
import { BARE_CLIENT, CLI, startNode, type ChildRun } from "./online-process.js";
import { connectOperator, fastScramInThisProcess, inBatches, type Operator } from "./queries-operators.js";
import { queriesReport, type Flood, type Kind } from "./queries-report.js";
import type { ScenarioResult } from "./run.js";

/** Round trips per kind; each operator sends COMMANDS / OPERATORS chat lines, within the burst of 5. */
const COMMANDS = 1000;
const OPERATORS = 200;
/** Left out of the numbers: the first round trips warm the JIT and Prosody's caches. Their own accounts. */
const WARMUP = 50;
const FLOOD = 1000;

const log = (line: string) => process.stderr.write(`[queries] ${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function run(): Promise<ScenarioResult> {
  if (COMMANDS / OPERATORS > CHAT_RATE.burst) throw new Error(`${COMMANDS / OPERATORS} lines per operator would run into the rate limit (burst ${CHAT_RATE.burst})`);
  fastScramInThisProcess();
  const prosody = await startProsody();
  const children: ChildRun[] = [];
  let operators: Operator[] = [];
  try {
    const names = Array.from({ length: OPERATORS + WARMUP }, (_, i) => `op${String(i).padStart(3, "0")}`);
    const jids = await inBatches(names, 8, (n) => prosody.register(n, `${n}-pw`));
    const floodJid = await prosody.register("flood", "flood-pw");
    const device = await prosody.register("device", "device-bench-pw");
    const echo = await prosody.register("echo", "echo-bench-pw");
    const agent = `${device}/agent`;
    const bare = `${echo}/bare`;
    const agentEnv = (jid: string) => ({
      XMPP_SERVICE: prosody.service, XMPP_JID: jid, XMPP_PASSWORD: "device-bench-pw", XMPP_RESOURCE: "agent",
      AGENT_OPERATORS: [...jids, floodJid].join(","),
    });
    children.push(
      startNode(CLI, ["run"], agentEnv(device)),
      startNode(BARE_CLIENT, [], { XMPP_SERVICE: prosody.service, XMPP_JID: echo, XMPP_PASSWORD: "echo-bench-pw", XMPP_RESOURCE: "bare", BARE_ANSWER: "1" }),
    );
    const t0 = performance.now();
    operators = await inBatches(jids, 20, (jid) => connectOperator(prosody.service, jid, `${jid.split("@")[0]}-pw`));
    const flooder = await connectOperator(prosody.service, floodJid, "flood-pw");
    operators.push(flooder);
    log(`${operators.length} operators logged in in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    await untilAnswered(operators[0]!, agent);
    await untilAnswered(operators[0]!, bare);
    await sleep(1000); // the agent's roster sync (a subscribe to each of the 201 operators) settles

    const kinds: Kind[] = [
      { name: "agent: chat `cpu` / `status`, alternating", group: "agent", ms: [], lost: 0, run: (op, i) => op.chat(agent, i % 2 ? "status" : "cpu") },
      { name: "agent: XEP-0092 version IQ", group: "agent", ms: [], lost: 0, run: (op) => op.version(agent) },
      { name: "floor: Prosody's version IQ (to localhost)", group: "floor", ms: [], lost: 0, run: (op) => op.version(prosody.domain) },
      { name: "bare @xmpp/client process: version IQ", group: "bare", ms: [], lost: 0, run: (op) => op.version(bare) },
      { name: "bare @xmpp/client process: chat echo", group: "bare", ms: [], lost: 0, run: (op, i) => op.chat(bare, i % 2 ? "status" : "cpu") },
    ];
    const chatByCommand: Record<"cpu" | "status", number[]> = { cpu: [], status: [] };
    for (let step = -WARMUP; step < COMMANDS; step++) {
      const op = step < 0 ? operators[OPERATORS + WARMUP + step]! : operators[step % OPERATORS]!;
      for (let j = 0; j < kinds.length; j++) {
        const kind = kinds[(Math.abs(step) + j) % kinds.length]!; // rotated order each step
        try {
          const ms = await kind.run(op, step);
          if (step < 0) continue;
          kind.ms.push(ms);
          if (kind === kinds[0]) chatByCommand[step % 2 ? "status" : "cpu"].push(ms);
        } catch (err) {
          if (step >= 0) kind.lost++;
          log(`${kind.name}: ${(err as Error).message}`);
        }
      }
      if (step > 0 && step % 250 === 0) log(`${step}/${COMMANDS} steps`);
    }
    const flood = await burst(flooder, agent, operators[0]!);
    return {
      name: "queries",
      title: "Queries: answering operators",
      markdown: queriesReport({ kinds, chatByCommand, flood, method: { commands: COMMANDS, operators: OPERATORS, warmup: WARMUP, rate: CHAT_RATE } }),
    };
  } finally {
    await Promise.all(operators.map((o) => o.stop()));
    await Promise.all(children.map((c) => c.stop()));
    await prosody.stop();
  }
}

/** The agent logs in after it starts: ask until it answers. */
async function untilAnswered(op: Operator, to: string): Promise<void> {
  const until = Date.now() + 20_000;
  for (;;) {
    try {
      await op.version(to, 1000);
      return;
    } catch (err) {
      if (Date.now() > until) throw new Error(`${to} never answered a version IQ: ${(err as Error).message}`);
      await sleep(200);
    }
  }
}

/** FLOOD lines from one operator as fast as they go out; count replies until none came for 3 s. */
async function burst(flooder: Operator, agent: string, other: Operator): Promise<Flood> {
  const t0 = performance.now();
  await Promise.all(Array.from({ length: FLOOD }, () => flooder.post(agent, "cpu")));
  const sentMs = performance.now() - t0;
  // Meanwhile another operator still gets answers
  const others: number[] = [];
  for (let i = 0; i < 20; i++) others.push(await other.version(agent));
  let seen = flooder.replies();
  let quietSince = performance.now();
  while (performance.now() - quietSince < 3000 && performance.now() - t0 < 20_000) {
    await sleep(100);
    if (flooder.replies() !== seen) (seen = flooder.replies()), (quietSince = performance.now());
  }
  return { lines: FLOOD, sentMs, replies: flooder.replies(), windowMs: flooder.lastReplyAt() - t0, othersMs: others };
}
