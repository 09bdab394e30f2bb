// Keepalive: a TCP link can die silently (NAT timeout, a pulled cable upstream) and, without XEP-0198, nothing
// notices. After `idleMs` without inbound traffic we ping the server (XEP-0199); no answer in `timeoutMs` means
// the link is dead. Worst case to notice: idleMs + timeoutMs + one check step (idleMs / 10): 86 s by default.
import { xml, type Client } from "@xmpp/client";
import { NS_PING } from "./namespaces.js";

export interface KeepaliveOptions {
  xmpp: Client;
  domain: string;
  idleMs: number;
  timeoutMs: number;
  onDead(): void;
}

export function startKeepalive({ xmpp, domain, idleMs, timeoutMs, onDead }: KeepaliveOptions) {
  let lastInbound = Date.now();
  let pinging = false;
  const heard = () => {
    lastInbound = Date.now();
  };
  xmpp.on("element", heard);
  xmpp.on("online", heard);

  const check = async (idleOrNot = false) => {
    if (pinging || xmpp.status !== "online" || (!idleOrNot && Date.now() - lastInbound < idleMs)) return;
    pinging = true;
    try {
      await xmpp.iqCaller.request(xml("iq", { type: "get", to: domain }, xml("ping", NS_PING)), timeoutMs);
    } catch (err) {
      // An error reply still proves the link is alive; only silence is death
      if ((err as Error).name === "TimeoutError") onDead();
    } finally {
      pinging = false;
    }
  };
  // Checked every tenth of idleMs, which is what the bound above adds (no floor: idleMs is 5 s at least, by the schema)
  const interval = setInterval(() => void check(), idleMs / 10);
  interval.unref();
  return {
    /** Ping now, idle or not: a resumed stream has to show it carries our stanzas (resume-check.ts). */
    pingNow: () => void check(true),
    stop() {
      clearInterval(interval);
      xmpp.removeListener("element", heard);
      xmpp.removeListener("online", heard);
    },
  };
}
