// Per-sender token bucket: a burst of `burst` lines is answered at once, then one line per `refillMs`.
// A flood of 1,000 lines gets about `burst` replies, not 1,000. Pure apart from the clock it is given.

export interface RateLimiter {
  allow(key: string, now: number): boolean;
}

export function tokenBuckets({ burst, refillMs, maxKeys = 1000 }: { burst: number; refillMs: number; maxKeys?: number }): RateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    allow(key, now) {
      const bucket = buckets.get(key) ?? { tokens: burst, at: now };
      const refilled = Math.min(burst, bucket.tokens + (now - bucket.at) / refillMs);
      const ok = refilled >= 1;
      buckets.delete(key);
      // Map order is insertion order: the least recently seen sender is first, and goes first when full
      if (buckets.size >= maxKeys) buckets.delete(buckets.keys().next().value!);
      buckets.set(key, { tokens: ok ? refilled - 1 : refilled, at: now });
      return ok;
    },
  };
}
