// Only operators get data. A stranger's query gets <forbidden/> (RFC 6120 8.3.3.5) and nothing else.
import { xml, type IqHandler } from "@xmpp/client";
import type { OperatorPolicy } from "../roster/operators.js";

const NS_STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas";

export const forbidden = () => xml("error", { type: "auth" }, xml("forbidden", NS_STANZAS));

export function operatorsOnly(policy: OperatorPolicy, handler: IqHandler): IqHandler {
  return (ctx, next) => (policy.isOperator(String(ctx.from)) ? handler(ctx, next) : forbidden());
}
