// Child entry: the agent as `node dist/cli.js run` builds it (config from the environment, SIGTERM stops it with
// "stopping: SIGTERM"), on a scripted healthy sampler, so a loaded test machine's CPU does not make it crit.
// For tests that kill or freeze a device's process (test/watch.test.ts).
import { startAgent } from "../../src/agent.js";
import { loadConfig } from "../../src/config/load.js";
import { createLogger } from "../../src/log.js";
import { scriptedSampler } from "./scripted-sampler.js";

const config = loadConfig({ env: process.env });
const agent = await startAgent({ config, password: process.env.XMPP_PASSWORD!, log: createLogger(config.log.level), version: "test", sampler: scriptedSampler().sampler });
process.once("SIGTERM", () => {
  void agent.stop("SIGTERM").finally(() => process.exit(0));
});
