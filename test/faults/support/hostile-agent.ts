// Child entry for the hostile-input test: the agent as `node dist/cli.js run` builds it (config from the
// environment), but on a scripted sampler whose numbers are easy to spot in a leak, with its log in a file.
import { createWriteStream } from "node:fs";
import { startAgent } from "../../../src/agent.js";
import { loadConfig } from "../../../src/config/load.js";
import { createLogger } from "../../../src/log.js";
import { scriptedSampler } from "../../support/scripted-sampler.js";
import { DEVICE_READINGS, DEVICE_VERSION } from "./hostile-classify.js";
import { serveProbe } from "./hostile-child.js";

const env = process.env;
const config = loadConfig({ env });
const logFile = createWriteStream(env.HOSTILE_LOG_FILE!);
const health = scriptedSampler(DEVICE_READINGS);
const agent = await startAgent({ config, password: env.XMPP_PASSWORD!, log: createLogger("info", logFile), version: DEVICE_VERSION, sampler: health.sampler });

serveProbe({
  async stop() {
    await agent.stop("test over");
    await new Promise((resolve) => logFile.end(resolve));
    setImmediate(() => process.exit(0));
  },
  samples: () => health.taken(),
});
