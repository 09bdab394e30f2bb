// The owner's checks end to end: the agent online against a real server, a real local HTTP server as "the app".
// When the app answers 502 the operator's roster shows the device dnd with the check's reason first, chat
// `checks` says which check and why, chat `status` counts them, and when the app answers 200 again it clears.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import { xml, type Element } from "@xmpp/client";
import { startScene, type Scene } from "./support/scene.js";
import { isPresenceFrom } from "./support/peer.js";

let scene: Scene;
let app: Server;
let appStatus = 200;

const isChatFromDevice = (stanza: Element) => stanza.is("message") && String(stanza.attrs.from ?? "").startsWith(scene.device) && stanza.getChild("body") !== undefined;
/** Alerts carry a XEP-0334 store hint; replies to a chat line do not. */
const isAlert = (stanza: Element) => isChatFromDevice(stanza) && stanza.getChild("store", "urn:xmpp:hints") !== undefined;
const isReply = (stanza: Element) => isChatFromDevice(stanza) && !isAlert(stanza);

async function ask(text: string): Promise<string> {
  const reply = scene.operator.waitFor(`a reply to ${text}`, isReply, 5000, scene.operator.received.length);
  await scene.operator.send(xml("message", { to: scene.device, type: "chat" }, xml("body", {}, text)));
  return (await reply).getChildText("body") ?? "";
}

before(async () => {
  app = createServer((_req, res) => res.writeHead(appStatus).end());
  app.listen(0, "127.0.0.1");
  await once(app, "listening");
  const url = `http://127.0.0.1:${(app.address() as { port: number }).port}/health`;
  scene = await startScene({
    env: { AGENT_INTERVAL: "0.5" },
    configure(config) {
      config.checks = [
        { name: "web", type: "http", url, every: 5, timeout: 2 },
        { name: "beat", type: "file", path: "/nonexistent/heartbeat", level: "warn", every: 5 },
      ];
      config.presence.raiseAfter = 1;
      config.presence.clearAfter = 1;
      config.presence.minIntervalSeconds = 0;
    },
  });
});

after(async () => {
  await scene?.stop();
  app?.close();
});

test("a missing heartbeat file makes the device away, with the check's reason first in the status", async () => {
  const away = await scene.operator.waitFor("the device away", (s) => isPresenceFrom(scene.device)(s) && s.getChildText("show") === "away", 15_000);
  assert.match(away.getChildText("status") ?? "", /^beat: missing \| CPU \d+%/);
});

test("the app answering 502 makes the device dnd: the operator reads which check and why", async () => {
  appStatus = 502;
  const since = scene.operator.received.length;
  const dnd = await scene.operator.waitFor("the device dnd", (s) => isPresenceFrom(scene.device)(s) && s.getChildText("show") === "dnd", 15_000);
  assert.match(dnd.getChildText("status") ?? "", /^web: HTTP 502, expected 200, beat: missing \| CPU/);
  // A failing check raises an alert like any other reason (alerts.level crit by default)
  const alert = await scene.operator.waitFor("the crit alert", isAlert, 10_000, since);
  assert.match(alert.getChildText("body") ?? "", /^device CRIT: web: HTTP 502, expected 200, beat: missing\n/);
  const checks = await ask("checks");
  assert.match(checks, /^checks: 1 crit, 1 warn\nweb CRIT: HTTP 502, expected 200 \(\d+ s ago\)\nbeat WARN: missing \(\d+ s ago\)$/);
  const status = await ask("status");
  assert.match(status, /^crit: web: HTTP 502, expected 200, beat: missing\nchecks: 1 crit, 1 warn \(send checks for each\)\nCPU /);
});

test("the app answering 200 again clears the crit; the heartbeat still keeps it away", async () => {
  appStatus = 200;
  const back = await scene.operator.waitFor("the device away again", (s) => isPresenceFrom(scene.device)(s) && s.getChildText("show") === "away", 15_000);
  assert.match(back.getChildText("status") ?? "", /^beat: missing \| /);
  assert.match(await ask("checks"), /^checks: 1 warn, 1 ok\nbeat WARN: missing \(\d+ s ago\)\nweb ok: HTTP 200 \(\d+ s ago\)$/);
});

test("a stranger asking for checks gets no answer", async () => {
  const before = scene.stranger.received.length;
  // (a stranger gets no alert either: it is not an operator)
  await scene.stranger.send(xml("message", { to: scene.device, type: "chat" }, xml("body", {}, "checks")));
  await new Promise((resolve) => setTimeout(resolve, 1500));
  assert.equal(scene.stranger.received.slice(before).filter(isChatFromDevice).length, 0);
});
