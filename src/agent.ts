// Composition root: builds each capability over what it needs, in the order they need each other, then starts
// them in the order of the list at the end and stops them the other way round (lifecycle.ts). They hear of each
// other through the event bus (events.ts); docs/architecture.md draws the flow:
//   sample -> health -> healthSampled -> presence -> the roster; presenceSent, presenceWanted -> the fleet room
//   an operator's question -> responders -> the answer, read from health, presence and silence
import type { AgentConfig } from "./config/load.js";
import type { Logger } from "./log.js";
import { eventBus, type AgentEvents } from "./events.js";
import { startInOrder, stopInReverse, type Capability } from "./lifecycle.js";
import { healthMonitor, type HealthSnapshot } from "./health/monitor.js";
import { systemFiles, type SystemFiles } from "./sampling/read.js";
import { createSampler, type Sampler } from "./sampling/sampler.js";
import { xmppLink } from "./xmpp/link.js";
import { discoResponder } from "./xeps/disco.js";
import { devicePresence } from "./presence/device-presence.js";
import { operatorPolicy } from "./roster/operators.js";
import { rosterSync } from "./roster/sync.js";
import { readDeviceFacts, type DeviceFacts } from "./facts.js";
import { maintenanceMode } from "./maintenance/maintenance-mode.js";
import { fleetRoom } from "./fleet/room.js";
import { operatorResponders } from "./responders.js";
import { deviceAlerts } from "./alerts/index.js";
import { alertsOnTheBus } from "./alerts/bus.js";
import { ownerChecks } from "./checks/owner-checks.js";
import { checkFindings } from "./checks/result.js";
import { withDefaults } from "./checks/spec.js";

export interface AgentDeps {
  config: AgentConfig;
  /** Null: no account configured, sample and log only. */
  password: string | null;
  log: Logger;
  version: string;
  /** Tests feed their own samples through this seam. */
  sampler?: Sampler;
  files?: SystemFiles;
  /** The fleet benchmark's seam: a thousand simulated devices in one process share one machine's facts
   * instead of reading the same files a thousand times. */
  readFacts?: () => Promise<DeviceFacts>;
}

export interface Agent {
  /** Resolves with the exit code once the agent has stopped by itself (fatal login error). */
  fatal: Promise<number>;
  stop(reason: string): Promise<void>;
  health(): HealthSnapshot;
  /** One sample through hysteresis and presence now, as the timer takes them. A test seam: the soak drives
   * 100,000 samples faster than `sampling.intervalSeconds` (0.5 s at least) allows. */
  sampleNow(): Promise<HealthSnapshot>;
}

export async function startAgent({ config, password, log, version, sampler, files, readFacts = readDeviceFacts }: AgentDeps): Promise<Agent> {
  log.info({ version, jid: config.xmpp.jid || null, operators: config.operators.length }, "starting");
  const events = eventBus<AgentEvents>();
  const child = (capability: string) => log.child({ capability });

  const healthSampler = sampler ?? createSampler({ files: files ?? systemFiles("/"), disks: config.sampling.disks });
  // The owner's checks (services, ports, plugins) run on their own timers; each sample reads their latest results
  const checks = ownerChecks({ specs: withDefaults(config.checks), version, log: child("checks") });
  const health = healthMonitor({
    sampler: healthSampler,
    thresholds: config.thresholds,
    hysteresis: config.presence,
    intervalMs: config.sampling.intervalSeconds * 1000,
    log: child("health"),
    onHealth: (snapshot) => events.emit("healthSampled", snapshot),
    checkFindings: () => checkFindings(checks.results()),
  });

  if (!config.xmpp.jid || password === null) {
    log.warn("no xmpp.jid configured: sampling and logging only");
    return running([checks, health], { health, fatal: new Promise<number>(() => {}), log });
  }

  const maintenance = maintenanceMode({ onChange: () => events.emit("silenceChanged") });
  const link = xmppLink({ config: config.xmpp, password, events, log: child("xmpp") });
  const { xmpp } = link;
  const disco = discoResponder({ iqCallee: xmpp.iqCallee });
  const policy = operatorPolicy(config.operators);
  const roster = rosterSync({ xmpp, policy, events, log: child("roster") });
  const presence = devicePresence({
    link,
    events,
    health: health.current,
    silence: maintenance.current,
    caps: disco.capsElement,
    config: config.presence,
    log: child("presence"),
  });
  // XEP-0045 fleet room (fleet.room; a no-op when empty): shows the presence the roster got last
  const fleet = fleetRoom({
    link,
    events,
    config: config.fleet,
    presence: presence.presence,
    backoffCapMs: config.xmpp.reconnectMaxSeconds * 1000,
    log: child("fleet"),
  });
  // A chat message to each subscribed operator when the level reaches alerts.level; reminders, ack, flapping
  const alerts = deviceAlerts({ xmpp, isOnline: link.isOnline, policy, config: config.alerts, device: config.xmpp.jid, log: child("alerts") });
  const responders = operatorResponders({
    xmpp,
    disco,
    policy,
    version,
    readFacts,
    log,
    config,
    health,
    sampler: healthSampler,
    presence,
    maintenance,
    alerts,
    checks,
    senderOf: fleet.senderOf,
  });

  return running(
    [
      maintenance, // an operator's silence holds the level the presence shows
      checks, // the owner's checks: their first runs spread over the first seconds
      link, // the stream: closed after the goodbyes of those below
      roster, // at each new session: the roster follows the config
      presence, // health and silence -> the roster's presence; unavailable when stopping
      fleet, // the same presence in the fleet room; the room's goodbye goes first
      alertsOnTheBus({ alerts, events, silenced: () => maintenance.current() !== null, health: health.current }), // operators told by chat
      responders, // what operators may ask
      link.login, // log in now that everything above listens, while ...
      health, // ... the first sample is measured: the first presence goes out once both are done
    ],
    { health, fatal: link.fatal, log },
  );
}

async function running(
  capabilities: Capability[],
  { health, fatal, log }: { health: ReturnType<typeof healthMonitor>; fatal: Promise<number>; log: Logger },
): Promise<Agent> {
  const stopAll = stopInReverse(capabilities);
  await startInOrder(capabilities);
  return {
    // The link stopped itself: the rest stop too, without goodbyes (there is no link to say them on)
    fatal: fatal.then(async (code) => {
      await stopAll("login refused");
      return code;
    }),
    health: health.current,
    sampleNow: health.sampleNow,
    async stop(reason) {
      await stopAll(reason);
      log.info({ reason }, "stopped");
    },
  };
}
