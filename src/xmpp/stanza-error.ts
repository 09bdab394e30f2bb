// RFC 6120 8.3 stanza errors, written one way for every capability. https://www.rfc-editor.org/rfc/rfc6120#section-8.3.2
import { xml, type Element } from "@xmpp/client";
import { NS_STANZAS } from "./namespaces.js";

/** Every text the agent answers is English, and says so where the protocol has room (8.3.2, XEP-0050 3.5). */
export const ANSWER_LANG = "en";

/** <error type><condition/><text/>?<specific/>?</error> in 8.3.2's order; `specific`: e.g. XEP-0050 6's. */
export function stanzaError(type: string, condition: string, text?: string, specific?: Element): Element {
  return xml(
    "error",
    { type },
    xml(condition, NS_STANZAS),
    text === undefined ? null : xml("text", { xmlns: NS_STANZAS, "xml:lang": ANSWER_LANG }, text),
    specific ?? null,
  );
}
