// Standard queries against a real Prosody, asked by slixmpp 1.8.3 (an independent implementation): an operator
// gets disco, caps that slixmpp verifies itself, ping, version, time and last activity; a stranger gets disco and
// ping (they say nothing about the device's health) and forbidden for the rest. IQs nobody should act on
// (unknown namespaces, malformed, unsolicited results and errors) get the RFC 6120 answers, or none.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { xml } from "@xmpp/client";
import type { ThrowawayProsody } from "./servers/prosody/throwaway.js";
import { osText, readDeviceFacts } from "../src/facts.js";
import { isPresenceFrom, type Peer } from "./support/peer.js";
import { runPython } from "./support/python-peer.js";
import { startScene, type Scene } from "./support/scene.js";
import { serverSoftware } from "./support/server.js";

const FEATURES = [
  "http://jabber.org/protocol/caps",
  "http://jabber.org/protocol/commands",
  "http://jabber.org/protocol/disco#info",
  "http://jabber.org/protocol/disco#items",
  "jabber:iq:last",
  "jabber:iq:version",
  "jabber:x:data",
  "urn:xmpp:iot:sensordata",
  "urn:xmpp:ping",
  "urn:xmpp:time",
];

type Step = Record<string, any>;
interface Run {
  code: number | null;
  steps: Step[];
  step(name: string): Step;
  why: string;
}

/** Runs the slixmpp client; it bounds itself to 30 s and is killed at 40 s if it does not stop. */
async function slixmpp(prosody: ThrowawayProsody, role: "operator" | "stranger", jid: string, password: string, device: string): Promise<Run> {
  const args = ["--role", role, "--jid", `${jid}/slixmpp`, "--password", password, "--host", "127.0.0.1", "--port", String(prosody.port), "--device", device, "--timeout", "30"];
  const { code, lines: steps, stderr } = await runPython("queries_client.py", args, 40_000);
  const why = `exit ${code}\n${stderr}\n${steps.map((s) => JSON.stringify(s)).join("\n")}`;
  return { code, steps, why, step: (name) => steps.find((s) => s.step === name) ?? assert.fail(`no step ${name}: ${why}`) };
}

