import { test } from "node:test";
import assert from "node:assert/strict";
import { jid, xml, type Element, type IqCallee, type IqContext, type IqHandler } from "@xmpp/client";
import { pino } from "pino";
import { discoResponder, NS_DISCO_INFO, NS_DISCO_ITEMS } from "../disco.js";
import { operatorPolicy } from "../../roster/operators.js";
import { completed } from "./command.js";
import { adhocCommands } from "./responder.js";
import { NS_COMMANDS } from "./command.js";

const DEVICE = "device@example.org/agent";
const OPERATOR = "op@example.org/phone";
const STRANGER = "eve@example.org/x";

// iqCallee as @xmpp/iq routes it: by type, then child name and namespace; from/to are JID objects
function fakeIqCallee() {
  const routes: [string, string, string, IqHandler][] = [];
  const callee: IqCallee = {
    get: (ns, name, h) => void routes.push(["get", ns, name, h]),
    set: (ns, name, h) => void routes.push(["set", ns, name, h]),
  };
  async function ask(type: string, element: Element, from: string) {
    const route = routes.find(([t, ns, name]) => t === type && element.is(name, ns));
    const stanza = xml("iq", { type, from, to: DEVICE }, element);
    const ctx = { stanza, element, from: jid(from), to: jid(DEVICE), id: "1", type } as unknown as IqContext;
    return (await route![3](ctx, async () => undefined)) as Element;
  }
  return { callee, ask };
}

function setup() {
  const iq = fakeIqCallee();
  const disco = discoResponder({ iqCallee: iq.callee });
  adhocCommands({
    iqCallee: iq.callee,
    disco,
    policy: operatorPolicy(["op@example.org"]),
    log: pino({ level: "silent" }),
    commands: [{ node: "status", name: "Health status", start: () => completed([{ type: "info", text: "fine" }]) }],
  });
  return { ...iq, disco };
}
const items = (from: string, node = NS_COMMANDS) => setup().ask("get", xml("query", { xmlns: NS_DISCO_ITEMS, node }), from);
const info = (from: string, node: string) => setup().ask("get", xml("query", { xmlns: NS_DISCO_INFO, node }), from);

test("an operator lists the commands under the commands node, each an item of the device's own JID", async () => {
  const list = await items(OPERATOR);
  assert.equal(list.toString(), `<query xmlns="${NS_DISCO_ITEMS}" node="${NS_COMMANDS}"><item jid="${DEVICE}" node="status" name="Health status"/></query>`);
});

test("a stranger's list is empty, and a command's disco#info is forbidden to them", async () => {
  assert.equal((await items(STRANGER)).getChildren("item").length, 0);
  const refused = await info(STRANGER, "status");
  assert.ok(refused.is("error") && refused.getChild("forbidden", "urn:ietf:params:xml:ns:xmpp-stanzas"));
});

test("disco#info: the commands node is a command-list; a command node a command-node with the commands feature", async () => {
  const list = await info(OPERATOR, NS_COMMANDS);
  assert.deepEqual(list.getChild("identity")?.attrs, { category: "automation", type: "command-list", name: "Commands" });
  const node = await info(OPERATOR, "status");
  assert.deepEqual(node.getChild("identity")?.attrs, { category: "automation", type: "command-node", name: "Health status" });
  assert.deepEqual(node.getChildren("feature").map((f) => f.attrs.var), [NS_COMMANDS, "jabber:x:data"]);
  assert.ok((await info(OPERATOR, "reboot")).getChild("item-not-found"));
});

test("the device announces commands and data forms in its own disco#info (and so in its caps)", () => {
  assert.ok(setup().disco.features().includes(NS_COMMANDS));
  assert.ok(setup().disco.features().includes("jabber:x:data"));
});

test("an operator's execute gets <command status=completed> with a sessionid, in English", async () => {
  const reply = await setup().ask("set", xml("command", { xmlns: NS_COMMANDS, node: "status", action: "execute" }), OPERATOR);
  assert.equal(reply.attrs.status, "completed");
  assert.equal(reply.attrs["xml:lang"], "en");
  assert.ok(reply.attrs.sessionid);
  assert.equal(reply.getChildText("note"), "fine");
});

test("a stranger's execute is forbidden, with no data", async () => {
  const reply = await setup().ask("set", xml("command", { xmlns: NS_COMMANDS, node: "status" }), STRANGER);
  assert.equal(reply.toString(), `<error type="auth"><forbidden xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/></error>`);
});

test("errors carry the stanza condition, a text and the XEP-0050 condition", async () => {
  const { ask } = setup();
  const expired = await ask("set", xml("command", { xmlns: NS_COMMANDS, node: "status", sessionid: "nope", action: "cancel" }), OPERATOR);
  assert.equal(expired.attrs.type, "modify");
  assert.ok(expired.getChild("bad-request", "urn:ietf:params:xml:ns:xmpp-stanzas"));
  assert.ok(expired.getChild("bad-sessionid", NS_COMMANDS));
  assert.match(expired.getChildText("text", "urn:ietf:params:xml:ns:xmpp-stanzas") ?? "", /no such command session/);
  const malformed = await ask("set", xml("command", { xmlns: NS_COMMANDS, node: "status", action: "launch" }), OPERATOR);
  assert.ok(malformed.getChild("malformed-action", NS_COMMANDS));
});
