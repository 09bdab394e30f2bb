// The device's account deleted while the agent runs (`node dist/cli.js run`, as systemd runs it). Prosody 0.12
// does not end the sessions of an account `prosodyctl unregister` deletes (it changes only the stored accounts),
// so the agent finds out at its next login: here forced by cutting the link, as any network blip or server
// restart would. Then: one clear fatal line, exit 77, and no retry loop. (A wrong password from the start is in
// test/agent-process.test.ts.) docs/reliability.md, "Authentication".
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startProsody, type ThrowawayProsody } from "../servers/prosody/throwaway.js";
import { finished, runCli } from "../support/cli.js";
import { parseLines } from "./support/agent-log.js";
import { startFaultProxy, type FaultProxy } from "./support/fault-proxy.js";
import { sleep, until } from "./support/timing.js";

const PASSWORD = "deleted-device-secret-1";

describe("the device's account deleted while the agent runs", () => {
  let prosody: ThrowawayProsody;
  let proxy: FaultProxy;
  let device: string;

  before(async () => {
    prosody = await startProsody();
    proxy = await startFaultProxy(prosody.port);
    device = await prosody.register("device", PASSWORD);
  });
  after(async () => {
    await proxy?.close();
    await prosody?.stop();
  });

  test("at its next login the agent logs one clear fatal line and exits 77, without retrying", async (t) => {
    const agent = runCli(["run"], { XMPP_SERVICE: proxy.service, XMPP_JID: device, XMPP_PASSWORD: PASSWORD, AGENT_INTERVAL: "1" });
    try {
      const said = (msg: string | RegExp) => parseLines(agent.stdout()).filter((r) => (typeof msg === "string" ? r.msg === msg : msg.test(r.msg)));
      await until("the agent online", () => said("online").length === 1, 15_000, 50);
      const before = parseLines(agent.stdout()).length;

      await prosody.unregister("device");
      await sleep(1500);
      assert.equal(agent.child.exitCode, null, "the session outlived the account (Prosody does not end it)");

      const cutAt = Date.now();
      proxy.cut();
      const { code } = await finished(agent, 15_000);
      const exitMs = Date.now() - cutAt;
      assert.equal(code, 77);

      const after = parseLines(agent.stdout()).slice(before);
      t.diagnostic(`exit ${code} ${exitMs} ms after the link was cut; log after the deletion: ${after.map((r) => r.msg).join(" / ")}`);
      const fatal = after.filter((r) => r.level >= 60);
      assert.equal(fatal.length, 1, agent.stdout());
      assert.match(fatal[0]!.msg, /login refused: check xmpp.jid and the password/);
      assert.match(String(fatal[0]!.reason), /refused the credentials \(not-authorized\).*deleted/);
      // One attempt (the one that found out), and nothing after the fatal line
      assert.equal(after.filter((r) => r.msg === "reconnecting after delay").length, 1);
      assert.equal(after.filter((r) => r.msg === "login failed").length, 0);
      assert.equal(after.slice(after.indexOf(fatal[0]!) + 1).filter((r) => /reconnect|login|online/.test(r.msg)).length, 0);
      assert.ok(exitMs < 5000, `exited ${exitMs} ms after the cut`);
      assert.equal(agent.stdout().includes(PASSWORD) || agent.stderr().includes(PASSWORD), false, "the password was printed");
    } finally {
      agent.child.kill("SIGKILL");
    }
  });
});
