// A link that breaks under the agent: cut (both ends told) it resumes the XEP-0198 session; blackholed
// (nobody told) the keepalive notices within keepaliveSeconds + keepaliveTimeoutSeconds and logs in again.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { isPresenceFrom, type Peer } from "./support/peer.js";
import { startScene, type Scene } from "./support/scene.js";
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
  let scene: Scene;
  let proxy: TcpProxy;
  let operator: Peer;
  let device: string;
  const said = (msg: string) => scene.logs.records().filter((r) => r.msg === msg).length;

  before(async () => {
    scene = await startScene({
      stranger: false,
      // Resumption, as an admin who wants it sets Prosody up (the default 600 s gets none: src/xmpp/login-loop.ts)
      prosodyHibernationSeconds: 30,
      link: async (prosody) => (proxy = await startTcpProxy(prosody.port)),
      configure: (config) => Object.assign(config.xmpp, { keepaliveSeconds: 5, keepaliveTimeoutSeconds: 2 }),
    });
    ({ operator, device } = scene);
  });
  after(() => scene?.stop());

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
