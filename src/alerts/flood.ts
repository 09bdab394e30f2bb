// The flood guard: whatever happens, one device sends one operator at most `perMinute` unasked messages in
// any 60 s (README, "Alerts"). A sliding window of send times per operator; pure apart from the clock given.

export function floodGuard({ perMinute, maxKeys = 1000 }: { perMinute: number; maxKeys?: number }) {
  const sent = new Map<string, number[]>();
  return {
    allow(key: string, now: number): boolean {
      const recent = (sent.get(key) ?? []).filter((t) => now - t < 60_000);
      const ok = recent.length < perMinute;
      if (ok) recent.push(now);
      sent.delete(key);
      // Map order is insertion order: the operator heard from least recently goes first when full
      if (sent.size >= maxKeys) sent.delete(sent.keys().next().value!);
      sent.set(key, recent);
      return ok;
    },
  };
}
