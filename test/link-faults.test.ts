// A link that breaks under the agent: cut (both ends told) it resumes the XEP-0198 session; blackholed
// (nobody told) the keepalive notices within keepaliveSeconds + keepaliveTimeoutSeconds and logs in again.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startProsody, type ThrowawayProsody } from "../src/prosody/throwaway.js";
import { startAgent, type Agent } from "../src/agent.js";
import { loadConfig } from "../src/config/load.js";
import { createLogger } from "../src/log.js";
import { connectPeer, isPresenceFrom, type Peer } from "./support/peer.js";
import { scriptedSampler } from "./support/scripted-sampler.js";
import { logSink } from "./support/log-sink.js";
import { startTcpProxy, type TcpProxy } from "./support/tcp-proxy.js";

const until = async (what: string, condition: () => boolean, timeoutMs: number) => {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return Date.now() - start;
};

describe("link faults", () => {
  let prosody: ThrowawayProsody;
  let proxy: TcpProxy;
  let agent: Agent;
  let operator: Peer;
  let device: string;
  const logs = logSink();
  const said = (msg: string) => logs.records().filter((r) => r.msg === msg).length;

  before(async () => {
    prosody = await startProsody();
    proxy = await startTcpProxy(prosody.port);
    device = await prosody.register("device", "dev-pw");
    const operatorJid = await prosody.register("op", "op-pw");
    operator = await connectPeer(prosody.service, operatorJid, "op-pw", { acceptFrom: device });
    const config = loadConfig({ env: { XMPP_SERVICE: proxy.service, XMPP_JID: device, XMPP_PASSWORD: "dev-pw", AGENT_OPERATORS: operatorJid } });
    Object.assign(config.xmpp, { keepaliveSeconds: 5, keepaliveTimeoutSeconds: 2 });
    agent = await startAgent({ config, password: "dev-pw", log: createLogger("debug", logs.stream), version: "test", sampler: scriptedSampler().sampler });
    await operator.waitFor("the device online", isPresenceFrom(device), 15_000);
  });
  after(async () => {
    await agent?.stop("test over");
    await operator?.stop();
    await proxy?.close();
    await prosody?.stop();
  });

  test("a cut link is resumed (XEP-0198): the operator never sees the device go offline", async () => {
    const since = operator.received.length;
    proxy.cut();
    await until("the stream resumed", () => said("stream resumed (XEP-0198)") === 1, 15_000);
    await new Promise((r) => setTimeout(r, 500));
    const offline = operator.received.slice(since).filter(isPresenceFrom(device, "unavailable"));
    assert.deepEqual(offline.map(String), []);
  });

  test("a blackholed link is noticed by the keepalive within 5 s + 2 s + the 1 s check step and the agent is back", async () => {
    const onlineBefore = said("online") + said("stream resumed (XEP-0198)");
    proxy.blackhole();
    const noticed = await until("the keepalive noticed", () => said("keepalive: server did not answer a ping, reconnecting") === 1, 12_000);
    assert.ok(noticed <= 8_500, `noticed after ${noticed} ms`);
    await until("back online", () => said("online") + said("stream resumed (XEP-0198)") > onlineBefore, 15_000);
  });
});
