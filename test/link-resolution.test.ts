// With xmpp.service empty the agent finds its server as real clients do: SRV records from a real DNS server
// (dnsmasq on a 127.x address of its own), read through the agent's own resolv.conf (a mount namespace, as the
// BindReadOnlyPaths= drop-in in docs/operators.md does under systemd), then a real Prosody with a certificate for
// the JID's domain, over direct TLS or STARTTLS. Loopback only; every server and agent is stopped by the test.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer, connect, type Server } from "node:net";
import { startProsody, type ThrowawayProsody } from "./servers/prosody/throwaway.js";
import { freePort } from "./servers/throwaway/loopback.js";
import { startDnsmasq, type DnsZone } from "./servers/dns/dnsmasq.js";
import { withResolvConf } from "./support/resolver.js";
import { finished, runCli, type Running } from "./support/cli.js";

const DOMAIN = "xda.test";
const PASSWORD = "pi-srv-password-42";

interface LogLine {
  level: number;
  msg: string;
  service?: string;
  err?: { message: string; code?: string };
}
const logLines = (agent: Running): LogLine[] =>
  agent.stdout().trim().split("\n").filter(Boolean).map((line) => JSON.parse(line) as LogLine);

/** Runs the agent against `zone` until it is online or `ms` passed; returns what it logged. */
async function agentWith(zone: DnsZone, caFile: string, { ms = 15_000, until = "online" } = {}): Promise<LogLine[]> {
  const dns = await startDnsmasq(zone);
  const agent = runCli(["run"], { XMPP_JID: `pi@${DOMAIN}`, XMPP_PASSWORD: PASSWORD, NODE_EXTRA_CA_CERTS: caFile, AGENT_INTERVAL: "1" }, withResolvConf(dns.resolvConf));
  try {
    for (const end = Date.now() + ms; Date.now() < end && !logLines(agent).some((l) => l.msg === until); ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    agent.child.kill("SIGTERM");
    await finished(agent, 5000);
    assert.equal(agent.stdout().includes(PASSWORD) || agent.stderr().includes(PASSWORD), false, "the password was printed");
    return logLines(agent);
  } finally {
    agent.child.kill("SIGKILL");
    await dns.stop();
  }
}

const tried = (lines: LogLine[]) => lines.filter((l) => l.msg === "connecting").map((l) => l.service);
const srv = (kind: "xmpp" | "xmpps", target: string | null, port: number, priority = 0, weight = 0) => ({
  name: `_${kind}-client._tcp.${DOMAIN}`, target, port, priority, weight,
});

describe("SRV resolution against a real DNS server", () => {
  let prosody: ThrowawayProsody;
  let directTlsPort: number;
  let deadPort: number;
  const hosts = { [`xmpp.${DOMAIN}`]: ["127.0.0.1"], [`tls.${DOMAIN}`]: ["127.0.0.1", "::1"], [`dead.${DOMAIN}`]: ["127.0.0.1"] };

  before(async () => {
    directTlsPort = await freePort();
    deadPort = await freePort();
    // Resumption granted (30 s, not the default 600 s): one login, not a second one without resumption
    // (src/xmpp/login-loop.ts), so what each test counts is the SRV order of one attempt
    prosody = await startProsody({ tls: true, domain: DOMAIN, directTlsPort, hibernationSeconds: 30 });
    await prosody.register("pi", PASSWORD);
  });
  after(async () => prosody?.stop());

  test("an _xmpps-client record first: the agent logs in over direct TLS to the host it names", async () => {
    const lines = await agentWith({ zones: [DOMAIN], srv: [srv("xmpps", `tls.${DOMAIN}`, directTlsPort, 0), srv("xmpp", `xmpp.${DOMAIN}`, prosody.port, 10)], hosts }, prosody.caFile!);
    assert.ok(lines.some((l) => l.msg === "online"), JSON.stringify(lines));
    assert.deepEqual(tried(lines), [`xmpps://tls.${DOMAIN}:${directTlsPort}`]);
    assert.equal(lines.filter((l) => l.msg === "login failed").length, 0);
  });

  test("an _xmpp-client record only: STARTTLS to the host it names", async () => {
    const lines = await agentWith({ zones: [DOMAIN], srv: [srv("xmpp", `xmpp.${DOMAIN}`, prosody.port)], hosts }, prosody.caFile!);
    assert.ok(lines.some((l) => l.msg === "online"), JSON.stringify(lines));
    assert.deepEqual(tried(lines), [`xmpp://xmpp.${DOMAIN}:${prosody.port}`]);
  });

  test("RFC 2782: the lower priority first; a dead first target costs one failure, not a backoff", async () => {
    const lines = await agentWith(
      { zones: [DOMAIN], srv: [srv("xmpp", `xmpp.${DOMAIN}`, prosody.port, 5, 100), srv("xmpp", `dead.${DOMAIN}`, deadPort, 1, 0)], hosts },
      prosody.caFile!,
    );
    assert.ok(lines.some((l) => l.msg === "online"), JSON.stringify(lines));
    assert.deepEqual(tried(lines), [`xmpp://dead.${DOMAIN}:${deadPort}`, `xmpp://xmpp.${DOMAIN}:${prosody.port}`]);
    const failed = lines.filter((l) => l.msg === "login failed");
    assert.equal(failed.length, 1);
    assert.equal(failed[0]!.err?.code, "ECONNREFUSED");
    assert.equal(lines.filter((l) => l.msg === "reconnecting after delay").length, 0);
  });

  test("no SRV records: the JID's domain on port 5222", async () => {
    // The domain gets an address of its own, where port 5222 forwards to Prosody
    const address = `127.${40 + Math.floor(Math.random() * 200)}.${Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`;
    const forward = await forwarder(address, 5222, prosody.port);
    try {
      const lines = await agentWith({ zones: [DOMAIN], srv: [], hosts: { ...hosts, [DOMAIN]: [address] } }, prosody.caFile!);
      assert.ok(lines.some((l) => l.msg === "online"), JSON.stringify(lines));
      assert.deepEqual(tried(lines), []); // one endpoint: nothing to say which
      assert.equal(lines.filter((l) => l.msg === "login failed").length, 0);
    } finally {
      forward.close();
    }
  });

  test("a '.' _xmpp-client target: no XMPP service, the agent does not guess the domain on 5222", async () => {
    const lines = await agentWith({ zones: [DOMAIN], srv: [srv("xmpp", null, 0)], hosts }, prosody.caFile!, { ms: 3000, until: "reconnecting after delay" });
    assert.ok(lines.some((l) => /offers no XMPP service/.test(l.msg)), JSON.stringify(lines));
    assert.equal(lines.some((l) => l.msg === "online"), false);
  });
});

describe("the certificate is checked against the JID's domain, whatever host the SRV record names", () => {
  let prosody: ThrowawayProsody;
  before(async () => {
    // Valid for the SRV target's name only: a client that checked the target would accept it
    prosody = await startProsody({ tls: true, domain: DOMAIN, certificateName: `xmpp.${DOMAIN}` });
    await prosody.register("pi", PASSWORD);
  });
  after(async () => prosody?.stop());

  test("a certificate for xmpp.xda.test is refused for pi@xda.test, before any password is sent", async () => {
    const hosts = { [`xmpp.${DOMAIN}`]: ["127.0.0.1"] };
    const lines = await agentWith({ zones: [DOMAIN], srv: [srv("xmpp", `xmpp.${DOMAIN}`, prosody.port)], hosts }, prosody.caFile!, {
      ms: 5000,
      until: "reconnecting after delay",
    });
    assert.equal(lines.some((l) => l.msg === "online"), false);
    const failed = lines.filter((l) => l.msg === "login failed");
    assert.ok(failed.length >= 1, JSON.stringify(lines));
    assert.equal(failed[0]!.err?.code, "ERR_TLS_CERT_ALTNAME_INVALID");
    assert.match(failed[0]!.err!.message, new RegExp(`${DOMAIN.replace(".", "\\.")}.*xmpp\\.${DOMAIN.replace(".", "\\.")}|not in the cert's altnames`));
    assert.doesNotMatch(await prosody.logText(), /<auth /);
  });
});

/** A TCP forwarder on address:port, standing in for a server that listens on the domain's own address. */
async function forwarder(address: string, port: number, to: number): Promise<Server> {
  const server = createServer((client) => {
    const upstream = connect(to, "127.0.0.1");
    client.pipe(upstream).pipe(client);
    const end = () => (client.destroy(), upstream.destroy());
    client.on("error", end).on("close", end);
    upstream.on("error", end).on("close", end);
  });
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(port, address, resolve));
  return server;
}
