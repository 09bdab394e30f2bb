// A crash shows quickly, a blip does not show at all (docs/reliability.md, "A crash shows quickly"): the agent as
// systemd runs it (`node dist/cli.js run`), killed with SIGKILL, against the server with its default config
// (Prosody 0.12 keeps a resumable session 600 s whatever the client asks; ejabberd keeps it as long as asked).
// XMPP_TEST_SERVER=ejabberd (npm run test:ejabberd) runs it against ejabberd.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startServer, type ThrowawayServer } from "./support/server.js";
import { connectPeer, isPresenceFrom } from "./support/peer.js";
import { finished, runCli } from "./support/cli.js";
import { startTcpProxy, type TcpProxy } from "./support/tcp-proxy.js";

describe("a crashed agent shows offline", () => {
  let server: ThrowawayServer;
  let proxy: TcpProxy;
  let device: string;
  let operatorJid: string;

  before(async () => {
    server = await startServer();
    proxy = await startTcpProxy(server.port);
    device = await server.register("pi-9", "pi-9-password-xyz");
    operatorJid = await server.register("ops", "ops-pass");
  });
  after(async () => {
    await proxy?.close();
    await server?.stop();
  });

  const env = {
    XMPP_SERVICE: "",
    XMPP_JID: "",
    XMPP_PASSWORD: "pi-9-password-xyz",
    AGENT_OPERATORS: "",
    AGENT_INTERVAL: "1",
  };
  const start = (service: string) => runCli(["run"], { ...env, XMPP_SERVICE: service, XMPP_JID: device, AGENT_OPERATORS: operatorJid });

  test("kill -9 of the agent: the operator sees the device unavailable within 60 s", async (t) => {
    const operator = await connectPeer(server.service, operatorJid, "ops-pass", { acceptFrom: device });
    const agent = start(server.service);
    try {
      await operator.waitFor("the device online", isPresenceFrom(device), 20_000);
      // Settled: the session the operator sees is the one the agent keeps
      await new Promise((r) => setTimeout(r, 1500));
      const since = operator.received.length;
      const killed = Date.now();
      agent.child.kill("SIGKILL");
      await finished(agent, 5000);
      await operator.waitFor("unavailable", isPresenceFrom(device, "unavailable"), 65_000, since);
      const tookMs = Date.now() - killed;
      t.diagnostic(`${server.software}: unavailable ${(tookMs / 1000).toFixed(1)} s after kill -9`);
      assert.ok(tookMs < 60_000, `took ${tookMs} ms`);
    } finally {
      agent.child.kill("SIGKILL");
      await operator.stop();
    }
  });

  test("a 5 s network blip (the link stalls, nothing closes): the operator sees no unavailable and the device still answers", async (t) => {
    const operator = await connectPeer(server.service, operatorJid, "ops-pass", { acceptFrom: device });
    const agent = start(proxy.service);
    try {
      await operator.waitFor("the device online", isPresenceFrom(device), 20_000);
      await new Promise((r) => setTimeout(r, 1500));
      const since = operator.received.length;
      proxy.stall();
      await new Promise((r) => setTimeout(r, 5000));
      proxy.release();
      await new Promise((r) => setTimeout(r, 2000));
      const offline = operator.received.slice(since).filter(isPresenceFrom(device, "unavailable"));
      assert.deepEqual(offline.map(String), []);
      assert.equal(agent.stdout().includes('"msg":"disconnected"'), false, "the agent kept its link");
      t.diagnostic(`${server.software}: no unavailable over a 5 s stall`);
    } finally {
      agent.child.kill("SIGTERM");
      await finished(agent, 5000);
      await operator.stop();
    }
  });

  test("five server restarts 10-25 s apart: the device is back within 10 s of each", async (t) => {
    const agent = start(server.service);
    const onlines = () => agent.stdout().split("\n").filter((l) => l.includes('"msg":"online"')).length;
    const waitOnline = async (count: number, withinMs: number) => {
      const from = Date.now();
      while (onlines() < count) {
        assert.ok(Date.now() - from < withinMs, `not online again within ${withinMs} ms:\n${agent.stdout().slice(-2000)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      return Date.now() - from;
    };
    try {
      await waitOnline(1, 20_000);
      const took: number[] = [];
      for (const gapSeconds of [10, 25, 15, 20, 12]) {
        await new Promise((r) => setTimeout(r, gapSeconds * 1000));
        const before = onlines();
        await server.stopServer();
        await server.startServer();
        took.push(await waitOnline(before + 1, 30_000));
      }
      t.diagnostic(`${server.software}: back online ${took.map((ms) => (ms / 1000).toFixed(1)).join(", ")} s after each restart`);
      for (const ms of took) assert.ok(ms < 10_000, `took ${ms} ms`);
    } finally {
      agent.child.kill("SIGTERM");
      await finished(agent, 5000);
    }
  });
});
