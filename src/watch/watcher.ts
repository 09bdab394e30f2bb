// The fleet driver: feeds fleet.ts the devices' presences, the answers to our pings and a clock tick, and
// passes its notes on. Pings (XEP-0199) go to each online device's full JID once per watch.pingSeconds, each
// device at its own slot in the interval, so a thousand devices make a steady trickle, not a burst.
import { xml, type Client, type Element } from "@xmpp/client";
import type { Logger } from "../log.js";
import { bareJid } from "../jid.js";
import { NS_PING } from "../xmpp/namespaces.js";
import { fleetStep, initialFleet, type FleetEvent, type FleetState, type Note } from "./fleet.js";

/** How often the grace periods are checked and the due pings sent. */
const TICK_MS = 1000;

export interface WatcherDeps {
  xmpp: Client;
  devices: string[];
  pingSeconds: number;
  isOnline(): boolean;
  onNote(note: Note): void;
  log: Logger;
}

/** The first time at or after `now` on a device's slot: `offsetMs` into each interval counted from `origin`. The
 * slots come from the devices' places in the list, not from when each came online: a thousand devices back
 * within a few seconds (a restart) would otherwise pile up on the same seconds. Pure. */
export function nextSlot(now: number, origin: number, offsetMs: number, intervalMs: number): number {
  const past = (((now - origin - offsetMs) % intervalMs) + intervalMs) % intervalMs;
  return past === 0 ? now : now + intervalMs - past;
}

export function fleetWatcher({ xmpp, devices, pingSeconds, isOnline, onNote, log }: WatcherDeps) {
  const watched = new Set(devices.map(bareJid));
  let fleet: FleetState = initialFleet([...watched], Date.now());
  const pingMs = pingSeconds * 1000;
  /** When each device is pinged next: spread over the interval by its place in the list. */
  const nextPing = new Map<string, number>();
  const origin = Date.now();
  const offsets = new Map([...watched].map((device, place) => [device, ((place * pingMs) / watched.size) | 0]));
  let ticker: NodeJS.Timeout | null = null;
  let pings = 0;
  /** This ping round's figures, logged at debug at its end: how the pings spread, and how many came back. */
  let round = { answered: 0, lost: 0, perTick: [] as number[] };

  function feed(event: FleetEvent) {
    const result = fleetStep(fleet, event, Date.now());
    fleet = result.state;
    for (const action of result.actions) {
      log.info({ device: action.note.device, kind: action.note.kind, level: action.note.level }, "fleet news");
      onNote(action.note);
    }
  }

  function onStanza(stanza: Element) {
    if (!stanza.is("presence")) return;
    const from = String(stanza.attrs.from ?? "");
    const device = bareJid(from);
    if (!watched.has(device)) return;
    const type = stanza.attrs.type as string | undefined;
    const status = stanza.getChildText("status") ?? "";
    if (type === undefined) {
      if (fleet[device]?.seen !== "online") nextPing.delete(device); // pinged at its next slot from now on
      feed({ type: "available", device, full: from, show: stanza.getChildText("show"), status });
    } else if (type === "unavailable") {
      // Another resource of the same account going away is not the device going away
      const full = fleet[device]?.full;
      if (full && from !== full && from.includes("/")) return;
      feed({ type: "unavailable", device, status });
    }
  }

  async function ping(device: string, full: string) {
    pings++;
    try {
      await xmpp.iqCaller.request(xml("iq", { type: "get", to: full }, xml("ping", NS_PING)), pingMs);
      round.answered++;
      feed({ type: "pong", device });
    } catch (err) {
      // An error reply is an answer (the server's, for a resource gone: its presence tells the rest); silence is not
      const lost = (err as Error).name === "TimeoutError";
      round[lost ? "lost" : "answered"]++;
      feed({ type: lost ? "pingLost" : "pong", device });
    }
  }

  function endRound() {
    const sent = round.perTick.reduce((a, b) => a + b, 0);
    log.debug({ sent, answered: round.answered, lost: round.lost, perTick: round.perTick }, "ping round");
    round = { answered: 0, lost: 0, perTick: [] };
  }

  function tick() {
    const now = Date.now();
    feed({ type: "tick" });
    if (round.perTick.length === pingSeconds) endRound();
    round.perTick.push(0);
    if (!isOnline()) return;
    for (const [device, d] of Object.entries(fleet)) {
      if (d.seen !== "online" || !d.full) continue;
      const due = nextPing.get(device) ?? nextSlot(now, origin, offsets.get(device)!, pingMs);
      if (due > now) {
        nextPing.set(device, due);
        continue;
      }
      nextPing.set(device, Math.max(due + pingMs, now));
      round.perTick[round.perTick.length - 1]!++;
      void ping(device, d.full);
    }
  }

  return {
    start() {
      xmpp.on("stanza", onStanza);
      ticker = setInterval(tick, TICK_MS);
    },
    stop() {
      if (ticker) clearInterval(ticker);
      xmpp.removeListener("stanza", onStanza);
    },
    sessionStarted: () => feed({ type: "sessionStarted" }),
    fleet: () => fleet,
    pingsSent: () => pings,
  };
}
