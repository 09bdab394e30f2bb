// Who is an operator: a bare JID from the config, or anyone on a `*@domain`. Pure.
// JIDs compare as normalized bare JIDs (src/jid.ts).
import { bareJid, jidParts } from "../jid.js";

export interface OperatorPolicy {
  isOperator(jid: string | undefined): boolean;
  /** Operators we can name: the ones to pre-approve and ask for a subscription. */
  named: string[];
}

export function operatorPolicy(operators: string[]): OperatorPolicy {
  const exact = new Set<string>();
  const domains = new Set<string>();
  for (const entry of operators.map((o) => o.toLowerCase())) {
    if (entry.startsWith("*@")) domains.add(entry.slice(2));
    else exact.add(entry);
  }
  return {
    named: [...exact],
    isOperator(jid) {
      if (!jid) return false;
      const bare = bareJid(jid);
      const { local, domain } = jidParts(bare);
      // A server or component JID (no local part) is never an operator, even on an operator domain
      return local !== "" && (exact.has(bare) || domains.has(domain));
    },
  };
}
