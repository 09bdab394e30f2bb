// The alerts capability on the agent's event bus: every sample's health and every change of silence reach it,
// with the silence first, so a sample taken while silenced never opens an alert.
import type { AgentBus } from "../events.js";
import type { HealthSnapshot } from "../health/monitor.js";
import type { Capability } from "../lifecycle.js";
import type { DeviceAlerts } from "./index.js";

export function alertsOnTheBus({ alerts, events, silenced, health }: {
  alerts: DeviceAlerts;
  events: AgentBus;
  silenced(): boolean;
  health(): HealthSnapshot;
}): Capability {
  let unsubscribe: Array<() => void> = [];
  const feed = (snapshot: HealthSnapshot) => {
    alerts.silenceChanged(silenced());
    alerts.healthChanged(snapshot);
  };
  return {
    start() {
      alerts.start();
      unsubscribe = [events.on("healthSampled", feed), events.on("silenceChanged", () => feed(health()))];
    },
    stop() {
      for (const off of unsubscribe.splice(0)) off();
      alerts.stop();
    },
  };
}
