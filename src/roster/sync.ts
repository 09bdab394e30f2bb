// The roster at every new session: brought in line with the config (subscriptions.ts), then the bus hears
// rosterSynced, so the first presence reaches operators who were only just pre-approved. Whether the server
// offers pre-approval (RFC 6121 3.4) is read from the stream features of the login.
import type { Client, Element } from "@xmpp/client";
import type { AgentBus } from "../events.js";
import type { Logger } from "../log.js";
import type { OperatorPolicy } from "./operators.js";
import { NS_PRE_APPROVAL, rosterKeeper } from "./subscriptions.js";

const NS_STREAMS = "http://etherx.jabber.org/streams";

/** RFC 6121 3.4.1: the server announces pre-approval as a stream feature. */
export function offersPreApproval(nonza: Element): boolean {
  return nonza.is("features", NS_STREAMS) && nonza.getChild("sub", NS_PRE_APPROVAL) !== undefined;
}

export interface RosterSyncDeps {
  xmpp: Client;
  policy: OperatorPolicy;
  events: AgentBus;
  log: Logger;
}

export function rosterSync({ xmpp, policy, events, log }: RosterSyncDeps) {
  // Once offered, assumed for good: the same server, logged in again
  let preApprovalOffered = false;
  let keeper: ReturnType<typeof rosterKeeper> | null = null;
  let unsubscribe = () => {};
  const onNonza = (nonza: Element) => {
    if (offersPreApproval(nonza)) preApprovalOffered = true;
  };
  const sync = () => {
    keeper
      ?.sync()
      .catch((err: Error) => log.warn({ err: { message: err.message } }, "roster: sync failed"))
      .finally(() => events.emit("rosterSynced"));
  };

  return {
    start() {
      xmpp.on("nonza", onNonza);
      keeper = rosterKeeper({ xmpp, policy, log, preApprovalOffered: () => preApprovalOffered });
      unsubscribe = events.on("sessionStarted", sync);
    },
    stop() {
      unsubscribe();
      keeper?.stop();
      xmpp.removeListener("nonza", onNonza);
    },
  };
}
