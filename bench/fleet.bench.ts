// Scenario: a fleet. N real agents (bench/fleet-devices.ts, one forked process, a session each, synthetic
// health from fleet-health.ts) against one throwaway Prosody on loopback, and one operator with all N in the
// roster (fleet-operator.ts, in this process). Default config for the agents, as a user runs them. Phases:
//   1. first start: all N at once, the subscription handshake included, until the operator sees all N;
//   2. the operator logs in again: its roster and N presences, what a client meets on a phone every morning;
//   3. steady state: numbers drift every sample, one device in 20 flaps around the CPU warn threshold;
//   4. a fleet-wide spike to crit, then calm: presences per minute while every device changes level;
//   5. Prosody restarted: the reconnect storm, until the operator sees all N again;
//   6. all N stop: the operator sees N "stopping" presences.
// With a watcher (the default; --watcher 0 for none): `xmpp-device-agent watch` in its own process with all N in
// watch.devices (fleet-watcher.ts), every device listing it among its operators, and a second operator who has
// only the watcher. After each phase's goal the benchmark waits for the watcher's digests to go quiet.
// Prosody's CPU and RSS are read from /proc/<pid> around each phase, the devices' process and the watcher's too.
//   npm run bench:fleet -- --devices N [--steady-seconds S] [--watcher 0]
import { fork, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startProsody, type ThrowawayProsody } from "../test/servers/prosody/throwaway.js";
import type { DeviceAccount, DevicesUsage, FromDevices, ToDevices } from "./fleet-devices.js";
import { FLAPPER_EVERY } from "./fleet-health.js";
import { operatorView, type ChatMessage, type OperatorView } from "./fleet-operator.js";
import { startWatcher, type WatcherProcess } from "./fleet-watcher.js";
import type { WatcherFigures, WatcherPhase } from "./fleet-watcher-report.js";
import { fleetReport, type FleetFigures, type PhaseFigures } from "./fleet-report.js";
import { processCpu, residentBytes } from "./process-cpu.js";
import { benchOption } from "./options.js";
import type { ScenarioResult } from "./run.js";

