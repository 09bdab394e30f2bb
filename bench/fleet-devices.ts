// The fleet benchmark's devices: N agents in this one process (forked by fleet.bench.ts, with --expose-gc), each
// the real agent (startAgent: its own XMPP session, roster, presence publisher, responders) on synthetic health
// (fleet-health.ts). The parent drives it over IPC; this process measures only itself, so its memory per device
// is not mixed with the operator's or the orchestrator's.
import { Writable } from "node:stream";
import { startAgent, type Agent } from "../src/agent.js";
import { loadConfig } from "../src/config/load.js";
import { readDeviceFacts } from "../src/facts.js";
import { createLogger } from "../src/log.js";
import { fleetHealth, type FleetMood } from "./fleet-health.js";
import { processCpu } from "./process-cpu.js";

export interface DeviceAccount {
  jid: string;
  password: string;
}

export type ToDevices =
  | { cmd: "usage" }
  | { cmd: "start"; service: string; operators: string[]; alertsOff: boolean; accounts: DeviceAccount[]; seed: number; loginStepTimeoutSeconds?: number }
  | { cmd: "mood"; mood: FleetMood }
  | { cmd: "stop"; reason: string };

export interface DevicesUsage {
  rssBytes: number;
  heapUsedBytes: number;
  /** This process's CPU time so far, in seconds. */
  cpuSeconds: number;
  samplesTaken: number;
  /** Lines the agents logged at warn or above (the level they run at), by message, and the first few. */
  warnings: number;
  warningsByMessage: Record<string, number>;
  firstWarnings: string[];
  fatal: number;
}

export type FromDevices = { ev: "usage"; usage: DevicesUsage } | { ev: "started"; ms: number } | { ev: "stopped"; ms: number };

const cpu = processCpu();
let agents: Agent[] = [];
let health = fleetHealth(1);
let fatal = 0;
const firstWarnings: string[] = [];
let warnings = 0;
const warningsByMessage: Record<string, number> = {};
// One shared sink: the agents run at warn, so a line here is news
const sink = new Writable({
  write(chunk, _encoding, done) {
    for (const line of String(chunk).split("\n").filter(Boolean)) {
      warnings++;
      const { msg = "?", err } = JSON.parse(line) as { msg?: string; err?: { message?: string; condition?: string; code?: string } };
      const why = err?.message || err?.condition || err?.code || (err ? JSON.stringify(err) : "");
      const key = (why ? `${msg}: ${why}` : msg).replace(/127\.0\.0\.1:\d+/, "127.0.0.1:<port>");
      warningsByMessage[key] = (warningsByMessage[key] ?? 0) + 1;
      if (firstWarnings.length < 5) firstWarnings.push(line.slice(0, 400));
    }
    done();
  },
});

function usage(): DevicesUsage {
  (globalThis as { gc?: () => void }).gc?.();
  const memory = process.memoryUsage();
  const ticks = cpu.now();
  return {
    rssBytes: memory.rss,
    heapUsedBytes: memory.heapUsed,
    cpuSeconds: (ticks.self + ticks.children) / cpu.ticksPerSecond,
    samplesTaken: health.taken(),
    warnings,
    warningsByMessage: { ...warningsByMessage },
    firstWarnings,
    fatal,
  };
}

async function start(message: Extract<ToDevices, { cmd: "start" }>): Promise<void> {
  health = fleetHealth(message.seed);
  // Every simulated device runs on this machine: read its facts once, as each real device does once
  const facts = readDeviceFacts();
  const log = createLogger("warn", sink);
  agents = await Promise.all(
    message.accounts.map(async ({ jid, password }, index) => {
      const config = loadConfig({
        env: { XMPP_SERVICE: message.service, XMPP_JID: jid, XMPP_PASSWORD: password, AGENT_OPERATORS: message.operators.join(","), XMPP_RESOURCE: "fleet" },
      });
      // --login-step-timeout-seconds: to compare with @xmpp/client's own 2 s
      if (message.loginStepTimeoutSeconds) config.xmpp.loginStepTimeoutSeconds = message.loginStepTimeoutSeconds;
      // With a watcher, as docs/fleet.md has a thousand devices: its digest tells, the devices do not chat alerts
      if (message.alertsOff) config.alerts.level = "off";
      const agent = await startAgent({ config, password, log: log.child({ device: index }), version: "fleet-bench", sampler: health.sampler(index), readFacts: () => facts });
      void agent.fatal.then(() => fatal++);
      return agent;
    }),
  );
}

const send = (message: FromDevices) => process.send?.(message);

process.on("message", (message: ToDevices) => {
  const t0 = performance.now();
  const done = (ev: "started" | "stopped") => () => send({ ev, ms: performance.now() - t0 });
  if (message.cmd === "usage") send({ ev: "usage", usage: usage() });
  else if (message.cmd === "start") void start(message).then(done("started"));
  else if (message.cmd === "mood") health.setMood(message.mood);
  else if (message.cmd === "stop") void Promise.all(agents.map((a) => a.stop(message.reason))).then(done("stopped"));
});
// The parent gone (a failed run): do not linger with a thousand sessions open
process.on("disconnect", () => process.exit(0));
send({ ev: "usage", usage: usage() });
