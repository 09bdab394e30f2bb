// Namespaces of the core and the link that several files share. A XEP's own namespace stands at the top of
// its file in src/xeps/ (NS_DISCO_INFO in disco.ts, NS_COMMANDS in adhoc/command.ts, ...).

/** RFC 6120 8.3.3: the defined conditions of a stanza error, and its <text/>. */
export const NS_STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas";
/** XEP-0198 Stream Management. */
export const NS_SM = "urn:xmpp:sm:3";
/** XEP-0199 XMPP Ping: @xmpp/client answers it; the keepalive asks it. */
export const NS_PING = "urn:xmpp:ping";
