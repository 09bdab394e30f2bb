// How the agent authenticates to a real server over STARTTLS with a certificate the harness made: the strongest
// SCRAM offered, -PLUS (channel binding) whenever offered. Prosody 0.12 with password_hash SHA-256 offers
// SCRAM-SHA-256 and no -PLUS over TLS 1.3 (mod_saslauth: tls-unique only, TLS 1.2 only), so the agent says "y";
// ejabberd 23.01 with auth_scram_hash sha512 offers SCRAM-SHA-512-PLUS and checks tls-unique. Either way the
// server's own signature is checked before the agent counts itself logged in.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { startServer, type ThrowawayServer } from "./support/server.js";
import { finished, runCli } from "./support/cli.js";

const PASSWORD = "pi-sasl-password-7";
let server: ThrowawayServer;
let jid: string;

before(async () => {
  server = await startServer({ tls: true, strongHash: true });
  jid = await server.register("pi-sasl", PASSWORD);
});
after(async () => server?.stop());

async function login(password: string, untilMs = 15_000) {
  const agent = runCli(["run"], { XMPP_SERVICE: server.service, XMPP_JID: jid, XMPP_PASSWORD: password, NODE_EXTRA_CA_CERTS: server.caFile!, AGENT_LOG_LEVEL: "debug", AGENT_INTERVAL: "1" });
  const lines = () => agent.stdout().trim().split("\n").filter(Boolean).map((l) => JSON.parse(l) as { level: number; msg: string; mechanism?: string; gs2?: string; secure?: boolean });
  try {
    for (const end = Date.now() + untilMs; Date.now() < end && agent.child.exitCode === null && !lines().some((l) => l.msg === "online"); ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    agent.child.kill("SIGTERM");
    const { code } = await finished(agent, 5000);
    assert.equal(agent.stdout().includes(password) || agent.stderr().includes(password), false, "the password was printed");
    return { code, lines: lines() };
  } finally {
    agent.child.kill("SIGKILL");
  }
}

test("the strongest SCRAM the server offers over STARTTLS, with channel binding where offered", async () => {
  const { lines } = await login(PASSWORD);
  const auth = lines.filter((l) => l.msg === "authenticating");
  assert.ok(lines.some((l) => l.msg === "online"), JSON.stringify(lines));
  // Prosody's default 600 s resumption makes the agent end its first session and log in again (login-loop.ts)
  const relogins = lines.filter((l) => /starting a session without resumption/.test(l.msg)).length;
  assert.equal(auth.length, 1 + relogins);
  assert.equal(new Set(auth.map((a) => `${a.mechanism} ${a.gs2}`)).size, 1, "the same mechanism each time");
  const expected = server.software === "ejabberd"
    ? { mechanism: "SCRAM-SHA-512-PLUS", gs2: "p=tls-unique" }
    : { mechanism: "SCRAM-SHA-256", gs2: "y" };
  assert.deepEqual({ mechanism: auth[0]!.mechanism, gs2: auth[0]!.gs2, secure: auth[0]!.secure }, { ...expected, secure: true });
});

test("a wrong password over the same link is still exit 77, with no second try by another mechanism", async () => {
  const { code, lines } = await login("not-the-password-99");
  assert.equal(code, 77);
  assert.equal(lines.filter((l) => l.msg === "authenticating").length, 1);
});
