// The agent online against a real Prosody: an operator sees the device's health as presence, a stranger
// sees nothing, and the roster follows the config.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { xml } from "@xmpp/client";
import type { ThrowawayProsody } from "./servers/prosody/throwaway.js";
import { capsVer } from "../src/xeps/caps.js";
import { isPresenceFrom, type Peer } from "./support/peer.js";
import { startScene, type Scene } from "./support/scene.js";

describe("the agent online", () => {
  let scene: Scene;
  let prosody: ThrowawayProsody;
  let device: string;
  let operator: Peer;
  let stranger: Peer;
  let health: Scene["health"];

  before(async () => {
    scene = await startScene({
      env: { AGENT_INTERVAL: "0.5" },
      configure: (config) => Object.assign(config.presence, { raiseAfter: 2, clearAfter: 2, minIntervalSeconds: 0 }),
    });
    ({ prosody, device, operator, stranger, health } = scene);
  });

  after(() => scene?.stop());

  test("the device asks the operator to subscribe and the operator then sees it available, with caps and a status line", async () => {
    // The first presence, which the scene already waited for
    const presence = await operator.waitFor("the device's available presence", isPresenceFrom(device), 15_000, 0);
    assert.equal(presence.getChild("show"), undefined, "ok means no <show>");
    assert.match(presence.getChildText("status") ?? "", /^CPU \d+% RAM \d+% disk \d+% 48°C up 3d4h$/);
    const caps = presence.getChild("c", "http://jabber.org/protocol/caps");
    assert.equal(caps?.attrs.hash, "sha-1");
    assert.equal(caps?.attrs.node, "https://github.com/xmpp-device-agent/xmpp-device-agent");
    // The ver must hash what disco#info answers (XEP-0115 5.4): ask the device and recompute it
    const askInfo = async (node?: string) => {
      const iq = xml("iq", { type: "get", to: String(presence.attrs.from) }, xml("query", { xmlns: "http://jabber.org/protocol/disco#info", node }));
      return (await operator.xmpp.iqCaller.request(iq)).getChild("query")!;
    };
    const query = await askInfo();
    const identities = query.getChildren("identity").map((i) => ({ category: i.attrs.category, type: i.attrs.type, name: i.attrs.name }));
    const features = query.getChildren("feature").map((f) => String(f.attrs.var));
    assert.deepEqual(identities, [{ category: "client", type: "bot", name: "xmpp-device-agent" }]);
    assert.equal(caps?.attrs.ver, capsVer(identities, features));
    // A client that caches caps asks node#ver (XEP-0115 6.2) and must get the same answer
    const cached = await askInfo(`${caps?.attrs.node}#${caps?.attrs.ver}`);
    assert.equal(cached.attrs.node, `${caps?.attrs.node}#${caps?.attrs.ver}`);
    assert.deepEqual(cached.getChildren("feature").map((f) => String(f.attrs.var)), features);
  });

  test("crossing thresholds moves show to away, then dnd, and back with hysteresis", async () => {
    health.set({ cpuPercent: 90 });
    const away = await operator.waitFor("show away", (s) => isPresenceFrom(device)(s) && s.getChildText("show") === "away");
    assert.match(away.getChildText("status") ?? "", /^CPU 90% >= 85 \| CPU 90%/);
    health.set({ cpuPercent: 99, temperature: { celsius: 85, source: "t" } });
    const dnd = await operator.waitFor("show dnd", (s) => isPresenceFrom(device)(s) && s.getChildText("show") === "dnd");
    assert.match(dnd.getChildText("status") ?? "", /temp 85°C >= 80, CPU 99% >= 95/);
    health.set({});
    const ok = await operator.waitFor("show cleared", (s) => isPresenceFrom(device)(s) && s.getChild("show") === undefined);
    assert.match(ok.getChildText("status") ?? "", /^CPU 12%/);
    const shows = operator.received.filter(isPresenceFrom(device)).map((s) => s.getChildText("show") ?? "none");
    assert.ok(!shows.includes("available"), "never <show>available</show>");
  });

  test("a stranger's subscribe is refused and the stranger sees no presence", async () => {
    await stranger.send(xml("presence", { to: device, type: "subscribe" }));
    await stranger.waitFor("unsubscribed", isPresenceFrom(device, "unsubscribed"));
    await stranger.send(xml("presence", { to: device, type: "probe" }));
    health.set({ cpuPercent: 91 });
    await operator.waitFor("show away", (s) => isPresenceFrom(device)(s) && s.getChildText("show") === "away");
    health.set({});
    await operator.waitFor("show cleared", (s) => isPresenceFrom(device)(s) && s.getChild("show") === undefined);
    // RFC 6121 3.2.2: the refusal may come with an unavailable from the server; never an available one, nor a status
    const seen = stranger.received.filter((s) => isPresenceFrom(device)(s) || (s.is("presence") && s.getChild("status")));
    assert.deepEqual(seen.map(String), []);
  });

  test("a numbers-only drift makes no presence", async () => {
    await new Promise((r) => setTimeout(r, 1000)); // let the previous test's last presence arrive
    const before = operator.received.filter(isPresenceFrom(device)).length;
    for (const cpu of [13, 17, 22, 9, 30]) {
      health.set({ cpuPercent: cpu });
      await new Promise((r) => setTimeout(r, 600));
    }
    assert.equal(operator.received.filter(isPresenceFrom(device)).length, before);
  });

  test("Prosody restarted under the agent: the operator sees the device come back", async () => {
    await prosody.stopServer();
    await prosody.startServer();
    // The operator's own client reconnects too, as a phone would
    await operator.stop();
    operator = await scene.login({ name: "operator" });
    const back = await operator.waitFor("the device's presence after the restart", isPresenceFrom(device), 20_000);
    assert.match(back.getChildText("status") ?? "", /CPU/);
  });
});