const log = (line: string) => process.stderr.write(`[fleet] ${new Date().toISOString().slice(11, 19)} ${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const OPERATOR_PW = "operator-fleet-pw";
/** Every wait is bounded: the benchmark stops by itself, with what it saw, when the fleet does not get there. */
const PHASE_TIMEOUT_MS = 10 * 60_000;
/** The first start with a watcher doubles the subscription handshake on a saturated Prosody: it is waited for
 * as long as devices keep arriving (a new one within FIRST_START_STALL_MS), up to FIRST_START_CAP_MS. */
const FIRST_START_STALL_MS = 3 * 60_000;
const FIRST_START_CAP_MS = 30 * 60_000;
const REGISTER_CONCURRENCY = 8;
const SERVER_DOWN_MS = 2000;
const WATCHER_PW = "watcher-fleet-pw";
/** The watcher's defaults (config/schema.ts): its digest window, and how long an unclean offline waits (fleet.ts). */
const DIGEST_SECONDS = 10;
const PING_SECONDS = 30;
const OFFLINE_GRACE_MS = 20_000;
/** After a phase's goal: wait until the watcher has told nothing for this long (at most WATCHER_SETTLE_MAX_MS). */
const WATCHER_QUIET_MS = (DIGEST_SECONDS + 5) * 1000;
const WATCHER_SETTLE_MAX_MS = 3 * 60_000;

export async function run(): Promise<ScenarioResult> {
  const devices = benchOption("devices", 1000);
  const steadySeconds = benchOption("steady-seconds", 120);
  const seed = benchOption("seed", 20261125);
  // --logins-only 1: the first start, the restart and the stop, to compare login settings in a few minutes
  const loginsOnly = benchOption("logins-only", 0, undefined, 0) === 1;
  const loginStepTimeoutSeconds = benchOption("login-step-timeout-seconds", 0, undefined, 0) || undefined;
  const withWatcher = benchOption("watcher", 1, undefined, 0) === 1;
  const prosody = await startProsody({ logLevel: "info" });
  let child: ChildProcess | undefined;
  let operator: OperatorView | undefined;
  let operator2: OperatorView | undefined;
  let watcher: WatcherProcess | undefined;
  try {
    const t0 = performance.now();
    const operatorJid = await prosody.register("operator", OPERATOR_PW);
    const operator2Jid = await prosody.register("operator2", OPERATOR_PW);
    const watchJid = await prosody.register("watch", WATCHER_PW);
    const messages: Record<string, ChatMessage[]> = { [operatorJid]: [], [operator2Jid]: [] };
    const accounts = await registerDevices(prosody, devices);
    log(`${devices} device accounts registered in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const arrivals: number[] = []; // every presence from a device, at whichever login of the operator
    const fleet = await forkDevices();
    child = fleet.child;
    const baseline = await fleet.usage();
    // As a person's client does: a login refused or reset by a server in a reconnect storm is tried again
    const login = () => retried(() => operatorView(prosody.service, operatorJid, OPERATOR_PW, arrivals, messages[operatorJid], [watchJid]));
    const login2 = () => retried(() => operatorView(prosody.service, operator2Jid, OPERATOR_PW, [], messages[operator2Jid], [watchJid]));
    operator = await login();
    const server = serverWatch(prosody);
    const phases: PhaseFigures[] = [];
    const watcherPhases: WatcherPhase[] = [];
    let watcherIdleRss = 0;
    if (withWatcher) {
      operator2 = await login2();
      const deviceJids = accounts.map((a) => a.jid);
      watcher = startWatcher({ service: prosody.service, jid: watchJid, password: WATCHER_PW, operators: [operatorJid, operator2Jid], devices: deviceJids });
      await operator.untilContact(watchJid, (v) => v.show !== "unavailable", 60_000).catch((err: Error) => {
        throw new Error(`${err.message}\n${watcher!.run.output().slice(-2000)}`);
      });
      await sleep(2000);
      watcherIdleRss = watcher.memory().rssBytes;
      log(`watcher online, ${(watcherIdleRss / 2 ** 20).toFixed(1)} MiB RSS`);
    }
    /** Until the watcher has told its operators nothing for WATCHER_QUIET_MS, and at least `minMs` has passed. */
    const watcherSettles = async (minMs: number) => {
      if (!watcher) return;
      const from = performance.now();
      const lastTold = () => Math.max(from, ...Object.values(messages).flatMap((m) => m.filter((x) => x.from === watchJid).map((x) => x.at)));
      while (performance.now() - from < WATCHER_SETTLE_MAX_MS && (performance.now() - from < minMs || performance.now() - lastTold() < WATCHER_QUIET_MS)) await sleep(1000);
    };
    /** Runs one phase and records its figures; resolves with the devices' usage at its end. */
    const phase = async (name: string, body: () => Promise<number>, settleMs = WATCHER_QUIET_MS): Promise<DevicesUsage> => {
      const before = { server: server.cpuSeconds(), devices: await fleet.usage(), arrivals: arrivals.length, at: performance.now(), watcher: watcher?.cpuSeconds() ?? 0 };
      log(`${name}: begins`);
      const seenAt = await body();
      await watcherSettles(settleMs);
      const after = { server: server.cpuSeconds(), devices: await fleet.usage(), at: performance.now() };
      if (watcher) watcherPhases.push({ name, startedAt: before.at, endedAt: after.at, cpuSeconds: watcher.cpuSeconds() - before.watcher, ...watcher.memory(), load: loadavg()[0]! });
      const seconds = (after.at - before.at) / 1000;
      const figures: PhaseFigures = {
        name,
        seconds: (seenAt - before.at) / 1000,
        wallSeconds: seconds,
        presences: arrivals.slice(before.arrivals).filter((at) => at <= after.at),
        startedAt: before.at,
        serverCpuPercent: ((after.server - before.server) / seconds) * 100,
        serverRssBytes: server.rssBytes(),
        devicesCpuPercent: ((after.devices.cpuSeconds - before.devices.cpuSeconds) / seconds) * 100,
        devicesRssBytes: after.devices.rssBytes,
        samples: after.devices.samplesTaken - before.devices.samplesTaken,
        warnings: countsSince(before.devices.warningsByMessage, after.devices.warningsByMessage),
      };
      phases.push(figures);
      const offsets = figures.presences.map((at) => ((at - before.at) / 1000).toFixed(1));
      log(`${name}: ${figures.seconds.toFixed(1)} s, ${figures.presences.length} presences (first ${offsets[0] ?? "-"} s, last ${offsets.at(-1) ?? "-"} s), Prosody ${figures.serverCpuPercent.toFixed(0)}% CPU, agents' warnings ${JSON.stringify(figures.warnings)}`);
      return after.devices;
    };
    const available = (view: { show: string | null }) => view.show !== "unavailable";

    const online = await phase("first start", async () => {
      const operators = withWatcher ? [operatorJid, watchJid] : [operatorJid];
      fleet.send({ cmd: "start", service: prosody.service, operators, alertsOff: withWatcher, accounts, seed, loginStepTimeoutSeconds });
      return untilArriving(operator!, devices, available);
    });
    const accepted = operator.accepted();

    let rosterItems = 0;
    let rosterSeconds = 0;
    await phase("operator logs in", async () => {
      await operator!.stop();
      const from = performance.now();
      operator = await login();
      const roster = await operator.roster;
      rosterItems = roster.items;
      rosterSeconds = (roster.at - from) / 1000;
      return operator.until("an available presence", devices, available, PHASE_TIMEOUT_MS);
    });

    const steady = loginsOnly
      ? await fleet.usage()
      : await phase("steady state", async () => {
          await sleep(steadySeconds * 1000);
          return performance.now();
        });

    if (!loginsOnly) await phase("spike to crit", async () => {
      fleet.send({ cmd: "mood", mood: "spike" });
      return operator!.until("dnd", devices, (v) => v.show === "dnd", PHASE_TIMEOUT_MS);
    });
    if (!loginsOnly) await phase("back to calm", async () => {
      fleet.send({ cmd: "mood", mood: "calm" });
      // Out of dnd: ok, or away for a flapper that sits at warn
      return operator!.until("a presence out of dnd", devices, (v) => v.show === null || v.show === "away", PHASE_TIMEOUT_MS);
    });

    await phase("Prosody restarted", async () => {
      await operator!.stop();
      await operator2?.stop();
      await prosody.stopServer();
      await sleep(SERVER_DOWN_MS);
      await prosody.startServer();
      server.restarted();
      operator = await login();
      if (withWatcher) operator2 = await login2();
      return operator.until("an available presence", devices, available, PHASE_TIMEOUT_MS);
    }, OFFLINE_GRACE_MS + WATCHER_QUIET_MS);

    const end = await phase("all stop", async () => {
      const stopped = fleet.stopped();
      fleet.send({ cmd: "stop", reason: "fleet benchmark over" });
      const seen = await operator!.until("an unavailable presence", devices, (v) => v.show === "unavailable", PHASE_TIMEOUT_MS);
      await stopped;
      return seen;
    });

    const figures: FleetFigures = {
      devices,
      seed,
      steadySeconds,
      loginStepTimeoutSeconds: loginStepTimeoutSeconds ?? null,
      serverDownMs: SERVER_DOWN_MS,
      flapperEvery: FLAPPER_EVERY,
      accepted,
      rosterItems,
      rosterSeconds,
      baseline,
      online,
      steady,
      end,
      phases,
      watcher: watcher
        ? { jid: watchJid, devices, pingSeconds: PING_SECONDS, digestSeconds: DIGEST_SECONDS, idle: { rssBytes: watcherIdleRss }, phases: watcherPhases, log: watcher.log, messages }
        : null,
    };
    return { name: "fleet", title: "Fleet: a thousand agents, one Prosody, one operator", markdown: fleetReport(figures) };
  } finally {
    await watcher?.run.stop();
    await operator2?.stop();
    await operator?.stop();
    child?.kill("SIGKILL");
    await prosody.stop();
  }
}

