// TLS the way RFC 6120 13.7.2 and XEP-0368 want it, whichever host the link goes to: SNI and the certificate check
// name the JID's domain (RFC 6125), direct TLS asks for ALPN `xmpp-client`. @xmpp/tls connects with the service's
// host only, so an SRV target's certificate would be checked against the target. STARTTLS already upgrades with
// `host: domain` (@xmpp/starttls). And the TLS socket is reachable for channel binding (channel-binding.ts).
import { isIP } from "node:net";
import { TLSSocket } from "node:tls";
import type { Client } from "@xmpp/client";

type Wrapped = { socket?: TLSSocket | null; destroy?: () => void; setNoDelay?: (noDelay?: boolean) => void };

export function tlsForDomain(xmpp: Client, domain: string): void {
  const parameters = xmpp.socketParameters.bind(xmpp);
  xmpp.socketParameters = (service) => {
    const params = parameters(service);
    if (!params || !service.startsWith("xmpps:")) return params;
    // RFC 6066 3: no IP address as a server name (a JID's domain can be one)
    return { ...params, ALPNProtocols: ["xmpp-client"], ...(isIP(domain) ? {} : { servername: domain }) };
  };
  // @xmpp/tls's wrapper has no destroy() or setNoDelay(): the agent's `xmpp.socket?.destroy()` (a dead link, a
  // failed login) and `setNoDelay()` (repaired-client.ts) would throw on every TLS link
  const attach = xmpp._attachSocket.bind(xmpp);
  xmpp._attachSocket = (socket) => {
    const wrapped = socket as Wrapped;
    if (typeof wrapped.destroy !== "function") wrapped.destroy = () => wrapped.socket?.destroy();
    if (typeof wrapped.setNoDelay !== "function") wrapped.setNoDelay = (noDelay) => wrapped.socket?.setNoDelay(noDelay);
    attach(socket);
  };
}

/** The link's TLS socket, or null on a plain one. */
export function tlsSocketOf(xmpp: Client): TLSSocket | null {
  const inner = (xmpp.socket as unknown as Wrapped | null)?.socket;
  return inner instanceof TLSSocket ? inner : null;
}
