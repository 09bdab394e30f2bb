// The device's presence to its roster: follows health and silence (wanted.ts), goes out when the publisher's
// rate limits allow (publisher.ts), again whole at every new session once the roster is synced, and as
// unavailable with the reason when the agent stops (RFC 6121 4.5.1).
import type { Element } from "@xmpp/client";
import type { AgentConfig } from "../config/load.js";
import type { AgentBus } from "../events.js";
import type { HealthSnapshot } from "../health/monitor.js";
import type { Logger } from "../log.js";
import type { Silence } from "../maintenance/maintenance-mode.js";
import type { XmppLink } from "../xmpp/link.js";
import { presencePublisher } from "./publisher.js";
import { unavailablePresence } from "./show.js";
import { wantedPresence } from "./wanted.js";

export interface DevicePresenceDeps {
  link: Pick<XmppLink, "xmpp" | "isOnline" | "beforeClose">;
  events: AgentBus;
  health(): HealthSnapshot;
  silence(): Silence | null;
  /** XEP-0115 caps, computed from what the responders registered. */
  caps(): Element;
  config: AgentConfig["presence"];
  log: Logger;
}

export function devicePresence({ link, events, health, silence, caps, config, log }: DevicePresenceDeps) {
  const publisher = presencePublisher({
    send: (stanza) => link.xmpp.send(stanza),
    isOnline: link.isOnline,
    caps,
    rules: { minIntervalMs: config.minIntervalSeconds * 1000, refreshMs: config.refreshSeconds * 1000 },
    priority: config.priority,
    log,
    onSent: () => events.emit("presenceSent"),
  });
  let unsubscribe: Array<() => void> = [];

  function follow(snapshot: HealthSnapshot) {
    const wanted = wantedPresence(snapshot, silence());
    publisher.update({ level: wanted.level, status: wanted.status });
    events.emit("presenceWanted", wanted);
  }

  return {
    start() {
      unsubscribe = [
        events.on("healthSampled", follow),
        events.on("silenceChanged", () => follow(health())),
        events.on("rosterSynced", () => publisher.resend()),
        // A change sampled while the link was down was held back (offline): send it now, not at the next sample
        events.on("sessionResumed", () => {
          const wanted = publisher.wanted();
          if (wanted) publisher.update(wanted);
        }),
      ];
    },
    wanted: publisher.wanted,
    resend: publisher.resend,
    /** The presence last sent, built afresh: the fleet room shows the same. */
    presence: publisher.presence,
    stop(reason: string) {
      for (const off of unsubscribe) off();
      publisher.stop();
      // After the room's goodbye (the fleet room stops first): not every server forwards this one to rooms
      if (link.isOnline()) link.beforeClose(link.xmpp.send(unavailablePresence(`stopping: ${reason}`)).catch(() => undefined));
    },
  };
}