async function retried<T>(attempt: () => Promise<T>, tries = 10): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (err) {
      if (n >= tries) throw err;
      log(`  operator login failed (${(err as Error).message}), again in 2 s`);
      await sleep(2000);
    }
  }
}

/** Resolves once `count` devices pass `test`, as long as one more passes within FIRST_START_STALL_MS. */
async function untilArriving(view: OperatorView, count: number, test: (v: { show: string | null }) => boolean): Promise<number> {
  const from = performance.now();
  let lastLog = from;
  for (;;) {
    const seen = [...view.devices.values()].filter(test).length;
    if (seen >= count) return performance.now();
    if (performance.now() - from > FIRST_START_CAP_MS) throw new Error(`the operator saw ${seen} of ${count} devices available within ${FIRST_START_CAP_MS / 1000} s`);
    if (performance.now() - lastLog > 60_000) {
      lastLog = performance.now();
      log(`  ${seen} of ${count} available after ${((lastLog - from) / 1000).toFixed(0)} s`);
    }
    await view.until("an available presence", Math.min(count, seen + 1), test, FIRST_START_STALL_MS);
  }
}

function countsSince(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(after).map(([key, n]) => [key, n - (before[key] ?? 0)]).filter(([, n]) => (n as number) > 0));
}

async function registerDevices(prosody: ThrowawayProsody, count: number): Promise<DeviceAccount[]> {
  const accounts = Array.from({ length: count }, (_, i) => ({ user: `device${String(i).padStart(4, "0")}`, password: `device-pw-${i}` }));
  let next = 0;
  await Promise.all(
    Array.from({ length: REGISTER_CONCURRENCY }, async () => {
      while (next < accounts.length) {
        const account = accounts[next++]!;
        await prosody.register(account.user, account.password);
      }
    }),
  );
  return accounts.map(({ user, password }) => ({ jid: `${user}@${prosody.domain}`, password }));
}

