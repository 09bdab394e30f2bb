// Reconnect delays: exponential backoff with full jitter, so a thousand devices that lost the same server
// do not come back in lock-step (https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/).

export interface BackoffConfig {
  baseMs: number;
  capMs: number;
  /** Never retry faster than this, even when the dice say 0. */
  floorMs: number;
}

export function backoffDelay(attempt: number, { baseMs, capMs, floorMs }: BackoffConfig, random: () => number = Math.random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.max(floorMs, Math.round(random() * ceiling));
}

/** The agent's reconnect and room-rejoin backoff: from about 1 s, never under 0.5 s, up to `capMs`
 * (xmpp.reconnectMaxSeconds). */
export function reconnectBackoff(capMs: number): BackoffConfig {
  return { baseMs: 1000, capMs, floorMs: 500 };
}
