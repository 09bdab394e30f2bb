// Composition root: builds the capabilities and wires them, in this order:
//   sampling -> health monitor -> (XMPP link -> disco/caps -> roster -> presence publisher -> fleet room -> responders)
// Stopping runs the other way: presence goes unavailable before the stream closes.
import type { Element } from "@xmpp/client";
import type { AgentConfig } from "./config/load.js";
import type { Logger } from "./log.js";
import { healthMonitor, type HealthSnapshot } from "./health/monitor.js";
import { statusLine } from "./health/status-line.js";
import { systemFiles, type SystemFiles } from "./sampling/read.js";
import { createSampler, type Sampler } from "./sampling/sampler.js";
import { createConnection, type FatalLoginError } from "./xmpp/connection.js";
import { leaveOutLargeErrorEchoes } from "./xmpp/error-echo.js";
import { discoResponder } from "./xeps/disco.js";
import { presencePublisher } from "./presence/publisher.js";
import { unavailablePresence } from "./presence/show.js";
import { operatorPolicy } from "./roster/operators.js";
import { NS_PRE_APPROVAL, rosterKeeper } from "./roster/subscriptions.js";
import { EXIT } from "./exit-codes.js";
import { readDeviceFacts, type DeviceFacts } from "./facts.js";
import { maintenanceMode, silenceNote } from "./maintenance/silence.js";
import { fleetRoom } from "./fleet/index.js";
import { operatorResponders } from "./responders.js";

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
   * instead of a thousand systeminformation runs, each spawning processes. */
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

const STOP_WITHIN_MS = 2500;

