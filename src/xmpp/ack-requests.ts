// XEP-0198: @xmpp/stream-management 0.14 keeps every stanza we send until the server acknowledges it, and
// asks for that acknowledgement only 250 ms after the last stanza we sent. Under steady traffic (anyone
// sending us an IQ every 200 ms) that moment never comes: the queue grew by ~9 MB per 1,000 stanzas answered
// (test/faults/hostile.test.ts). So we also ask after every `every` stanzas. https://xmpp.org/extensions/xep-0198.html#acking
import { xml, type Client, type Element } from "@xmpp/client";
import { NS_SM } from "./namespaces.js";

export function askForAcks(xmpp: Client, every = 50): void {
  let unasked = 0;
  xmpp.on("send", (stanza: Element) => {
    if (!xmpp.streamManagement.enabled || !["message", "presence", "iq"].includes(stanza.name)) return;
    if (++unasked < every) return;
    unasked = 0;
    xmpp.send(xml("r", { xmlns: NS_SM })).catch(() => undefined);
  });
  xmpp.on("disconnect", () => (unasked = 0));
}
