// XEP-0198 'h', the count of stanzas we handled, kept here instead of by @xmpp/stream-management 0.14, which
// (1) does not count the IQ results its iqCaller consumes (they never reach its counting middleware): ejabberd
//     keeps each one queued as unacknowledged and ends the session at 5,000 ("policy-violation: Too many
//     unacked stanzas"), ~3.5 days of one keepalive ping a minute;
// (2) zeroes the count for a new session only in a promise continuation after <enabled/>: ejabberd sends <r/> in
//     the same packet, and after a failed resume the answer carried the old session's count ("undefined-condition:
//     Client acknowledged more stanzas than sent by server"), ending the new session at once.
// docs/servers.md has the traces. https://xmpp.org/extensions/xep-0198.html#acking
import type { Client, Element } from "@xmpp/client";
import { NS_SM } from "./namespaces.js";

const STANZAS = new Set(["message", "presence", "iq"]);

export function countHandledStanzas(xmpp: Client): void {
  let handled = 0;
  // Before the library's own listener, so an <r/> is answered with every stanza before it counted
  xmpp.prependListener("element", (el: Element) => {
    // "The counter ... is set to zero and started after receiving either <enable/> or <enabled/>"; a <failed/>
    // ends the old session. After <resumed/> it goes on from where it was.
    if (el.attrs.xmlns === NS_SM && (el.name === "enabled" || el.name === "failed")) handled = 0;
    else if (STANZAS.has(el.name)) handled++;
  });
  // The library forgets the session on "offline" (stop(), resume-check.ts)
  xmpp.on("offline", () => (handled = 0));
  // The library reads 'h' for <a/> and <resume/> from here; its own writes are the miscounts above
  Object.defineProperty(xmpp.streamManagement, "inbound", { get: () => handled, set: () => undefined, configurable: true });
}
