// The demo's operator: accepts the device into its roster and prints each presence it gets from it,
// the way a chat client's roster would show it.
import { client, xml, type Element } from "@xmpp/client";
import { bareJid } from "../../src/jid.js";

export interface OperatorViewOptions {
  service: string;
  jid: string;
  password: string;
  device: string;
  say(line: string): void;
}

export async function watchAsOperator({ service, jid, password, device, say }: OperatorViewOptions) {
  const [username, domain] = jid.split("@") as [string, string];
  const xmpp = client({ service, domain, username, password, resource: "demo-view" });
  xmpp.reconnect.stop();
  let stopping = false;
  xmpp.on("error", (err: Error) => !stopping && say(`operator view: ${err.message}`));
  let lastLine = "";
  xmpp.on("stanza", (stanza: Element) => {
    if (!stanza.is("presence") || bareJid(String(stanza.attrs.from ?? "")) !== device) return;
    const type = stanza.attrs.type as string | undefined;
    if (type === "subscribe") {
      // A client would ask the user; the demo's operator says yes and asks back
      void xmpp.send(xml("presence", { to: device, type: "subscribed" }));
      void xmpp.send(xml("presence", { to: device, type: "subscribe" }));
      return;
    }
    if (type && type !== "unavailable") return;
    const show = type === "unavailable" ? "offline" : (stanza.getChildText("show") ?? "online");
    const line = `${stanza.attrs.from}  [${show}]  ${stanza.getChildText("status") ?? ""}`;
    // The server repeats the current presence as subscriptions settle; a roster shows it once
    if (line === lastLine) return;
    lastLine = line;
    say(`${new Date().toLocaleTimeString()}  ${line}`);
  });
  await xmpp.start();
  await xmpp.send(xml("presence"));
  await xmpp.send(xml("presence", { to: device, type: "subscribe" }));
  return {
    async stop() {
      stopping = true;
      await Promise.race([xmpp.stop().catch(() => undefined), new Promise((r) => setTimeout(r, 1000).unref())]);
    },
  };
}