/** Prosody's pid from its pidfile (config.ts sets it), read again after a restart; CPU summed across restarts. */
function serverWatch(prosody: ThrowawayProsody) {
  const pidOf = () => Number(readFileSync(join(prosody.dir, "prosody.pid"), "utf8").trim());
  let pid = pidOf();
  let cpu = processCpu(pid);
  let carried = 0;
  let last = 0;
  const seconds = () => {
    try {
      const t = cpu.now();
      last = (t.self + t.children) / cpu.ticksPerSecond;
    } catch {
      // gone (stopped for the restart): its last reading stands
    }
    return carried + last;
  };
  return {
    cpuSeconds: seconds,
    rssBytes: () => residentBytes(pid) ?? 0,
    restarted() {
      seconds();
      carried += last;
      last = 0;
      pid = pidOf();
      cpu = processCpu(pid);
    },
  };
}

function forkDevices() {
  const child = fork(fileURLToPath(new URL("./fleet-devices.js", import.meta.url)), [], { execArgv: ["--expose-gc"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const waiting: { ev: FromDevices["ev"]; resolve: (message: FromDevices) => void }[] = [];
  child.on("message", (message: FromDevices) => {
    const at = waiting.findIndex((w) => w.ev === message.ev);
    if (at !== -1) waiting.splice(at, 1)[0]!.resolve(message);
  });
  const died = new Promise<never>((_, reject) => child.once("exit", (code, signal) => reject(new Error(`the devices' process exited (${code ?? signal})`))));
  died.catch(() => undefined);
  const next = <E extends FromDevices["ev"]>(ev: E) =>
    Promise.race([died, new Promise<Extract<FromDevices, { ev: E }>>((resolve) => waiting.push({ ev, resolve: resolve as (m: FromDevices) => void }))]);
  // The child reports its baseline (modules loaded, no agent yet) as soon as it runs
  const first = next("usage");
  let baselineTaken = false;
  return {
    child,
    send: (message: ToDevices) => child.send(message),
    async usage(): Promise<DevicesUsage> {
      if (!baselineTaken) {
        baselineTaken = true;
        return (await first).usage;
      }
      const answer = next("usage");
      child.send({ cmd: "usage" } satisfies ToDevices);
      return (await answer).usage;
    },
    stopped: () => next("stopped"),
  };
}
