// What the capabilities tell each other, as zigbee2mqtt's eventBus does: a capability that needs to hear of
// something subscribes in its start() and unsubscribes in its stop(), so none names another that is built later.
// Listeners run synchronously, in the order they subscribed; one that throws throws into the emitter.
import type { HealthSnapshot } from "./health/monitor.js";
import type { Level } from "./health/level.js";

export interface AgentEvents {
  /** health/monitor.ts: a sample went through hysteresis (or failed: level unknown). */
  healthSampled: HealthSnapshot;
  /** maintenance/silence.ts: an operator's silence began or ended. */
  silenceChanged: void;
  /** xmpp/link.ts: a new session is up; the server knows nothing of our presence or rooms. */
  sessionStarted: void;
  /** xmpp/link.ts: the server kept our session (XEP-0198 resume). */
  sessionResumed: void;
  /** roster/sync.ts: the roster sync of a new session is over (done or failed): the first presence may go. */
  rosterSynced: void;
  /** presence/device-presence.ts: what the presence should show now, before its rate limits; the level is
   * held while silenced, and then has no reasons. */
  presenceWanted: { level: Level; status: string; reasons: string[] };
  /** presence/publisher.ts: a presence went to the roster. */
  presenceSent: void;
}

type Args<T> = T extends void ? [] : [T];

export interface EventBus<E> {
  /** Returns the unsubscribe. */
  on<K extends keyof E>(name: K, listener: (...args: Args<E[K]>) => void): () => void;
  emit<K extends keyof E>(name: K, ...args: Args<E[K]>): void;
}

export type AgentBus = EventBus<AgentEvents>;

export function eventBus<E>(): EventBus<E> {
  type Listener = (...args: unknown[]) => void;
  const listeners = new Map<keyof E, Set<Listener>>();
  return {
    on(name, listener) {
      const set = listeners.get(name) ?? new Set();
      listeners.set(name, set);
      set.add(listener as Listener);
      return () => void set.delete(listener as Listener);
    },
    emit(name, ...args) {
      // A copy: a listener may unsubscribe (itself or another) while the event is told
      for (const listener of [...(listeners.get(name) ?? [])]) listener(...args);
    },
  };
}
