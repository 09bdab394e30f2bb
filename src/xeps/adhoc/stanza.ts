// XEP-0050 on the wire: <command/> in, <command/> or <error/> out. https://xmpp.org/extensions/xep-0050.html#schema
import { xml, type Element } from "@xmpp/client";
import { ANSWER_LANG, stanzaError } from "../../xmpp/stanza-error.js";
import { submittedForm } from "../forms.js";
import { NS_COMMANDS } from "./command.js";
import type { AdhocFailure, AdhocOutcome, AdhocRequest } from "./sessions.js";

/** `stanzaLang`: the <iq/>'s xml:lang, where XEP-0050 3.5 recommends requesters put it. */
export function readRequest(command: Element, from: string, stanzaLang?: string): AdhocRequest {
  const attr = (name: string) => (command.attrs[name] as string | undefined) || undefined;
  return {
    from,
    node: attr("node") ?? "",
    sessionid: attr("sessionid"),
    action: attr("action"),
    lang: attr("xml:lang") ?? (stanzaLang || undefined),
    form: submittedForm(command.getChildElements()),
  };
}

export function commandElement(outcome: AdhocOutcome & { ok: true }): Element {
  const { node, sessionid, status, notes, payload, actions } = outcome;
  return xml(
    "command",
    { xmlns: NS_COMMANDS, node, sessionid, status, "xml:lang": ANSWER_LANG },
    actions ? xml("actions", { execute: actions.execute }, ...actions.allowed.map((a) => xml(a))) : null,
    ...notes.map((n) => xml("note", { type: n.type }, n.text)),
    ...payload,
  );
}

// XEP-0050 6 (and 4.3 for the session cap): the stanza error, and the specific condition where there is one
const CONDITIONS: Record<AdhocFailure, [type: string, condition: string, specific: string | null]> = {
  "malformed-action": ["modify", "bad-request", "malformed-action"],
  "bad-action": ["modify", "bad-request", "bad-action"],
  "bad-locale": ["modify", "bad-request", "bad-locale"],
  "bad-payload": ["modify", "bad-request", "bad-payload"],
  "bad-sessionid": ["modify", "bad-request", "bad-sessionid"],
  "session-expired": ["cancel", "not-allowed", "session-expired"],
  "item-not-found": ["cancel", "item-not-found", null],
  "too-many-sessions": ["cancel", "not-allowed", null],
};

export function commandError(failure: AdhocFailure, text: string): Element {
  const [type, condition, specific] = CONDITIONS[failure];
  return stanzaError(type, condition, text, specific ? xml(specific, NS_COMMANDS) : undefined);
}
