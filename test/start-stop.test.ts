// Stopping the agent at any moment of its start-up, as systemd may: no crash, whatever stage the login is at.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { startServer, type ThrowawayProsody } from "./support/server.js";
import { startAgent } from "../src/agent.js";
import { loadConfig } from "../src/config/load.js";
import { createLogger } from "../src/log.js";
import { scriptedSampler } from "./support/scripted-sampler.js";

let prosody: ThrowawayProsody;
before(async () => {
  prosody = await startServer();
  await prosody.register("device", "dev-pw");
});
after(async () => prosody?.stop());

test("stopped 20 times at moments spread over its login, the agent never throws", async () => {
  const crashes: unknown[] = [];
  const record = (err: unknown) => crashes.push(err);
  process.on("uncaughtException", record);
  process.on("unhandledRejection", record);
  try {
    const config = loadConfig({ env: { XMPP_SERVICE: prosody.service, XMPP_JID: "device@localhost", XMPP_PASSWORD: "dev-pw" } });
    for (let i = 0; i < 20; i++) {
      const agent = await startAgent({ config, password: "dev-pw", log: createLogger("silent"), version: "test", sampler: scriptedSampler().sampler });
      // 0 to 570 ms after start returns (the login began 250 ms before): SASL, bind, roster, first presence
      await new Promise((r) => setTimeout(r, i * 30));
      await agent.stop("test");
      await new Promise((r) => setTimeout(r, 50)); // let late socket events land
    }
  } finally {
    process.off("uncaughtException", record);
    process.off("unhandledRejection", record);
  }
  assert.deepEqual(crashes.map(String), []);
});