describe("standard queries, from slixmpp", () => {
  let scene: Scene;
  let prosody: ThrowawayProsody;
  let device: string;
  let deviceFull: string;
  let capsVer: string;
  let status: string;
  let operatorJid: string;
  let strangerJid: string;
  let operator: Peer;
  let startedAt: number;
  const operatorFeatures: string[] = [];

  before(async () => {
    scene = await startScene({
      stranger: false,
      env: { AGENT_INTERVAL: "60" },
      configure: (config) => Object.assign(config.presence, { minIntervalSeconds: 0 }),
      version: "9.8.7-test",
    });
    ({ prosody, device, deviceFull, operatorJid, strangerJid, operator, startedAt } = scene);
    capsVer = String(scene.presence.getChild("c", "http://jabber.org/protocol/caps")?.attrs.ver);
    status = scene.presence.getChildText("status") ?? "";
  });

  after(() => scene?.stop());

  test("an operator gets disco#info (client/bot), caps slixmpp verifies itself, ping, version, time and last activity", async () => {
    const run = await slixmpp(prosody, "operator", operatorJid, "operator-pass", deviceFull);
    assert.equal(run.code, 0, run.why);

    const info = run.step("disco-info");
    assert.deepEqual(info.identities, [["client", "bot", null, "xmpp-device-agent"]]);
    assert.deepEqual(info.features, FEATURES);
    assert.equal(info.extensions, 0, "no XEP-0128 forms: nothing but identity and features");
    operatorFeatures.push(...info.features);
    // xep_0115.generate_verstring over our disco#info == the ver in our presence, seen by both clients
    assert.equal(info.ver, capsVer);
    assert.equal(run.step("presence").ver, capsVer);
    assert.equal(run.step("presence").hash, "sha-1");
    assert.equal(run.step("caps-validated").assigned, capsVer, "slixmpp fetched node#ver, validated and cached it");
    assert.deepEqual(run.step("disco-items").items, []);

    assert.equal(run.step("ping").pong, true);

    const version = run.step("version");
    assert.deepEqual([version.name, version.version], ["xmpp-device-agent", "9.8.7-test"]);
    assert.equal(version.os, osText(await readDeviceFacts()));

    const time = run.step("time");
    assert.match(time.utc, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    assert.ok(Math.abs(Date.parse(time.utc) - Date.now()) < 30_000, time.utc);
    assert.match(time.tzo, /^[+-]\d\d:\d\d$/);
    assert.ok(time.skew_s < 5);

    const last = run.step("last");
    // XEP-0012 for a device: seconds at its current health level (ok since the agent started), with its status
    assert.ok(last.seconds >= 0 && last.seconds <= (Date.now() - startedAt) / 1000 + 1, String(last.seconds));
    assert.equal(last.status, status);

    for (const kind of ["unknown-get", "unknown-set"]) assert.equal(run.step(kind).condition, "service-unavailable", kind);
    // An unknown namespace reaches the agent, which answers (its reply echoes the request, Prosody's would not)
    assert.deepEqual(run.step("unknown-get").payload, ["{urn:example:no-such-protocol}query"]);
    // A malformed IQ: Prosody answers bad-request itself (core/stanza_router.lua); ejabberd passes it on and the
    // agent's iqCallee answers bad-request (docs/servers.md)
    for (const kind of ["two-children", "no-child"]) assert.deepEqual([run.step(kind).condition, run.step(kind).data], ["bad-request", false], kind);
    assert.equal(run.step("roster-push").condition, "service-unavailable", "only the device's server may push its roster");
    assert.deepEqual(run.step("unsolicited").answers, []);
    assert.equal(run.step("still-answering").pong, true);
  });

  test("a stranger gets disco#info (features only, the operator's list) and a pong, and forbidden with no data for the rest", async () => {
    const run = await slixmpp(prosody, "stranger", strangerJid, "stranger-pass", deviceFull);
    assert.equal(run.code, 0, run.why);
    const info = run.step("disco-info");
    // The same list an operator sees: which XEPs the software speaks, nothing about this device's health
    if (operatorFeatures.length) assert.deepEqual(info.features, operatorFeatures);
    assert.deepEqual(info.identities, [["client", "bot", null, "xmpp-device-agent"]]);
    assert.deepEqual(run.step("disco-items").items, []);
    assert.equal(run.step("ping").pong, true, "XEP-0199 answers anyone");
    for (const query of ["version", "time", "last"]) {
      const got = run.step(query);
      // ejabberd's mod_last refuses jabber:iq:last from a non-subscriber itself; the device never sees it (docs/servers.md)
      const refusal = query === "last" && serverSoftware() === "ejabberd" ? ["cancel", "service-unavailable"] : ["auth", "forbidden"];
      assert.deepEqual([got.answered, got.type, got.condition, got.data], [false, ...refusal, false], query);
    }
    for (const kind of ["unknown-get", "unknown-set"]) assert.equal(run.step(kind).condition, "service-unavailable", kind);
    for (const kind of ["two-children", "no-child"]) assert.equal(run.step(kind).condition, "bad-request", kind);
    assert.equal(run.step("roster-push").condition, "service-unavailable");
    assert.deepEqual(run.step("unsolicited").answers, []);
    assert.equal(run.step("still-answering").pong, true);
    assert.deepEqual(run.step("presences").types, [], "no presence of the device reaches a stranger");
  });

  test("the device acknowledges its server's roster pushes (RFC 6121 2.1.6) and answered no IQ from its server with an error", async () => {
    // The operator's subscription in before() made Prosody push the device's roster; Prosody logs the errors it
    // gets back for IQs it sent and nobody waits for
    const log = await prosody.logText();
    if (serverSoftware() === "ejabberd") {
      // ejabberd logs each stanza on a c2s stream and not what it does with an error reply: the evidence is an
      // error from the device to its own account or to the server (roster pushes and caps queries come from those)
      assert.match(log, new RegExp(`Send XML on stream = <<"<iq to='${device}/[^']+' from='${device}' type='set' id='push\\d+'><query xmlns='jabber:iq:roster'>`), "ejabberd pushed a roster change to the device");
      const toServer = new RegExp(`Received XML on stream = <<"<iq(?=[^>]*\\bfrom=\\\\"${device}/)(?=[^>]*\\bto=\\\\"(${device}(/[^\\\\]*)?|${prosody.domain})\\\\")(?=[^>]*\\btype=\\\\"error\\\\")`);
      assert.deepEqual(log.split("\n").filter((l) => toServer.test(l)), []);
      return;
    }
    assert.match(log, /Sending\[c2s\]: <iq [^>]*type='set'/, "Prosody pushed a roster change to the device");
    assert.deepEqual(log.split("\n").filter((l) => l.includes("Discarding unhandled error iq") && l.includes(`from='${device}/`)), []);
  });

  test("after all of it the agent is still online: it answers the operator's own client", async () => {
    const pong = await operator.xmpp.iqCaller.request(xml("iq", { type: "get", to: deviceFull }, xml("ping", "urn:xmpp:ping")), 5000);
    assert.equal(pong.attrs.type, "result");
    assert.equal(operator.received.filter(isPresenceFrom(device, "unavailable")).length, 0, "the device never went offline");
  });
});