export async function startAgent({ config, password, log, version, sampler, files, readFacts = readDeviceFacts }: AgentDeps): Promise<Agent> {
  log.info({ version, jid: config.xmpp.jid || null, operators: config.operators.length }, "starting");
  let reportFatal: (code: number) => void = () => undefined;
  const fatal = new Promise<number>((resolve) => (reportFatal = resolve));

  const publish: { update(snapshot: HealthSnapshot, urgent?: boolean): void } = { update: () => undefined };
  // When the level last changed: XEP-0012's answer for a device
  let levelSince = Date.now();
  let lastLevel: string | null = null;
  const healthSampler = sampler ?? createSampler({ files: files ?? systemFiles("/"), disks: config.sampling.disks });
  const monitor = healthMonitor({
    sampler: healthSampler,
    thresholds: config.thresholds,
    hysteresis: config.presence,
    intervalMs: config.sampling.intervalSeconds * 1000,
    log: log.child({ capability: "health" }),
    onHealth: (snapshot) => {
      if (snapshot.state.level !== lastLevel) {
        lastLevel = snapshot.state.level;
        levelSince = Date.now();
      }
      publish.update(snapshot);
    },
  });

  if (!config.xmpp.jid || password === null) {
    log.warn("no xmpp.jid configured: sampling and logging only");
    await monitor.start();
    return { fatal, health: monitor.current, sampleNow: monitor.sampleNow, stop: async () => monitor.stop() };
  }

  const xmppLog = log.child({ capability: "xmpp" });
  let preApprovalOffered = false;
  const connection = createConnection({
    service: config.xmpp.service || `xmpp://${config.xmpp.jid.split("@")[1]}:5222`,
    jid: config.xmpp.jid,
    resource: config.xmpp.resource,
    password,
    allowInsecure: config.xmpp.allowInsecure,
    keepaliveSeconds: config.xmpp.keepaliveSeconds,
    keepaliveTimeoutSeconds: config.xmpp.keepaliveTimeoutSeconds,
    reconnectMaxSeconds: config.xmpp.reconnectMaxSeconds,
    loginStepTimeoutSeconds: config.xmpp.loginStepTimeoutSeconds,
    log: xmppLog,
    onSession: () => {
      roster
        .sync()
        .catch((err: Error) => rosterLog.warn({ err: { message: err.message } }, "roster: sync failed"))
        .finally(() => publisher.resend());
    },
    // A change sampled while the link was down was held back (offline): send it now, not at the next sample
    onResumed: () => {
      const wanted = publisher.wanted();
      if (wanted) publisher.update(wanted);
    },
    onFatal: (err: FatalLoginError) => {
      xmppLog.fatal({ reason: err.message }, err.kind === "auth" ? "login refused: check xmpp.jid and the password" : "login refused");
      monitor.stop();
      publisher.stop();
      fleet.stop();
      reportFatal(err.kind === "auth" ? EXIT.noPermission : EXIT.config);
    },
  });
  const { xmpp } = connection;
  leaveOutLargeErrorEchoes(xmpp);
  xmpp.on("nonza", (el: Element) => {
    if (el.is("features", "http://etherx.jabber.org/streams") && el.getChild("sub", NS_PRE_APPROVAL)) preApprovalOffered = true;
  });

  const disco = discoResponder({ iqCallee: xmpp.iqCallee });
  disco.addFeature("urn:xmpp:ping"); // answered by @xmpp/client itself

  const rosterLog = log.child({ capability: "roster" });
  const policy = operatorPolicy(config.operators);
  const roster = rosterKeeper({ xmpp, policy, log: rosterLog, preApprovalOffered: () => preApprovalOffered });

  const publisher = presencePublisher({
    send: (stanza) => xmpp.send(stanza),
    isOnline: connection.isOnline,
    caps: disco.capsElement,
    rules: { minIntervalMs: config.presence.minIntervalSeconds * 1000, refreshMs: config.presence.refreshSeconds * 1000 },
    priority: config.presence.priority,
    log: log.child({ capability: "presence" }),
    onSent: () => fleet.presenceChanged(),
  });
  // XEP-0045 fleet room (fleet.room; a no-op when empty): shows the presence the publisher sent last
  const fleet = fleetRoom({
    xmpp,
    config: config.fleet,
    presence: publisher.presence,
    backoffCapMs: config.xmpp.reconnectMaxSeconds * 1000,
    log: log.child({ capability: "fleet" }),
  });
  // Silence begun or ended by an operator (or its time up) shows at once, whatever presence.minIntervalSeconds
  const maintenance = maintenanceMode({ onChange: () => publish.update(monitor.current(), true) });
  publish.update = ({ state, sample }, urgent = false) => {
    const silence = maintenance.current();
    publisher.update(
      silence
        ? { level: silence.level, status: statusLine({ level: "ok", reasons: [], sample, note: silenceNote(silence) }) }
        : { level: state.level, status: statusLine({ level: state.level, reasons: state.reasons, sample }) },
      { urgent },
    );
    fleet.healthChanged(silence ? silence.level : state.level, silence ? [] : state.reasons);
  };

  const responders = operatorResponders({
    xmpp,
    disco,
    policy,
    version,
    readFacts,
    log,
    config,
    monitor,
    sampler: healthSampler,
    publisher,
    maintenance,
    levelSince: () => levelSince,
    senderOf: fleet.senderOf,
  });

  // Log in while the first sample is measured: the first presence goes out as soon as both are done
  connection.start();
  await monitor.start();

  return {
    fatal,
    health: monitor.current,
    sampleNow: monitor.sampleNow,
    async stop(reason) {
      monitor.stop();
      publisher.stop();
      maintenance.stop();
      responders.stop();
      roster.stop();
      if (connection.isOnline()) {
        // Best effort: a dead link must not hold the shutdown
        // The room first: not every server forwards the roster's unavailable to rooms (RFC 6121 4.6.3 asks it)
        await Promise.race([
          Promise.all([fleet.leave(`stopping: ${reason}`), xmpp.send(unavailablePresence(`stopping: ${reason}`)).catch(() => undefined)]),
          new Promise((resolve) => setTimeout(resolve, 500).unref()),
        ]);
      }
      fleet.stop();
      await connection.stop(STOP_WITHIN_MS - 500);
      log.info({ reason }, "stopped");
    },
  };
}
