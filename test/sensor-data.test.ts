// XEP-0323 sensor data against a real Prosody: an operator reads the device's health with slixmpp's
// XEP-0323 client (the 0.2 dialect it speaks) and with stanzas copied from the 0.6 text; strangers and
// requests the device cannot answer get the XEP's errors and no fields.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { xml, type Element } from "@xmpp/client";
import type { ThrowawayProsody } from "./servers/prosody/throwaway.js";
import { throttlingFromBits } from "../src/sampling/parse/throttled.js";
import type { Peer } from "./support/peer.js";
import { runPython } from "./support/python-peer.js";
import { startScene, type Scene } from "./support/scene.js";

const NS = "urn:xmpp:iot:sensordata";
const NS_STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas";

// What the scripted sampler reports, so the fields can be checked value by value
const READING = {
  cpuPercent: 37.5,
  temperature: { celsius: 51.2, source: "thermal_zone0 (cpu-thermal)" },
  network: [{ iface: "eth0", rxBytesPerSec: 2048, txBytesPerSec: 512 }],
  throttling: throttlingFromBits(0x50000, "sysfs get_throttled"),
};

interface Readout {
  code: number | null;
  lines: Record<string, unknown>[];
  fields: Record<string, Record<string, unknown>>;
  stderr: string;
}

/** Runs the slixmpp client; it ends itself after --timeout, and is killed if it does not. */
async function slixmppReadout(prosody: ThrowawayProsody, account: { jid: string; password: string }, to: string, extra: string[] = []): Promise<Readout> {
  const args = ["--jid", account.jid, "--password", account.password, "--service-host", "127.0.0.1", "--port", String(prosody.port), "--to", to, "--timeout", "10", ...extra];
  const { code, lines, stderr } = await runPython("xep0323_client.py", args, 20_000);
  const fields = Object.fromEntries(lines.filter((l) => l.event === "field").map((l) => [String(l.name), l]));
  return { code, lines, fields, stderr };
}

const iqWithId = (id: string) => (s: Element) => s.is("iq") && s.attrs.id === id;
const fieldsFor = (seqnr: string) => (s: Element) => s.is("message") && s.getChild("fields", NS)?.attrs.seqnr === seqnr;
const noneWithin = async (peer: Peer, match: (s: Element) => boolean, ms: number) => {
  const start = peer.received.length;
  await new Promise((r) => setTimeout(r, ms));
  return peer.received.slice(start).filter(match);
};

