// `status`: one local health report, no network.
import type { AgentConfig } from "../config/load.js";
import { assessHealth } from "../health/level.js";
import { statusJson, statusTable } from "../health/report.js";
import { systemFiles } from "../sampling/read.js";
import { createSampler } from "../sampling/sampler.js";
import { EXIT } from "../exit-codes.js";

/** CPU % and network rates are differences: wait this long between the two readings. */
const MEASURE_MS = 500;

export async function status(config: AgentConfig, { json }: { json: boolean }): Promise<number> {
  const sampler = createSampler({ files: systemFiles("/"), disks: config.sampling.disks });
  await new Promise((resolve) => setTimeout(resolve, MEASURE_MS));
  const sample = await sampler.sample();
  const assessment = assessHealth(sample, config.thresholds);
  process.stdout.write(`${json ? statusJson(sample, assessment) : statusTable(sample, assessment, config.thresholds)}\n`);
  return EXIT.ok;
}
