// XEP-0323 Internet of Things - Sensor Data (Retracted; read as 0.2 and 0.6), momentary readout of the
// device's health, to operators. https://xmpp.org/extensions/xep-0323.html  Namespace: urn:xmpp:iot:sensordata
// One node per device, named by the local part of the device's JID ("pi-kitchen" for pi-kitchen@example.org):
// readouts from many devices then stay apart in a client that keys them by (node, field, timestamp).
// Every request takes a fresh sample; readouts are immediate, so nothing is ever queued and <cancel/> finds nothing.
import type { Client, IqContext, IqCallee } from "@xmpp/client";
import type { Disco } from "../disco.js";
import type { OperatorPolicy } from "../../roster/operators.js";
import type { HealthSample } from "../../sampling/sample.js";
import type { Logger } from "../../log.js";
import { checkFields, healthFields } from "./fields.js";
import type { CheckResult } from "../../checks/result.js";
import { NS_SENSOR_DATA, checkRequest, isRefusal, parseRequest, readSeqnr, selectFields, type Refusal } from "./request.js";
import { accepted, failureMessage, fieldsMessage } from "./readout.js";
import { rejected, replaceEcho, refusalError } from "./rejection.js";

export { NS_SENSOR_DATA };

export interface SensorDataDeps {
  xmpp: Pick<Client, "send" | "jid">;
  iqCallee: IqCallee;
  disco: Disco;
  policy: OperatorPolicy;
  freshSample: () => Promise<HealthSample>;
  /** The owner's checks' latest results: a status field each, and their plugins' perf data. */
  checks?: () => CheckResult[];
  log: Logger;
  now?: () => number;
}

export function sensorDataResponder({ xmpp, iqCallee, disco, policy, freshSample, checks = () => [], log, now = Date.now }: SensorDataDeps) {
  const timers = new Set<NodeJS.Immediate>();
  let stopped = false;
  disco.addFeature(NS_SENSOR_DATA);

  const refuse = (ctx: IqContext, seqnr: string | null, refusal: Refusal) => {
    log.info({ from: String(ctx.from), seqnr, refused: refusal.condition, reason: refusal.text }, "sensor data: readout refused");
    if (seqnr !== null) replaceEcho(ctx.element, rejected(seqnr, refusal));
    return refusalError(refusal);
  };

  // After the IQ result: the middleware sends the reply once this handler's promise settles, and a
  // setImmediate runs after that, so the client sees <accepted/> before the fields
  const afterReply = (send: () => Promise<void>) => {
    const timer = setImmediate(() => {
      timers.delete(timer);
      if (!stopped) send().catch((err: Error) => log.warn({ err: { message: err.message } }, "sensor data: readout not sent"));
    });
    timers.add(timer);
  };

  iqCallee.get(NS_SENSOR_DATA, "req", async (ctx) => {
    const from = String(ctx.from);
    const seqnr = readSeqnr(ctx.element);
    if (!policy.isOperator(from)) return refuse(ctx, seqnr, { condition: "forbidden", text: "Access denied: only this device's operators can read it" });
    const request = parseRequest(ctx.element);
    if (isRefusal(request)) return refuse(ctx, seqnr, request);
    const nodeId = xmpp.jid?.local ?? "device";
    const early = checkRequest(request, { nodeId, now: now() });
    if (early) return refuse(ctx, request.seqnr, early);

    let sample: HealthSample;
    try {
      sample = await freshSample();
    } catch (err) {
      // 0.6 §3.2: accepted, then a <failure/> message
      const text = `Reading the device failed: ${(err as Error).message}`;
      log.warn({ from, seqnr: request.seqnr, reason: text }, "sensor data: readout failed");
      afterReply(() => xmpp.send(failureMessage({ to: from, seqnr: request.seqnr, nodeId, at: now(), text })));
      return accepted(request.seqnr);
    }
    const fields = selectFields(request, [...healthFields(sample), ...checkFields(checks())]);
    if (isRefusal(fields)) return refuse(ctx, request.seqnr, fields);
    log.debug({ from, seqnr: request.seqnr, fields: fields.length }, "sensor data: readout");
    afterReply(() => xmpp.send(fieldsMessage({ to: from, seqnr: request.seqnr, nodeId, takenAt: sample.takenAt, fields })));
    return accepted(request.seqnr);
  });

  // 0.6 §3.7: <cancel/> is for queued readouts; there are none here, so there is nothing to cancel
  iqCallee.get(NS_SENSOR_DATA, "cancel", (ctx) => {
    const seqnr = readSeqnr(ctx.element);
    if (!policy.isOperator(String(ctx.from))) return refuse(ctx, seqnr, { condition: "forbidden", text: "Access denied: only this device's operators can read it" });
    return refuse(ctx, seqnr, { condition: "item-not-found", text: `No readout ${seqnr ?? ""} is queued: readouts here are answered at once` });
  });

  return {
    stop() {
      stopped = true;
      for (const timer of timers) clearImmediate(timer);
      timers.clear();
    },
  };
}