describe("XEP-0323 sensor data", () => {
  let scene: Scene;
  let prosody: ThrowawayProsody;
  let deviceFull: string;
  let operatorJid: string;
  let strangerJid: string;
  let operator: Peer;
  let stranger: Peer;
  let health: Scene["health"];

  before(async () => {
    // Sampling once an hour: a sample taken during a test is one the test asked for
    scene = await startScene({ readings: READING, env: { XMPP_RESOURCE: "pi", AGENT_INTERVAL: "3600" } });
    ({ prosody, deviceFull, operatorJid, strangerJid, operator, stranger, health } = scene);
  });

  after(() => scene?.stop());

  test("an operator with slixmpp's XEP-0323 client gets the device's health as fields, from a fresh sample", async () => {
    // The loop samples once an hour here, so any new sample is the readout's own
    const samplesBefore = health.taken();
    const r = await slixmppReadout(prosody, { jid: operatorJid, password: "operator-pass" }, deviceFull);
    assert.equal(r.code, 0, `slixmpp exited ${r.code}: ${JSON.stringify(r.lines)}\n${r.stderr}`);
    assert.deepEqual(r.lines[0], { event: "accepted" });
    assert.deepEqual(r.lines.at(-1), { event: "done" });
    assert.equal(health.taken(), samplesBefore + 1, "one new sample for the readout");
    const cpu = r.fields["CPU"]!;
    assert.equal(cpu.nodeId, "device", "the node is the device's JID local part");
    assert.match(String(cpu.timestamp), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.deepEqual({ typename: cpu.typename, value: cpu.value, unit: cpu.unit, flags: cpu.flags }, {
      typename: "numeric",
      value: "37.5",
      unit: "%",
      flags: { momentary: "true", automaticReadout: "true" },
    });
    assert.equal(r.fields["Temperature"]?.value, "51.2");
    assert.equal(r.fields["Temperature"]?.unit, "°C");
    assert.equal(r.fields["Memory"]?.value, "40.0");
    assert.equal(r.fields["Load, 15 min"]?.value, "0.20");
    assert.equal(r.fields["Load, 15 min"]?.unit, undefined, "slixmpp drops an empty unit");
    assert.equal(r.fields["Disk /"]?.value, "55.0");
    assert.equal(r.fields["Network eth0, Received"]?.value, "2048");
    assert.equal(r.fields["Network eth0, Sent"]?.unit, "B/s");
    assert.equal(r.fields["Uptime"]?.value, "273605");
    assert.deepEqual([r.fields["Under-voltage"]?.typename, r.fields["Under-voltage"]?.value], ["boolean", "false"]);
    assert.equal(r.fields["Under-voltage since boot"]?.value, "true");
    assert.equal(r.fields["Throttled since boot"]?.value, "true");
  });

  test("slixmpp asking for named fields of the device's node gets just those", async () => {
    const r = await slixmppReadout(prosody, { jid: operatorJid, password: "operator-pass" }, deviceFull, [
      "--node", "device", "--field", "CPU", "--field", "Temperature", "--flag", "momentary=true",
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(Object.keys(r.fields).sort(), ["CPU", "Temperature"]);
  });

  test("a stranger using slixmpp is rejected and gets no fields", async () => {
    const r = await slixmppReadout(prosody, { jid: strangerJid, password: "stranger-pass" }, deviceFull);
    assert.equal(r.code, 2, JSON.stringify(r.lines));
    assert.deepEqual(r.lines, [{ event: "rejected", error: "Access denied: only this device's operators can read it" }]);
  });

  test("slixmpp asking for historical values, an unknown field or another node is rejected with the reason", async () => {
    const historical = await slixmppReadout(prosody, { jid: operatorJid, password: "operator-pass" }, deviceFull, ["--flag", "historicalDay=true"]);
    assert.equal(historical.code, 2);
    assert.match(String(historical.lines[0]?.error), /momentary and status values only, not historicalDay/);
    const energy = await slixmppReadout(prosody, { jid: operatorJid, password: "operator-pass" }, deviceFull, ["--field", "Energy"]);
    assert.equal(energy.code, 2);
    assert.match(String(energy.lines[0]?.error), /^No field named 'Energy'; this device has: CPU; Load, 1 min; /);
    const node = await slixmppReadout(prosody, { jid: operatorJid, password: "operator-pass" }, deviceFull, ["--node", "Device04"]);
    assert.equal(node.code, 2);
    assert.equal(node.lines[0]?.error, "No node 'Device04' here; this device is one node, 'device'");
    assert.ok([historical, energy, node].every((r) => Object.keys(r.fields).length === 0));
  });

  // XEP-0323 0.6 (xsf/xeps d5926f91) §3.1 and §3.6, as printed; only the addresses are this test's
  const example = (text: string, from: string) => text.replace("client@example.org/amr", from).replace("device@example.org", deviceFull);
  const MOMENTARY_0_6 = `<iq type='get'
  from='client@example.org/amr'
  to='device@example.org'
  id='S0001'>
  <req xmlns='urn:xmpp:iot:sensordata' seqnr='1' momentary='true'/>
</iq>`;
  const SPECIFIC_FIELDS_0_6 = `<iq type='get'
  from='client@example.org/amr'
  to='device@example.org'
  id='S0006'>
  <req xmlns='urn:xmpp:iot:sensordata' seqnr='6' momentary='true'>
    <node nodeId='Device04'/>
    <field name='Energy'/>
    <field name='Power'/>
  </req>
</iq>`;

  test("the 0.6 text's momentary request is accepted and answered with fields, like its example response", async () => {
    const result = operator.waitFor("the accepted result", iqWithId("S0001"));
    const readout = operator.waitFor("the fields", fieldsFor("1"));
    await operator.xmpp.write(example(MOMENTARY_0_6, String(operator.xmpp.jid)));
    assert.equal((await result).attrs.type, "result");
    assert.equal((await result).getChild("accepted", NS)?.attrs.seqnr, "1");
    const fields = (await readout).getChild("fields", NS)!;
    assert.equal(fields.attrs.done, "true");
    const values = fields.getChild("node")!.getChild("timestamp")!.getChildElements();
    const cpu = values.find((v) => v.attrs.name === "CPU");
    assert.deepEqual(cpu?.attrs, { name: "CPU", momentary: "true", automaticReadout: "true", value: "37.5", unit: "%" });
    assert.equal(values.find((v) => v.attrs.name === "Throttled since boot")?.name, "boolean");
  });

  test("the 0.6 text's specific-fields request names a node this device does not have: item-not-found, no fields", async () => {
    const reply = operator.waitFor("the error", iqWithId("S0006"));
    await operator.xmpp.write(example(SPECIFIC_FIELDS_0_6, String(operator.xmpp.jid)));
    const error = (await reply).getChild("error")!;
    assert.equal((await reply).attrs.type, "error");
    assert.equal(error.attrs.type, "cancel");
    assert.ok(error.getChild("item-not-found", NS_STANZAS));
    assert.equal(error.getChildText("text", NS_STANZAS), "No node 'Device04' here; this device is one node, 'device'");
    assert.deepEqual(await noneWithin(operator, fieldsFor("6"), 1000), []);
  });

  test("a stranger sending the 0.6 text's request gets forbidden and no fields", async () => {
    const reply = stranger.waitFor("the error", iqWithId("S0001"));
    await stranger.xmpp.write(example(MOMENTARY_0_6, String(stranger.xmpp.jid)));
    const error = (await reply).getChild("error")!;
    assert.equal(error.attrs.type, "cancel");
    assert.ok(error.getChild("forbidden", NS_STANZAS));
    assert.deepEqual(await noneWithin(stranger, (s) => s.is("message") && !!s.getChild("fields", NS), 1000), []);
  });

  test("disco#info lists urn:xmpp:iot:sensordata", async () => {
    const info = await operator.xmpp.iqCaller.request(xml("iq", { type: "get", to: deviceFull }, xml("query", "http://jabber.org/protocol/disco#info")));
    assert.ok(info.getChild("query")!.getChildren("feature").some((f) => f.attrs.var === NS));
  });
});
