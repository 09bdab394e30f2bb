// The fleet watch's composition root (`xmpp-device-agent watch`): the second role of the package, on any
// always-on machine with its own account. It shares the agent's link, roster policy, flood guard and config loader;
// what it adds is in this folder (docs/architecture.md). Capabilities in start order, stopped in reverse:
//   the link -> the roster (operators and watched devices approved, anyone else refused) -> our presence
//   -> the fleet (presences and pings in, notes out) -> the digest to the operators -> acks, reminders and each
//   operator's choice -> chat -> log in
import { xml } from "@xmpp/client";
import type { AgentConfig } from "../config/load.js";
import type { Logger } from "../log.js";
import { eventBus, type AgentEvents } from "../events.js";
import { startInOrder, stopInReverse, type Capability } from "../lifecycle.js";
import { xmppLink } from "../xmpp/link.js";
import { operatorPolicy } from "../roster/operators.js";
import { rosterSync } from "../roster/sync.js";
import { fleetWatcher } from "./watcher.js";
import type { Note } from "./fleet.js";
import { watchNotifier } from "./notifier.js";
import { watchChat } from "./chat.js";
import { watchAlerts } from "./alerts.js";

export interface Watch {
  fatal: Promise<number>;
  stop(reason: string): Promise<void>;
  /** The fleet as the watcher sees it, and the pings it sent: for the benchmark. */
  fleet: ReturnType<typeof fleetWatcher>;
}

export async function startWatch({ config, password, log }: { config: AgentConfig; password: string; log: Logger }): Promise<Watch> {
  const { devices, pingSeconds, digestSeconds } = config.watch;
  log.info({ jid: config.xmpp.jid, devices: devices.length, operators: config.operators.length, pingSeconds, digestSeconds }, "watch starting");
  const events = eventBus<AgentEvents>();
  const child = (capability: string) => log.child({ capability });

  const link = xmppLink({ config: config.xmpp, password, events, log: child("xmpp") });
  const { xmpp } = link;
  // The devices are in the roster too: we must see their presence, and they ours is harmless
  const roster = rosterSync({ xmpp, policy: operatorPolicy([...config.operators, ...devices]), events, log: child("roster") });
  const status = `watching ${devices.length} devices`;
  const presence: Capability = {
    start() {
      // After the roster sync, so the operators just pre-approved get it; the server then sends us the devices'
      events.on("rosterSynced", () => void xmpp.send(xml("presence", {}, xml("status", {}, status))).catch(() => undefined));
    },
    stop(reason) {
      if (link.isOnline()) link.beforeClose(xmpp.send(xml("presence", { type: "unavailable" }, xml("status", {}, `stopping: ${reason}`))));
    },
  };
  const notifier = watchNotifier({
    xmpp,
    isOnline: link.isOnline,
    operators: operatorPolicy(config.operators).named,
    digestSeconds,
    maxPerMinute: config.alerts.maxPerMinute,
    wants: (operator, note) => alerts.wants(operator, note),
    log: child("notify"),
  });
  // The digest asks `wants` before `noted` closes a problem: a crit operator hears the recovery of what they heard
  const onNote = (note: Note) => {
    notifier.tell(note);
    alerts.noted(note);
  };
  const watcher = fleetWatcher({ xmpp, devices, pingSeconds, isOnline: link.isOnline, onNote, log: child("fleet") });
  const alerts = watchAlerts({
    operators: operatorPolicy(config.operators).named,
    config: config.alerts,
    digestSeconds,
    send: notifier.send,
    isOnline: link.isOnline,
    fleet: watcher.fleet,
    log: child("alerts"),
  });
  const staleOnSession: Capability = {
    start: () => void events.on("sessionStarted", watcher.sessionStarted),
    stop() {},
  };
  const chat = watchChat({ xmpp, operators: operatorPolicy(config.operators), fleet: watcher.fleet, alerts, log: child("chat") });

  const capabilities: Capability[] = [link, roster, staleOnSession, presence, watcher, notifier, alerts, chat, link.login];
  const stopAll = stopInReverse(capabilities);
  await startInOrder(capabilities);
  return {
    fatal: link.fatal.then(async (code) => {
      await stopAll("login refused");
      return code;
    }),
    fleet: watcher,
    async stop(reason) {
      await stopAll(reason);
      log.info({ reason }, "stopped");
    },
  };
}
