// Child entry for the soak: the agent online, its timer out of the way (sampling.intervalSeconds an hour), and
// samples driven through Agent.sampleNow() as fast as the pipeline takes them (health monitor with hysteresis
// -> presence publisher -> the XMPP session). Its log is counted, not kept: presences sent, level changes,
// and anything at warn or above.
import { Writable } from "node:stream";
import { startAgent } from "../../../src/agent.js";
import { loadConfig } from "../../../src/config/load.js";
import { createLogger } from "../../../src/log.js";
import { scriptedSampler } from "../../support/scripted-sampler.js";
import { serveProbe } from "./hostile-child.js";
import { soakReadings } from "./soak-readings.js";

const env = process.env;
const config = loadConfig({ env });
// Every level change and every new or vanished reason goes out at once
Object.assign(config.presence, { minIntervalSeconds: 0, refreshSeconds: 0 });
const counts = { presences: 0, levelChanges: 0, warnings: [] as string[] };
const logStream = new Writable({
  write(chunk, _encoding, done) {
    for (const line of String(chunk).split("\n")) {
      if (line.includes('"msg":"presence"')) counts.presences++;
      else if (line.includes('"msg":"health level"')) counts.levelChanges++;
      if (/"level":[4-6]0/.test(line) && counts.warnings.length < 10) counts.warnings.push(line);
    }
    done();
  },
});
const health = scriptedSampler();
// Fixed facts: reading the real ones (systeminformation) starts child processes at start-up, which the first count
// of open handles caught still running on a busy machine (CI: 3 PipeWrap and a ProcessWrap that were gone at the end)
const facts = { os: "Debian GNU/Linux 12", kernel: "6.1.0", arch: "x64", model: null, serial: null };
const agent = await startAgent({
  config,
  password: env.XMPP_PASSWORD!,
  log: createLogger("info", logStream),
  version: "soak",
  sampler: health.sampler,
  readFacts: async () => facts,
});
const next = soakReadings(Number(env.SOAK_SEED));
let samples = 0;

serveProbe({
  /** Takes samples until `until` have been taken in all; answers with what the agent did so far. */
  async run(message) {
    const until = Number(message.until);
    const started = Date.now();
    while (samples < until) {
      health.set(next());
      await agent.sampleNow();
      samples++;
      // Let the socket write what the publisher sent
      if (samples % 100 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    return { samples, ms: Date.now() - started, ...counts };
  },
  async stop() {
    await agent.stop("test over");
    setImmediate(() => process.exit(0));
  },
});
