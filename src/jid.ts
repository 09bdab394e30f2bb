// JIDs as the agent reads and compares them (RFC 7622): local@domain/resource. Pure.
// Compared as lower-cased bare JIDs: the local part and domain are case-insensitive in practice.

/** "Alice@Example.org/phone" -> "alice@example.org". */
export function bareJid(jid: string): string {
  const slash = jid.indexOf("/");
  return (slash < 0 ? jid : jid.slice(0, slash)).toLowerCase();
}

/** "room@muc.example.org/pi 42" -> "pi 42"; null for a bare JID. A resource may hold "/" and "@" itself. */
export function resourceOf(jid: string): string | null {
  const slash = jid.indexOf("/");
  return slash < 0 ? null : jid.slice(slash + 1);
}

/** The local part and domain of a bare JID, as written; the local part is "" for a server or component JID. */
export function jidParts(bare: string): { local: string; domain: string } {
  const at = bare.indexOf("@");
  return at < 0 ? { local: "", domain: bare } : { local: bare.slice(0, at), domain: bare.slice(at + 1) };
}
