// Where to connect for a JID's domain: RFC 6120 3.2.1 (`_xmpp-client._tcp` SRV, STARTTLS), XEP-0368
// (`_xmpps-client._tcp` SRV, direct TLS, both record kinds mixed in one RFC 2782 order), then RFC 6120 3.2.2's
// fallback, the domain on 5222. The order is pure (srvOrder, endpointsFor); DNS is asked in xmppEndpoints only.
// @xmpp/resolve 0.14 is not used: it sorts by weight instead of drawing by it, connects to the addresses (so TLS
// checks the certificate against the SRV host or an IP, not the JID's domain), asks for A/AAAA of the domain and
// for https://DOMAIN/.well-known/host-meta at every login, and tries the next target only when TCP fails.
import { Resolver } from "node:dns/promises";

export interface SrvRecord {
  name: string;
  port: number;
  priority: number;
  weight: number;
}

/** One place to try: an @xmpp/client service URI (`xmpps://` direct TLS, `xmpp://` STARTTLS). */
export type Endpoint = string;

/** RFC 2782: lowest priority first; within a priority, drawn one by one with chances in proportion to weight
 * (`random` in [0, 1), zero weights first so they keep a small chance). */
export function srvOrder<T extends SrvRecord>(records: T[], random: () => number = Math.random): T[] {
  const ordered: T[] = [];
  const priorities = [...new Set(records.map((r) => r.priority))].sort((a, b) => a - b);
  for (const priority of priorities) {
    const left = records.filter((r) => r.priority === priority).sort((a, b) => (a.weight === 0 ? 0 : 1) - (b.weight === 0 ? 0 : 1));
    while (left.length > 0) {
      const total = left.reduce((sum, r) => sum + r.weight, 0);
      const pick = Math.floor(random() * (total + 1));
      let running = 0;
      const index = left.findIndex((r) => (running += r.weight) >= pick);
      ordered.push(...left.splice(index < 0 ? 0 : index, 1));
    }
  }
  return ordered;
}

/** What DNS said for one record kind: its records, or null when there are none (NXDOMAIN, no SRV). */
export interface SrvAnswers {
  directTls: SrvRecord[] | null;
  starttls: SrvRecord[] | null;
}

/** The endpoints to try in order. A "." target (Node: name "") says that kind of service is not offered, and
 * then the domain is not tried on 5222 either (XEP-0368 4: the provider has said it uses SRV). */
export function endpointsFor(domain: string, answers: SrvAnswers, random: () => number = Math.random): Endpoint[] {
  const tagged = [
    ...(answers.directTls ?? []).map((r) => ({ ...r, scheme: "xmpps" })),
    ...(answers.starttls ?? []).map((r) => ({ ...r, scheme: "xmpp" })),
  ];
  const targets = tagged.filter((r) => r.name !== "" && r.name !== ".");
  const declined = targets.length < tagged.length;
  const endpoints = srvOrder(targets, random).map((r) => `${r.scheme}://${hostPart(r.name)}:${r.port}`);
  if (!declined) endpoints.push(`xmpp://${hostPart(domain)}:5222`);
  return [...new Set(endpoints)];
}

function hostPart(host: string): string {
  const bare = host.replace(/\.$/, "");
  return bare.includes(":") ? `[${bare}]` : bare;
}

// A dead name server must not hold a login for c-ares' default 4 tries x 5 s
const DNS_TIMEOUT_MS = 2000;
const DNS_TRIES = 2;
const NO_RECORDS = new Set(["ENOTFOUND", "ENODATA"]);

/** The endpoints for a config: `xmpp.service` when set, else SRV from the system's resolver (/etc/resolv.conf,
 * read again at every call). A failed lookup other than "no such records" is reported and treated as none. */
export async function xmppEndpoints(
  { service, domain }: { service: string; domain: string },
  onLookupError: (name: string, err: Error & { code?: string }) => void = () => undefined,
): Promise<Endpoint[]> {
  if (service) return [service];
  const resolver = new Resolver({ timeout: DNS_TIMEOUT_MS, tries: DNS_TRIES });
  const lookup = (name: string) =>
    resolver.resolveSrv(name).catch((err: Error & { code?: string }) => {
      if (!NO_RECORDS.has(err.code ?? "")) onLookupError(name, err);
      return null;
    });
  const [directTls, starttls] = await Promise.all([lookup(`_xmpps-client._tcp.${domain}`), lookup(`_xmpp-client._tcp.${domain}`)]);
  return endpointsFor(domain, { directTls, starttls });
}
