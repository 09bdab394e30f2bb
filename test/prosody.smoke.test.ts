// The throwaway Prosody the other integration tests stand on: an account logs in with @xmpp/client, over
// plain loopback and over STARTTLS, and a wrong password is refused. Loopback only. A failing test still
// stops its Prosody (t.after), which also ends any client left connected.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { client, xml, type Client } from "@xmpp/client";
import { startProsody } from "./servers/prosody/throwaway.js";

const NS_DISCO_INFO = "http://jabber.org/protocol/disco#info";

function loginAs(service: string, domain: string, username: string, password: string): { xmpp: Client; errors: Error[] } {
  const xmpp = client({ service, domain, username, password, resource: "smoke" });
  xmpp.reconnect.stop(); // a failed login must fail, not retry every second
  const errors: Error[] = [];
  xmpp.on("error", (error: Error) => errors.push(error));
  return { xmpp, errors };
}

test("an account registered with prosodyctl logs in and the server answers disco#info", async (t) => {
  const prosody = await startProsody();
  t.after(() => prosody.stop());
  const jid = await prosody.register("device", "device-password");
  assert.equal(jid, "device@localhost");

  const { xmpp } = loginAs(prosody.service, prosody.domain, "device", "device-password");
  const bound = await xmpp.start();
  assert.equal(bound.bare().toString(), jid);
  assert.equal(bound.resource, "smoke");
  assert.equal(xmpp.isSecure(), false);

  const reply = await xmpp.iqCaller.request(xml("iq", { type: "get", to: prosody.domain }, xml("query", { xmlns: NS_DISCO_INFO })));
  assert.equal(reply.attrs.type, "result");
  const info = reply.getChild("query", NS_DISCO_INFO);
  assert.equal(info?.getChild("identity")?.attrs.category, "server");
  const features = info?.getChildren("feature").map((f) => f.attrs.var) ?? [];
  for (const ns of ["urn:xmpp:ping", "jabber:iq:version", "urn:xmpp:time", "jabber:iq:last"]) assert.ok(features.includes(ns), ns);

  // Nothing but c2s on our loopback port: every other service says "on no ports".
  const services = [...(await prosody.logText()).matchAll(/Activated service '(\w+)' on (.+)$/gm)].map((m) => `${m[1]} ${m[2]}`);
  assert.deepEqual(services, [`c2s [127.0.0.1]:${prosody.port}`, "c2s_direct_tls no ports", "legacy_ssl no ports"]);

  await xmpp.stop();
  await prosody.stop();
});

test("with tls, a client logs in over STARTTLS trusting only the generated certificate", async (t) => {
  const prosody = await startProsody({ tls: true });
  t.after(() => prosody.stop());
  await prosody.register("device", "device-password");
  assert.ok(prosody.caFile);

  // This process trusts Node's usual roots only, so the certificate is refused: verification is on.
  const { xmpp } = loginAs(prosody.service, prosody.domain, "device", "device-password");
  await assert.rejects(xmpp.start(), { code: "DEPTH_ZERO_SELF_SIGNED_CERT" });

  // @xmpp/starttls passes tls.connect() only { socket, host }: no `ca` option, so a child process gets
  // the certificate through NODE_EXTRA_CA_CERTS (read once, at start).
  const { stdout } = await promisify(execFile)(process.execPath, ["--input-type=module", "-e", TLS_LOGIN], {
    env: {
      ...process.env,
      NODE_EXTRA_CA_CERTS: prosody.caFile,
      XMPP_CLIENT_URL: import.meta.resolve("@xmpp/client"),
      SERVICE: prosody.service,
      DOMAIN: prosody.domain,
    },
    timeout: 15_000,
  });
  const seen = JSON.parse(stdout);
  assert.deepEqual(seen, { jid: "device@localhost/smoke", secure: true, tlsSocket: true, authorized: true, peer: "DNS:localhost" });
  await prosody.stop();
});

// Logs in as device/device-password and prints what the socket looks like.
const TLS_LOGIN = `
  import { TLSSocket } from "node:tls";
  const { client } = await import(process.env.XMPP_CLIENT_URL);
  const xmpp = client({ service: process.env.SERVICE, domain: process.env.DOMAIN, username: "device", password: "device-password", resource: "smoke" });
  xmpp.reconnect.stop();
  xmpp.on("error", () => {});
  const jid = await xmpp.start();
  const tls = xmpp.socket.socket;
  const seen = { jid: jid.toString(), secure: xmpp.isSecure(), tlsSocket: tls instanceof TLSSocket, authorized: tls.authorized, peer: tls.getPeerCertificate().subjectaltname };
  await xmpp.stop();
  console.log(JSON.stringify(seen));
`;

test("a wrong password is refused with SASL not-authorized", async (t) => {
  const prosody = await startProsody();
  t.after(() => prosody.stop());
  await prosody.register("device", "device-password");

  const { xmpp, errors } = loginAs(prosody.service, prosody.domain, "device", "not-the-password");
  await assert.rejects(xmpp.start(), { name: "SASLError", condition: "not-authorized" });
  assert.ok(errors.some((e) => e.name === "SASLError"));

  await xmpp.stop();
  await prosody.stop();
});
