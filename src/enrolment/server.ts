// Where an enrolment connects: where `run` would. The one place that chooses, so DNS SRV (RFC 6120 3.2.1,
// XEP-0368) can be put in here once the agent resolves that way too.
import type { AgentConfig } from "../config/load.js";

/** xmpp.service when set, else the domain on 5222 (STARTTLS). */
export async function serverFor(config: AgentConfig, domain: string): Promise<string> {
  return config.xmpp.service || `xmpp://${domain}:5222`;
}
