// XEP-0115 Entity Capabilities: the verification string that lets clients cache our disco#info.
// https://xmpp.org/extensions/xep-0115.html#ver-gen (5.1). Pure.
import { createHash } from "node:crypto";

export const NS_CAPS = "http://jabber.org/protocol/caps";
/** Identifies the software in <c node=...>; XEP-0115 asks for a URI of the project. */
export const CAPS_NODE = "https://github.com/xmpp-device-agent/xmpp-device-agent";

export interface Identity {
  category: string;
  type: string;
  name?: string;
  lang?: string;
}

export function capsVer(identities: Identity[], features: string[]): string {
  const octets = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const ids = identities
    .map((i) => `${i.category}/${i.type}/${i.lang ?? ""}/${i.name ?? ""}`)
    .sort(octets);
  const s = [...ids, ...[...new Set(features)].sort(octets)].map((x) => `${x}<`).join("");
  return createHash("sha1").update(s, "utf8").digest("base64");
}
