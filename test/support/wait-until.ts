// Waiting for something that arrives over time (a stanza, a count of devices): `found` is asked now and at
// every wake-up the caller's source rings, until it returns a value or the time is up.
export function waitUntil<T>(wakeups: Set<() => void>, found: () => T | undefined, timeoutMs: number, failure: () => string): Promise<T> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const value = found();
      if (value === undefined) return;
      cleanup();
      resolve(value);
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(failure()));
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      wakeups.delete(check);
    };
    wakeups.add(check);
    check();
  });
}
