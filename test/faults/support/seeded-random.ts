// A seeded PRNG (mulberry32), so a run that found a fault can be replayed: FAULTS_SEED=<n> picks the seed,
// otherwise it is random and printed.
import { randomInt } from "node:crypto";

export function faultSeed(env: NodeJS.ProcessEnv = process.env): number {
  const given = env.FAULTS_SEED;
  if (given === undefined || given === "") return randomInt(2 ** 31);
  const seed = Number(given);
  if (!Number.isInteger(seed) || seed < 0) throw new Error(`FAULTS_SEED=${JSON.stringify(given)}: expected a non-negative integer`);
  return seed;
}

/** mulberry32: small, fast, and the same sequence for the same seed on every machine; not for secrets. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

export function seededRandom(seed: number) {
  const next = mulberry32(seed);
  return {
    next,
    /** An integer in [min, max]. */
    between: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
  };
}
