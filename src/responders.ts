// What the device answers its operators: XEP-0092 version, XEP-0202 time, XEP-0012 last activity, XEP-0323
// sensor data, XEP-0050 ad-hoc commands, and chat. Each one's own file says what it answers and to whom; start()
// registers them all (before the login: disco and caps list every feature from the first presence on).
import type { Client } from "@xmpp/client";
import type { AgentConfig } from "./config/load.js";
import type { Logger } from "./log.js";
import type { healthMonitor } from "./health/monitor.js";
import type { Sampler } from "./sampling/sampler.js";
import type { devicePresence } from "./presence/device-presence.js";
import type { maintenanceMode } from "./maintenance/maintenance-mode.js";
import type { OperatorPolicy } from "./roster/operators.js";
import type { Disco } from "./xeps/disco.js";
import { osText, type DeviceFacts } from "./facts.js";
import { chatResponder } from "./chat/handler.js";
import { versionResponder } from "./xeps/version.js";
import { timeResponder } from "./xeps/time.js";
import { lastActivityResponder } from "./xeps/last.js";
import { adhocCommands } from "./xeps/adhoc/responder.js";
import { deviceCommands } from "./xeps/adhoc/device-commands.js";
import { sensorDataResponder } from "./xeps/sensor-data/responder.js";
import { NS_PING } from "./xmpp/namespaces.js";
// Alerts: the ad-hoc `ack` and the chat commands that reach src/alerts
import type { DeviceAlerts } from "./alerts/index.js";
import { ackCommand } from "./xeps/adhoc/ack.js";
import { thresholdsForm } from "./xeps/adhoc/health-forms.js";
import { formText } from "./chat/form-text.js";
import type { OwnerChecks } from "./checks/owner-checks.js";

export interface ResponderDeps {
  xmpp: Client;
  disco: Disco;
  policy: OperatorPolicy;
  version: string;
  readFacts: () => Promise<DeviceFacts>;
  /** The agent's root logger: each responder logs through a child named after its capability. */
  log: Logger;
  config: Pick<AgentConfig, "thresholds" | "presence">;
  health: Pick<ReturnType<typeof healthMonitor>, "current" | "sampleNow" | "levelSince">;
  sampler: Pick<Sampler, "sample">;
  presence: Pick<ReturnType<typeof devicePresence>, "wanted" | "resend">;
  maintenance: ReturnType<typeof maintenanceMode>;
  checks: Pick<OwnerChecks, "specs" | "results">;
  /** Whom a message speaks for (a fleet room occupant): chat/handler.ts. */
  senderOf: (from: string) => string | null;
  /** Alerts to operators (src/alerts): absent, chat says its commands are not available. */
  alerts?: DeviceAlerts;
}

export function operatorResponders({
  xmpp,
  disco,
  policy,
  version,
  readFacts,
  log,
  config,
  health,
  sampler,
  presence,
  maintenance,
  checks,
  senderOf,
  alerts,
}: ResponderDeps) {
  // One-off facts (OS, model) for version answers; a failure only makes those answers shorter
  let facts: DeviceFacts | null = null;
  const stoppers: Array<() => void> = [];
  const status = () => presence.wanted()?.status ?? "";

  return {
    start() {
      readFacts().then(
        (f) => (facts = f),
        (err: Error) => log.warn({ err: { message: err.message } }, "device facts unavailable"),
      );
      const { iqCallee } = xmpp;
      disco.addFeature(NS_PING); // answered by @xmpp/client itself
      versionResponder({ iqCallee, disco, policy, version, os: () => osText(facts) });
      timeResponder({ iqCallee, disco, policy });
      lastActivityResponder({ iqCallee, disco, policy, levelSince: health.levelSince, status });
      // Sensor data reads afresh, outside the loop; the ad-hoc `sample-now` goes through the loop and shows it
      const freshSample = () => sampler.sample();
      const sampleAndRefresh = async () => {
        const snapshot = await health.sampleNow();
        presence.resend();
        return snapshot;
      };
      const sensorData = sensorDataResponder({ xmpp, iqCallee, disco, policy, freshSample, checks: checks.results, log: log.child({ capability: "sensor-data" }) });
      adhocCommands({
        iqCallee,
        disco,
        policy,
        log: log.child({ capability: "adhoc" }),
        commands: [
          ...deviceCommands({
            health: health.current,
            sampleAndRefresh,
            presenceStatus: status,
            maintenance,
            checks: () => checks.results(),
            thresholds: config.thresholds,
            presence: config.presence,
          }),
          ...(alerts ? [ackCommand({ ack: (from) => alerts.ack(from) })] : []),
        ],
      });
      const chat = chatResponder({
        xmpp,
        policy,
        log: log.child({ capability: "chat" }),
        maintenance,
        currentLevel: () => health.current().state.level,
        senderOf,
        context: () => ({ health: health.current(), facts, version, silence: maintenance.current(), checks: { specs: checks.specs, results: checks.results() }, now: Date.now() }),
        // Alerts, and the ad-hoc commands' twins for clients without ad-hoc commands (Conversations, Dino)
        alerts: alerts && {
          ack: alerts.ack,
          choose: alerts.choose,
          testAlert: alerts.testAlert,
          thresholds: () => formText(thresholdsForm(config.thresholds, config.presence)),
          sampleAndRefresh,
        },
      });
      stoppers.push(chat.stop, sensorData.stop);
    },
    // IQ handlers stay registered (@xmpp/iq has no way to remove one); the stream closes after this anyway
    stop() {
      for (const stop of stoppers.splice(0)) stop();
    },
  };
}
