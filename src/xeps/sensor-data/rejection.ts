// A refused readout, written so that clients of both XEP-0323 versions read it:
// - 0.2 (xsf/xeps f3525dab, §3.3): an error IQ carrying <rejected seqnr><error>text</error></rejected>;
//   slixmpp 1.8 only reports a rejection when it finds that element under the IQ.
// - 0.3 to 0.6 (d5926f91, §3.3): "updated to be compliant with RFC 6120": a stanza <error/> with
//   forbidden / item-not-found / bad-request and a <text/>.
// One stanza carries both; RFC 6120 8.3.1 lets an error IQ carry a payload beside its <error/>.
import { xml, type Element } from "@xmpp/client";
import { stanzaError } from "../../xmpp/stanza-error.js";
import { NS_SENSOR_DATA, type Refusal } from "./request.js";

// 0.6's table gives "cancel" for forbidden and item-not-found, "modify" for bad-request
const ERROR_TYPE: Record<Refusal["condition"], string> = {
  forbidden: "cancel",
  "item-not-found": "cancel",
  "bad-request": "modify",
  "feature-not-implemented": "cancel",
};

export function refusalError({ condition, text }: Refusal): Element {
  return stanzaError(ERROR_TYPE[condition], condition, text);
}

export function rejected(seqnr: string, { text }: Refusal): Element {
  return xml("rejected", { xmlns: NS_SENSOR_DATA, seqnr }, xml("error", {}, text));
}

/**
 * Makes `echoed` read as `payload`. @xmpp/iq's callee puts the request element back into an error reply
 * (RFC 6120 8.3.1); turning that element into 0.2's <rejected/> keeps the one place that answers IQs.
 */
export function replaceEcho(echoed: Element, payload: Element): void {
  echoed.name = payload.name;
  echoed.attrs = payload.attrs;
  echoed.children = payload.children;
  for (const child of payload.children) if (typeof child !== "string") child.parent = echoed;
}
