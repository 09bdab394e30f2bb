// What the device answers its operators: XEP-0092 version, XEP-0202 time, XEP-0012 last activity, XEP-0323
// sensor data, XEP-0050 ad-hoc commands, and chat. Built by agent.ts once the link, disco, the publisher and
// the fleet room exist; each one's own file says what it answers and to whom.
import type { Client } from "@xmpp/client";
import type { AgentConfig } from "./config/load.js";
import type { Logger } from "./log.js";
import type { healthMonitor } from "./health/monitor.js";
import type { Sampler } from "./sampling/sampler.js";
import type { presencePublisher } from "./presence/publisher.js";
import type { maintenanceMode } from "./maintenance/silence.js";
import type { OperatorPolicy } from "./roster/operators.js";
import type { Disco } from "./xeps/disco.js";
import { osText, type DeviceFacts } from "./facts.js";
import { chatResponder } from "./chat/handler.js";
import { versionResponder } from "./xeps/version.js";
import { timeResponder } from "./xeps/time.js";
import { lastActivityResponder } from "./xeps/last.js";
import { adhocCommands } from "./xeps/adhoc/responder.js";
import { deviceCommands } from "./xeps/adhoc/device-commands.js";
import { sensorDataResponder } from "./xeps/sensor-data/index.js";
// Alerts (issue 12): the ad-hoc `ack` and the chat commands that reach src/alerts
import type { DeviceAlerts } from "./alerts/index.js";
import { ackCommand } from "./xeps/adhoc/ack.js";
import { thresholdsForm } from "./xeps/adhoc/health-forms.js";
import { formText } from "./chat/form-text.js";

export interface ResponderDeps {
  xmpp: Client;
  disco: Disco;
  policy: OperatorPolicy;
  version: string;
  readFacts: () => Promise<DeviceFacts>;
  /** The agent's root logger: each responder logs through a child named after its capability. */
  log: Logger;
  config: Pick<AgentConfig, "thresholds" | "presence">;
  monitor: Pick<ReturnType<typeof healthMonitor>, "current" | "sampleNow">;
  sampler: Pick<Sampler, "sample">;
  publisher: Pick<ReturnType<typeof presencePublisher>, "wanted" | "resend">;
  maintenance: ReturnType<typeof maintenanceMode>;
  /** When the health level last changed. */
  levelSince: () => number;
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
  monitor,
  sampler,
  publisher,
  maintenance,
  levelSince,
  senderOf,
  alerts,
}: ResponderDeps) {
  // One-off facts (OS, model) for version answers; a failure only makes those answers shorter
  let facts: DeviceFacts | null = null;
  readFacts().then(
    (f) => (facts = f),
    (err: Error) => log.warn({ err: { message: err.message } }, "device facts unavailable"),
  );
  const { iqCallee } = xmpp;
  versionResponder({ iqCallee, disco, policy, version, os: () => osText(facts) });
  timeResponder({ iqCallee, disco, policy });
  lastActivityResponder({ iqCallee, disco, policy, levelSince, status: () => publisher.wanted()?.status ?? "" });
  // XEP-0323 and XEP-0050 responders are wired here, one call each:
  // (sensor data: `freshSample` is a new reading outside the loop; ad-hoc `sample-now` uses monitor.sampleNow)
  const freshSample = () => sampler.sample();
  const sampleAndRefresh = async () => {
    const snapshot = await monitor.sampleNow();
    publisher.resend();
    return snapshot;
  };
  const sensorData = sensorDataResponder({ xmpp, iqCallee, disco, policy, freshSample, log: log.child({ capability: "sensor-data" }) });
  adhocCommands({
    iqCallee,
    disco,
    policy,
    log: log.child({ capability: "adhoc" }),
    commands: [
      ...deviceCommands({
        health: monitor.current,
        sampleAndRefresh,
        presenceStatus: () => publisher.wanted()?.status ?? "",
        maintenance,
        thresholds: config.thresholds,
        presence: config.presence,
      }),
      ...(alerts ? [ackCommand({ ack: (from) => alerts.ack(from) })] : []), // issue 12
    ],
  });

  const chat = chatResponder({
    xmpp,
    policy,
    log: log.child({ capability: "chat" }),
    maintenance,
    currentLevel: () => monitor.current().state.level,
    senderOf,
    context: () => ({ health: monitor.current(), facts, version, silence: maintenance.current(), now: Date.now() }),
    // Issue 12: alerts, and the ad-hoc commands' twins for clients without ad-hoc commands
    alerts: alerts && {
      ack: alerts.ack,
      choose: alerts.choose,
      testAlert: alerts.testAlert,
      thresholds: () => formText(thresholdsForm(config.thresholds, config.presence)),
      sampleAndRefresh,
    },
  });

  return {
    stop() {
      chat.stop();
      sensorData.stop();
    },
  };
}
