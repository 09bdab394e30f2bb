// XEP-0092 Software Version, to operators. https://xmpp.org/extensions/xep-0092.html
import { xml, type IqCallee } from "@xmpp/client";
import type { Disco } from "./disco.js";
import type { OperatorPolicy } from "../roster/operators.js";
import { operatorsOnly } from "./guard.js";

export const NS_VERSION = "jabber:iq:version";

export function versionResponder({ iqCallee, disco, policy, version, os }: { iqCallee: IqCallee; disco: Disco; policy: OperatorPolicy; version: string; os: () => string }) {
  disco.addFeature(NS_VERSION);
  iqCallee.get(
    NS_VERSION,
    "query",
    operatorsOnly(policy, () =>
      xml("query", NS_VERSION, xml("name", {}, "xmpp-device-agent"), xml("version", {}, version), xml("os", {}, os())),
    ),
  );
}
