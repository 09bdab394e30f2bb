// A resumed stream must prove that the server reads what we send (XEP-0198 <a/>) before we resume it again.
// Prosody 0.12.3 (Debian 12) feeds a resumed session's input to the dead link's XML parser (mod_c2s.lua,
// session.data): when a stanza of ours was cut mid-way, everything we send after the resume is swallowed into
// that half stanza, while the server's stanzas still reach us, and every later resume lands in the same trap.
// https://xmpp.org/extensions/xep-0198.html#resumption
import type { Client, Element } from "@xmpp/client";
import { NS_SM } from "./namespaces.js";

export function resumeCheck(xmpp: Client) {
  let unconfirmed = false;
  xmpp.streamManagement.on("resumed", () => (unconfirmed = true));
  xmpp.on("nonza", (el: Element) => {
    if (el.is("a", NS_SM)) unconfirmed = false;
  });
  return {
    /** The link died. If it was a resumed stream the server never acknowledged, forget the session so the next
     * login starts a new one; says whether it did. */
    forgetIfUnconfirmed(): boolean {
      if (!unconfirmed) return false;
      unconfirmed = false;
      // @xmpp/stream-management forgets the session (id, queue, counters) on "offline", as after stop()
      xmpp.emit("offline");
      return true;
    },
  };
}
