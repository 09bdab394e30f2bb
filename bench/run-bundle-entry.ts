// The entry bench/online.bench.ts bundles for its module probe: what `run` imports, as dist/cli.js holds it.
export * from "../src/config/load.js";
export * from "../src/commands/run.js";
