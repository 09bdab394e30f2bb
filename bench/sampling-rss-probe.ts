// Child-process entry for the RSS column of bench/sampling.bench.ts: a fresh node that loads one contender,
// takes one sample, and prints its RSS at each step as JSON. A fresh process per library keeps them from
// sharing (or hiding) each other's heap.
import { buildContender, CONTENDERS, filesReadPerSample, type ContenderName } from "./sampling-contenders.js";

const name = process.argv[2] ?? "";
const rss = () => process.memoryUsage().rss;
const bare = rss();
let loaded = bare;
let sampled = bare;
if (name !== "bare") {
  if (!(CONTENDERS as readonly string[]).includes(name)) throw new Error(`unknown contender "${name}"; expected bare or one of ${CONTENDERS.join(", ")}`);
  const paths = name === "floor" || name === "ours-async" ? await filesReadPerSample() : [];
  const contender = await buildContender(name as ContenderName, paths);
  loaded = rss();
  await contender.sample();
  sampled = rss();
  contender.close();
}
process.stdout.write(`${JSON.stringify({ name, bare, loaded, sampled })}\n`);
process.exit(0); // a library's leftover timer must not keep the probe alive
