// XEP-0050 ad-hoc commands against a real Prosody: an operator lists and runs the device's commands from
// @xmpp/client and from slixmpp 1.8.3 (the interop peer); a stranger gets no list and no data.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { xml, type Element } from "@xmpp/client";
import type { ThrowawayProsody } from "./servers/prosody/throwaway.js";
import { clockTime } from "../src/maintenance/maintenance-mode.js";
import { fromBare, isPresenceFrom, type Peer } from "./support/peer.js";
import { runPython } from "./support/python-peer.js";
import { startScene, type Scene } from "./support/scene.js";

const NS_COMMANDS = "http://jabber.org/protocol/commands";
const NS_ITEMS = "http://jabber.org/protocol/disco#items";
const NS_DATA = "jabber:x:data";

let ids = 0;
/** Sends an IQ and resolves with the whole answer (result or error), so a test can see all it carries. */
async function ask(peer: Peer, to: string, type: "get" | "set", child: Element): Promise<Element> {
  const id = `adhoc-${++ids}`;
  const answer = peer.waitFor(`the answer to ${id}`, (s) => s.is("iq") && s.attrs.id === id && fromBare(s) === to.split("/")[0]);
  await peer.send(xml("iq", { type, to, id }, child));
  return answer;
}
const execute = (peer: Peer, to: string, attrs: Record<string, string>, ...payload: Element[]) =>
  ask(peer, to, "set", xml("command", { xmlns: NS_COMMANDS, ...attrs }, ...payload));
const fields = (command: Element | undefined) =>
  Object.fromEntries((command?.getChild("x", NS_DATA)?.getChildren("field") ?? []).map((f) => [f.attrs.var, f.getChildren("value").map((v) => v.text()).join("\n")]));
const submit = (values: Record<string, string>) =>
  xml("x", { xmlns: NS_DATA, type: "submit" }, ...Object.entries(values).map(([k, v]) => xml("field", { var: k }, xml("value", {}, v))));

/** Runs the slixmpp peer; killed if it outlives a minute. */
const slixmpp = async (args: string[]) => {
  const run = await runPython("xep0050_client.py", args, 60_000);
  return { code: run.code, steps: run.lines, stderr: run.stderr };
};

