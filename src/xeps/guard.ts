// Only operators get data. A stranger's query gets <forbidden/> (RFC 6120 8.3.3.5) and nothing else.
import type { IqHandler } from "@xmpp/client";
import type { OperatorPolicy } from "../roster/operators.js";
import { stanzaError } from "../xmpp/stanza-error.js";

export const forbidden = () => stanzaError("auth", "forbidden");

export function operatorsOnly(policy: OperatorPolicy, handler: IqHandler): IqHandler {
  return (ctx, next) => (policy.isOperator(String(ctx.from)) ? handler(ctx, next) : forbidden());
}
