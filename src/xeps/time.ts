// XEP-0202 Entity Time, to operators: a device's clock is worth checking (TLS and logs depend on it).
// https://xmpp.org/extensions/xep-0202.html
import { xml, type IqCallee } from "@xmpp/client";
import type { Disco } from "./disco.js";
import type { OperatorPolicy } from "../roster/operators.js";
import { operatorsOnly } from "./guard.js";

export const NS_TIME = "urn:xmpp:time";

/** Minutes east of UTC -> "+01:00" (XEP-0082). Date#getTimezoneOffset is minutes west, hence the sign. */
export function tzo(date: Date): string {
  const east = -date.getTimezoneOffset();
  const abs = Math.abs(east);
  return `${east < 0 ? "-" : "+"}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

export function timeResponder({ iqCallee, disco, policy, now = () => new Date() }: { iqCallee: IqCallee; disco: Disco; policy: OperatorPolicy; now?: () => Date }) {
  disco.addFeature(NS_TIME);
  iqCallee.get(
    NS_TIME,
    "time",
    operatorsOnly(policy, () => {
      const date = now();
      return xml("time", NS_TIME, xml("tzo", {}, tzo(date)), xml("utc", {}, date.toISOString().replace(/\.\d{3}Z$/, "Z")));
    }),
  );
}
