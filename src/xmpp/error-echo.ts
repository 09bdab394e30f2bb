// RFC 6120 8.3.1: an error reply MAY carry the request it answers, and @xmpp/iq's callee always puts it back.
// A copy of a request near the server's stanza size limit (Prosody: 256 KiB, not advertised) pushes our reply
// over it and the server closes our stream (policy-violation): one stanza from anyone could take the device
// offline. So a large copy is left out; the <error/> is all the RFC requires.
import type { Client, Element } from "@xmpp/client";

/** Copies up to this many characters stay: a small one helps a client match the error to its request. */
export const MAX_ECHO_CHARS = 2048;

export function withoutLargeEcho(stanza: Element): Element {
  if (!stanza.is("iq") || stanza.attrs.type !== "error") return stanza;
  const isError = (c: Element | string) => typeof c !== "string" && c.is("error");
  const echoed = stanza.children.filter((c) => !isError(c)).reduce((n, c) => n + String(c).length, 0);
  if (echoed > MAX_ECHO_CHARS) stanza.children = stanza.children.filter(isError);
  return stanza;
}

/** Every stanza goes out through client.send (the IQ callee's replies too): check error replies there. */
export function leaveOutLargeErrorEchoes(xmpp: Client): void {
  const send = xmpp.send.bind(xmpp);
  xmpp.send = (stanza: Element) => send(withoutLargeEcho(stanza));
}
