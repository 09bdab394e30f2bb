// XEP-0012 Last Activity, to operators. For a device, "activity" is its health: the answer is the seconds
// since the health level last changed, with the current status line as text; "dnd, 3600 s" reads as
// "critical for an hour". https://xmpp.org/extensions/xep-0012.html
import { xml, type IqCallee } from "@xmpp/client";
import type { Disco } from "./disco.js";
import type { OperatorPolicy } from "../roster/operators.js";
import { operatorsOnly } from "./guard.js";

export const NS_LAST = "jabber:iq:last";

export function lastActivityResponder({
  iqCallee,
  disco,
  policy,
  levelSince,
  status,
  now = Date.now,
}: {
  iqCallee: IqCallee;
  disco: Disco;
  policy: OperatorPolicy;
  levelSince: () => number;
  status: () => string;
  now?: () => number;
}) {
  disco.addFeature(NS_LAST);
  iqCallee.get(
    NS_LAST,
    "query",
    operatorsOnly(policy, () => xml("query", { xmlns: NS_LAST, seconds: String(Math.max(0, Math.floor((now() - levelSince()) / 1000))) }, status())),
  );
}
