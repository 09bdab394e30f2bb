// Standard queries against a real Prosody, asked by slixmpp 1.8.3 (an independent implementation): an operator
// gets disco, caps that slixmpp verifies itself, ping, version, time and last activity; a stranger gets disco and
// ping (they say nothing about the device's health) and forbidden for the rest. IQs nobody should act on
// (unknown namespaces, malformed, unsolicited results and errors) get the RFC 6120 answers, or none.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { xml } from "@xmpp/client";
import { startProsody, type ThrowawayProsody } from "../src/prosody/throwaway.js";
import { startAgent, type Agent } from "../src/agent.js";
import { loadConfig } from "../src/config/load.js";
import { createLogger } from "../src/log.js";
import { osText, readDeviceFacts } from "../src/facts.js";
import { connectPeer, isPresenceFrom, type Peer } from "./support/peer.js";
import { scriptedSampler } from "./support/scripted-sampler.js";
import { logSink } from "./support/log-sink.js";

const SCRIPT = fileURLToPath(new URL("../../test/interop/queries_client.py", import.meta.url));
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
function slixmpp(prosody: ThrowawayProsody, role: "operator" | "stranger", jid: string, password: string, device: string): Promise<Run> {
  const args = [SCRIPT, "--role", role, "--jid", `${jid}/slixmpp`, "--password", password, "--host", "127.0.0.1", "--port", String(prosody.port), "--device", device, "--timeout", "30"];
  const child = spawn("/usr/bin/python3", args, { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (err += d));
  const killer = setTimeout(() => child.kill("SIGKILL"), 40_000);
  return new Promise((resolve) =>
    child.on("close", (code) => {
      clearTimeout(killer);
      const steps = out.split("\n").filter(Boolean).map((l) => JSON.parse(l) as Step);
      const why = `exit ${code}\n${err}\n${steps.map((s) => JSON.stringify(s)).join("\n")}`;
      resolve({ code, steps, why, step: (name) => steps.find((s) => s.step === name) ?? assert.fail(`no step ${name}: ${why}`) });
    }),
  );
}

describe("standard queries, from slixmpp", () => {
  let prosody: ThrowawayProsody;
  let device: string;
  let deviceFull: string;
  let capsVer: string;
  let status: string;
  let operatorJid: string;
  let strangerJid: string;
  let operator: Peer;
  let agent: Agent;
  let startedAt: number;
  const operatorFeatures: string[] = [];
  const health = scriptedSampler();
  const logs = logSink();

  before(async () => {
    prosody = await startProsody();
    device = await prosody.register("device", "device-secret-1");
    operatorJid = await prosody.register("operator", "op-pass");
    strangerJid = await prosody.register("stranger", "stranger-pass");
    // The operator's phone accepts the device's subscription request, as a person would
    operator = await connectPeer(prosody.service, operatorJid, "op-pass", { acceptFrom: device });
    const config = loadConfig({
      env: { XMPP_SERVICE: prosody.service, XMPP_JID: device, XMPP_PASSWORD: "device-secret-1", AGENT_OPERATORS: operatorJid, AGENT_INTERVAL: "60" },
    });
    Object.assign(config.presence, { minIntervalSeconds: 0 });
    startedAt = Date.now();
    agent = await startAgent({ config, password: "device-secret-1", log: createLogger("debug", logs.stream), version: "9.8.7-test", sampler: health.sampler });
    const presence = await operator.waitFor("the device's presence", isPresenceFrom(device), 15_000);
    deviceFull = String(presence.attrs.from);
    capsVer = String(presence.getChild("c", "http://jabber.org/protocol/caps")?.attrs.ver);
    status = presence.getChildText("status") ?? "";
  });

  after(async () => {
    await agent?.stop("test over");
    await operator?.stop();
    await prosody?.stop();
    assert.equal(logs.text().includes("device-secret-1"), false, "the password appeared in the logs");
  });

  test("an operator gets disco#info (client/bot), caps slixmpp verifies itself, ping, version, time and last activity", async () => {
    const run = await slixmpp(prosody, "operator", operatorJid, "op-pass", deviceFull);
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
    // A malformed IQ never reaches the agent: Prosody answers bad-request itself (core/stanza_router.lua)
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
      assert.deepEqual([got.answered, got.type, got.condition, got.data], [false, "auth", "forbidden", false], query);
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
    assert.match(log, /Sending\[c2s\]: <iq [^>]*type='set'/, "Prosody pushed a roster change to the device");
    assert.deepEqual(log.split("\n").filter((l) => l.includes("Discarding unhandled error iq") && l.includes(`from='${device}/`)), []);
  });

  test("after all of it the agent is still online: it answers the operator's own client", async () => {
    const pong = await operator.xmpp.iqCaller.request(xml("iq", { type: "get", to: deviceFull }, xml("ping", "urn:xmpp:ping")), 5000);
    assert.equal(pong.attrs.type, "result");
    assert.equal(operator.received.filter(isPresenceFrom(device, "unavailable")).length, 0, "the device never went offline");
  });
});
