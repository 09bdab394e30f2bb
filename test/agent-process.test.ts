// The agent as systemd runs it: `node dist/cli.js run` with env config. Exit codes and shutdown.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startServer, type ThrowawayProsody } from "./support/server.js";
import { connectPeer, isPresenceFrom } from "./support/peer.js";
import { finished, runCli } from "./support/cli.js";

describe("the agent process", () => {
  let prosody: ThrowawayProsody;
  let device: string;
  let operatorJid: string;

  before(async () => {
    prosody = await startServer();
    device = await prosody.register("pi-7", "pi-7-password-xyz");
    operatorJid = await prosody.register("ops", "ops-pass");
  });
  after(async () => prosody?.stop());

  const env = (password: string) => ({
    XMPP_SERVICE: prosody.service,
    XMPP_JID: device,
    XMPP_PASSWORD: password,
    AGENT_OPERATORS: operatorJid,
    AGENT_INTERVAL: "1",
  });

  test("SIGTERM: the operator sees unavailable with a reason, and the agent exits 0 within 3 s", async () => {
    const operator = await connectPeer(prosody.service, operatorJid, "ops-pass", { acceptFrom: device });
    const agent = runCli(["run"], env("pi-7-password-xyz"));
    try {
      await operator.waitFor("the device online", isPresenceFrom(device), 15_000);
      const started = Date.now();
      agent.child.kill("SIGTERM");
      const gone = await operator.waitFor("unavailable", isPresenceFrom(device, "unavailable"), 3000, operator.received.length);
      assert.match(gone.getChildText("status") ?? "", /stopping/);
      const { code } = await finished(agent, 5000);
      assert.equal(code, 0);
      assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
      assert.equal(agent.stdout().includes("pi-7-password-xyz"), false);
    } finally {
      agent.child.kill("SIGKILL");
      await operator.stop();
    }
  });

  test("a wrong password: one clear log line without the secret, exit 77, no retry", async () => {
    const agent = runCli(["run"], env("not-the-password-123"));
    const { code } = await finished(agent, 15_000);
    assert.equal(code, 77);
    const lines = agent.stdout().trim().split("\n").map((l) => JSON.parse(l) as { msg: string; level: number });
    const fatal = lines.filter((l) => l.level >= 60);
    assert.equal(fatal.length, 1);
    assert.match(fatal[0]!.msg, /login refused: check xmpp.jid and the password/);
    assert.equal(lines.filter((l) => /reconnecting/.test(l.msg)).length, 0);
    assert.equal(agent.stdout().includes("not-the-password-123"), false);
    assert.equal(agent.stderr().includes("not-the-password-123"), false);
  });

  test("an unreachable server is retried with backoff, each attempt logged, and SIGTERM still exits 0", async () => {
    const agent = runCli(["run"], { ...env("x"), XMPP_SERVICE: "xmpp://127.0.0.1:1" });
    try {
      await new Promise((r) => setTimeout(r, 2500));
      agent.child.kill("SIGTERM");
      const { code } = await finished(agent, 5000);
      assert.equal(code, 0);
      const attempts = agent.stdout().split("\n").filter((l) => l.includes("login failed"));
      assert.ok(attempts.length >= 1, agent.stdout());
      assert.match(attempts[0]!, /ECONNREFUSED/);
    } finally {
      agent.child.kill("SIGKILL");
    }
  });
});
