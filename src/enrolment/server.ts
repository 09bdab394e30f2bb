// Where an enrolment connects: where `run` would (xmpp.service, else the JID domain's SRV records in RFC 2782 order,
// then the domain on 5222: src/xmpp/resolve.ts), each in turn until one answers.
import type { AgentConfig } from "../config/load.js";
import { xmppEndpoints } from "../xmpp/resolve.js";
import { EnrolmentFailure } from "./failure.js";

/** The services to try, in order; none when the domain's SRV records say it offers no XMPP service. */
export async function serversFor(config: AgentConfig, domain: string): Promise<string[]> {
  return xmppEndpoints({ service: config.xmpp.service, domain });
}

/** `attempt` at each server in turn; only "unreachable" moves on (any other refusal is the server's answer). */
export async function atFirstServerThatAnswers<T>(services: string[], domain: string, attempt: (service: string) => Promise<T>): Promise<T> {
  if (services.length === 0) throw new EnrolmentFailure(`${domain} offers no XMPP service (its SRV record's target is ".")`, "unreachable");
  for (const [index, service] of services.entries()) {
    try {
      return await attempt(service);
    } catch (err) {
      if (!(err instanceof EnrolmentFailure) || err.reason !== "unreachable" || index === services.length - 1) throw err;
    }
  }
  throw new Error("unreachable: the loop returns or throws");
}
