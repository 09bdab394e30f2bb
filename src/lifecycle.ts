// One lifecycle for every capability (zigbee2mqtt's extensions): building one only assigns; start() subscribes,
// registers and begins its I/O; stop() undoes that. The agent starts them in its list's order and stops them
// the other way round, so each one stops before what it needs.
export interface Capability {
  start?(): void | Promise<void>;
  /** `reason` is what an operator is told, e.g. "SIGTERM" in "stopping: SIGTERM". */
  stop(reason: string): void | Promise<void>;
}

export async function startInOrder(capabilities: Capability[]): Promise<void> {
  for (const capability of capabilities) await capability.start?.();
}

/** Stops them last to first, once: a later call gets the same promise (a fatal login stops them, then SIGTERM). */
export function stopInReverse(capabilities: Capability[]): (reason: string) => Promise<void> {
  let stopping: Promise<void> | null = null;
  return (reason) =>
    (stopping ??= (async () => {
      for (const capability of [...capabilities].reverse()) await capability.stop(reason);
    })());
}
