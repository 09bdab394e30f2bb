// A scenario's options from the command line: `npm run bench:fleet -- --devices 100` reaches run.ts as
// `--devices 100`, which passes every `--name value` to the scenario's process as BENCH_OPTIONS (JSON).
export function parseBenchOptions(args: string[]): { names: string[]; options: Record<string, string>; write: boolean } {
  const names: string[] = [];
  const options: Record<string, string> = {};
  let write = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--write") write = true;
    else if (arg.startsWith("--")) {
      const value = args[i + 1];
      if (value === undefined || value.startsWith("--")) throw new Error(`${arg}: expected a value after it`);
      options[arg.slice(2)] = value;
      i++;
    } else names.push(arg);
  }
  return { names, options, write };
}

/** A whole-number option of this scenario (at least `min`), or its default. */
export function benchOption(name: string, fallback: number, env: NodeJS.ProcessEnv = process.env, min = 1): number {
  const given = (JSON.parse(env.BENCH_OPTIONS ?? "{}") as Record<string, string>)[name];
  if (given === undefined) return fallback;
  const value = Number(given);
  if (!Number.isInteger(value) || value < min) throw new Error(`--${name} ${JSON.stringify(given)}: expected a whole number from ${min}`);
  return value;
}