describe("XEP-0050 ad-hoc commands online", () => {
  let scene: Scene;
  let prosody: ThrowawayProsody;
  let device: string;
  let deviceFull: string;
  let operatorJid: string;
  let strangerJid: string;
  let operator: Peer;
  let stranger: Peer;
  let health: Scene["health"];

  before(async () => {
    scene = await startScene({ env: { AGENT_INTERVAL: "60" }, configure: (config) => Object.assign(config.presence, { minIntervalSeconds: 0 }) });
    ({ prosody, device, deviceFull, operatorJid, strangerJid, operator, stranger, health } = scene);
  });

  after(() => scene?.stop());

  test("an operator lists the five commands, each an item of the device's full JID", async () => {
    const reply = await ask(operator, deviceFull, "get", xml("query", { xmlns: NS_ITEMS, node: NS_COMMANDS }));
    const items = reply.getChild("query", NS_ITEMS)!.getChildren("item");
    assert.deepEqual(items.map((i) => i.attrs.node), ["status", "sample-now", "silence", "unsilence", "thresholds"]);
    assert.ok(items.every((i) => i.attrs.jid === deviceFull));
  });

  test("status answers a completed result form with the current health", async () => {
    const reply = await execute(operator, deviceFull, { node: "status", action: "execute" });
    const command = reply.getChild("command", NS_COMMANDS);
    assert.equal(command?.attrs.status, "completed");
    const f = fields(command);
    assert.equal(f.level, "ok");
    assert.equal(f.temperature, "48.3°C (thermal_zone0 (cpu-thermal))");
    assert.equal(f["disk:/"], "55.0% of 2 B");
  });

  test("sample-now takes a fresh sample and sends the presence again", async () => {
    const taken = health.taken();
    health.set({ cpuPercent: 33 });
    const presence = operator.waitFor("a refreshed presence", isPresenceFrom(device), undefined, operator.received.length);
    const reply = await execute(operator, deviceFull, { node: "sample-now" });
    assert.equal(reply.getChild("command", NS_COMMANDS)?.attrs.status, "completed");
    assert.equal(health.taken(), taken + 1);
    assert.match(fields(reply.getChild("command", NS_COMMANDS)).status ?? "", /^CPU 33%/);
    assert.match((await presence).getChildText("status") ?? "", /^CPU 33%/);
  });

  test("silence: the form, a wrong value answered with the form again, then silenced; the session is then spent", async () => {
    const first = (await execute(operator, deviceFull, { node: "silence" })).getChild("command", NS_COMMANDS)!;
    assert.deepEqual([first.attrs.status, first.getChild("actions")?.attrs.execute], ["executing", "complete"]);
    const sessionid = String(first.attrs.sessionid);
    const retry = (await execute(operator, deviceFull, { node: "silence", sessionid, action: "complete" }, submit({ minutes: "0" }))).getChild("command", NS_COMMANDS)!;
    assert.equal(retry.getChild("note")?.attrs.type, "error");
    const seen = operator.waitFor("the silenced presence", (s) => isPresenceFrom(device)(s) && /^silenced/.test(s.getChildText("status") ?? ""));
    const done = (await execute(operator, deviceFull, { node: "silence", sessionid, action: "complete" }, submit({ minutes: "5", reason: "cabling" }))).getChild("command", NS_COMMANDS)!;
    assert.equal(done.attrs.status, "completed");
    assert.match(done.getChildText("note") ?? "", /^silenced until \d\d:\d\d \(cabling\)$/);
    assert.match((await seen).getChildText("status") ?? "", /^silenced until \d\d:\d\d \(cabling\) \| CPU/);
    const late = await execute(operator, deviceFull, { node: "silence", sessionid, action: "complete" }, submit({ minutes: "5" }));
    assert.ok(late.getChild("error")?.getChild("session-expired", NS_COMMANDS));
    const ended = (await execute(operator, deviceFull, { node: "unsilence" })).getChild("command", NS_COMMANDS)!;
    assert.equal(ended.getChildText("note"), "silence ended");
  });

  test("cancel ends a silence session with status canceled, and nothing is silenced", async () => {
    const first = (await execute(operator, deviceFull, { node: "silence" })).getChild("command", NS_COMMANDS)!;
    const canceled = (await execute(operator, deviceFull, { node: "silence", sessionid: String(first.attrs.sessionid), action: "cancel" })).getChild("command", NS_COMMANDS)!;
    assert.equal(canceled.attrs.status, "canceled");
    assert.equal(fields((await execute(operator, deviceFull, { node: "status" })).getChild("command", NS_COMMANDS)).silenced, undefined);
  });

  test("a stranger sees an empty list and gets forbidden, with no data, for a command", async () => {
    const list = await ask(stranger, deviceFull, "get", xml("query", { xmlns: NS_ITEMS, node: NS_COMMANDS }));
    assert.deepEqual(list.getChild("query", NS_ITEMS)?.getChildren("item"), []);
    const reply = await execute(stranger, deviceFull, { node: "status" });
    assert.equal(reply.attrs.type, "error");
    assert.ok(reply.getChild("error")?.getChild("forbidden", "urn:ietf:params:xml:ns:xmpp-stanzas"));
    assert.equal(reply.getChild("command", NS_COMMANDS)?.getChild("x", NS_DATA), undefined);
  });

  test("slixmpp lists and runs every command, fills the silence form, cancels a session; the operator sees the silence", async () => {
    const seen = operator.waitFor("the silenced presence", (s) => isPresenceFrom(device)(s) && /firmware update/.test(s.getChildText("status") ?? ""), 30_000);
    const run = await slixmpp(["--role", "operator", "--jid", `${operatorJid}/slixmpp`, "--password", "operator-pass", "--host", "127.0.0.1", "--port", String(prosody.port), "--device", deviceFull]);
    assert.equal(run.code, 0, `${run.stderr}\n${run.steps.map((s) => JSON.stringify(s)).join("\n")}`);
    const step = (name: string, node?: string) => run.steps.find((s) => s.step === name && (!node || s.node === node))!;
    assert.deepEqual(step("info").identities, [["automation", "command-node"]]);
    assert.equal(step("execute", "status").fields.level, "ok");
    assert.equal(step("execute", "thresholds").fields["cpu-warn"], "85");
    assert.deepEqual(step("silence-form").actions, ["complete"]);
    const note = step("silence-done").notes[0];
    assert.match(note[1], /^silenced until (\d\d:\d\d) \(firmware update\)$/);
    assert.deepEqual([step("after-cancel").condition, step("after-cancel").specific], ["not-allowed", "session-expired"]);
    const status = (await seen).getChildText("status") ?? "";
    assert.match(status, /^silenced until (\d\d:\d\d) \(firmware update\) \|/);
    // 15 minutes from about now, in the device's clock
    const until = /until (\d\d:\d\d)/.exec(status)![1];
    assert.ok([0, 1].map((m) => clockTime(Date.now() + (15 - m) * 60_000)).includes(until!), until);
  });

  test("slixmpp as a stranger: an empty list and forbidden, with no data", async () => {
    const run = await slixmpp(["--role", "stranger", "--jid", `${strangerJid}/slixmpp`, "--password", "stranger-pass", "--host", "127.0.0.1", "--port", String(prosody.port), "--device", deviceFull]);
    assert.equal(run.code, 0, `${run.stderr}\n${run.steps.map((s) => JSON.stringify(s)).join("\n")}`);
    assert.deepEqual(run.steps.find((s) => s.step === "list")?.nodes, []);
    const refused = run.steps.filter((s) => s.step === "execute-error");
    assert.deepEqual(refused.map((s) => [s.node, s.condition]), [["status", "forbidden"], ["silence", "forbidden"]]);
    assert.ok(refused.every((s) => s.payload.every((tag: string) => tag.endsWith("}command"))), "only the request echoed back");
  });
});
