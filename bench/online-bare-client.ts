// A bare @xmpp/client connection as its own process, the floor the agent is held against: it logs in and
// sends one available presence (bench/online.bench.ts: login time, RSS). With BARE_ANSWER=1 it also answers
// XEP-0092 version IQs and echoes chat lines (bench/queries.bench.ts: what any client on the same path costs).
// Config as the agent's: XMPP_SERVICE, XMPP_JID, XMPP_PASSWORD, XMPP_RESOURCE. Runs until SIGTERM.
import { client, xml, type Element } from "@xmpp/client";
import { useFastScram } from "../src/xmpp/scram.js";

// The same SCRAM as the agent's (src/xmpp/scram.ts), so the ratios measure the agent's own work, not a hash
useFastScram();

const { XMPP_SERVICE, XMPP_JID = "", XMPP_PASSWORD, XMPP_RESOURCE, BARE_ANSWER } = process.env;
const [username, domain] = XMPP_JID.split("@");
const xmpp = client({ service: XMPP_SERVICE, domain, username, password: XMPP_PASSWORD, resource: XMPP_RESOURCE ?? "bare" });
xmpp.reconnect.stop();
xmpp.on("error", () => undefined);
xmpp.on("online", () => void xmpp.send(xml("presence")));

if (BARE_ANSWER === "1") {
  const NS_VERSION = "jabber:iq:version";
  xmpp.iqCallee.get(NS_VERSION, "query", () => xml("query", NS_VERSION, xml("name", {}, "bare"), xml("version", {}, "0")));
  xmpp.on("stanza", (stanza: Element) => {
    if (!stanza.is("message") || stanza.attrs.type !== "chat") return;
    const body = stanza.getChildText("body");
    if (body === null) return;
    const thread = stanza.getChild("thread");
    void xmpp.send(xml("message", { to: stanza.attrs.from, type: "chat" }, xml("body", {}, body), ...(thread ? [xml("thread", {}, thread.text())] : [])));
  });
}

process.once("SIGTERM", () => {
  setTimeout(() => process.exit(0), 1000).unref();
  xmpp.stop().finally(() => process.exit(0));
});
await xmpp.start();
