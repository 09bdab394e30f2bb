// Composition root: builds the capabilities and wires them, in this order:
//   sampling -> health monitor -> (XMPP link -> disco/caps -> roster -> presence publisher)
// Stopping runs the other way: presence goes unavailable before the stream closes.
import type { Element } from "@xmpp/client";
import type { AgentConfig } from "./config/load.js";
import type { Logger } from "./log.js";
import { healthMonitor, type HealthSnapshot } from "./health/monitor.js";
import { statusLine } from "./health/status-line.js";
import { systemFiles, type SystemFiles } from "./sampling/read.js";
import { createSampler, type Sampler } from "./sampling/sampler.js";
import { createConnection, type FatalLoginError } from "./xmpp/connection.js";
import { discoResponder } from "./xeps/disco.js";
import { presencePublisher } from "./presence/publisher.js";
import { unavailablePresence } from "./presence/show.js";
import { operatorPolicy } from "./roster/operators.js";
import { NS_PRE_APPROVAL, rosterKeeper } from "./roster/subscriptions.js";
import { EXIT } from "./exit-codes.js";

export interface AgentDeps {
  config: AgentConfig;
  /** Null: no account configured, sample and log only. */
  password: string | null;
  log: Logger;
  version: string;
  /** Tests feed their own samples through this seam. */
  sampler?: Sampler;
  files?: SystemFiles;
}

export interface Agent {
  /** Resolves with the exit code once the agent has stopped by itself (fatal login error). */
  fatal: Promise<number>;
  stop(reason: string): Promise<void>;
  health(): HealthSnapshot;
}

const STOP_WITHIN_MS = 2500;

export async function startAgent({ config, password, log, version, sampler, files }: AgentDeps): Promise<Agent> {
  log.info({ version, jid: config.xmpp.jid || null, operators: config.operators.length }, "starting");
  let reportFatal: (code: number) => void = () => undefined;
  const fatal = new Promise<number>((resolve) => (reportFatal = resolve));

  const publish: { update(snapshot: HealthSnapshot): void } = { update: () => undefined };
  const monitor = healthMonitor({
    sampler: sampler ?? createSampler({ files: files ?? systemFiles("/"), disks: config.sampling.disks }),
    thresholds: config.thresholds,
    hysteresis: config.presence,
    intervalMs: config.sampling.intervalSeconds * 1000,
    log: log.child({ capability: "health" }),
    onHealth: (snapshot) => publish.update(snapshot),
  });

  if (!config.xmpp.jid || password === null) {
    log.warn("no xmpp.jid configured: sampling and logging only");
    await monitor.start();
    return { fatal, health: monitor.current, stop: async () => monitor.stop() };
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
    log: xmppLog,
    onSession: () => {
      roster
        .sync()
        .catch((err: Error) => rosterLog.warn({ err: { message: err.message } }, "roster: sync failed"))
        .finally(() => publisher.sessionStarted());
    },
    onFatal: (err: FatalLoginError) => {
      xmppLog.fatal({ reason: err.message }, err.kind === "auth" ? "login refused: check xmpp.jid and the password" : "login refused");
      monitor.stop();
      publisher.stop();
      reportFatal(err.kind === "auth" ? EXIT.noPermission : EXIT.config);
    },
  });
  const { xmpp } = connection;
  xmpp.on("nonza", (el: Element) => {
    if (el.is("features", "http://etherx.jabber.org/streams") && el.getChild("sub", NS_PRE_APPROVAL)) preApprovalOffered = true;
  });

  const disco = discoResponder({ iqCallee: xmpp.iqCallee });
  disco.addFeature("urn:xmpp:ping"); // answered by @xmpp/client itself

  const rosterLog = log.child({ capability: "roster" });
  const roster = rosterKeeper({ xmpp, policy: operatorPolicy(config.operators), log: rosterLog, preApprovalOffered: () => preApprovalOffered });

  const publisher = presencePublisher({
    send: (stanza) => xmpp.send(stanza),
    isOnline: connection.isOnline,
    caps: disco.capsElement,
    rules: { minIntervalMs: config.presence.minIntervalSeconds * 1000, refreshMs: config.presence.refreshSeconds * 1000 },
    priority: config.presence.priority,
    log: log.child({ capability: "presence" }),
  });
  publish.update = ({ state, sample }) =>
    publisher.update({ level: state.level, status: statusLine({ level: state.level, reasons: state.reasons, sample }) });

  await monitor.start();
  connection.start();

  return {
    fatal,
    health: monitor.current,
    async stop(reason) {
      monitor.stop();
      publisher.stop();
      roster.stop();
      if (connection.isOnline()) {
        // Best effort: a dead link must not hold the shutdown
        await Promise.race([
          xmpp.send(unavailablePresence(`stopping: ${reason}`)).catch(() => undefined),
          new Promise((resolve) => setTimeout(resolve, 500).unref()),
        ]);
      }
      await connection.stop(STOP_WITHIN_MS - 500);
      log.info({ reason }, "stopped");
    },
  };
}
