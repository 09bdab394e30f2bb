// Being in the fleet room (XEP-0045 7.2): the driver of membership-machine.ts, which decides. This file feeds it
// the session, the publisher's presences, the room's stanzas and the timers, and does what it says: look the room
// up (room-lookup.ts), send, keep the timer, keep the occupant table, log.
import type { Client, Element } from "@xmpp/client";
import type { Logger } from "../log.js";
import { reconnectBackoff } from "../xmpp/backoff.js";
import { JOIN_TIMEOUT_MS, membershipMachine, type MembershipAction, type MembershipEvent } from "./membership-machine.js";
import type { occupantTable } from "./occupants.js";
import { roomMissing } from "./room-lookup.js";
import { joinPresence, leavePresence, readRoomNotice, readRoomPresence } from "./stanzas.js";

export { MAX_NICKS } from "./membership-machine.js";

export interface MembershipDeps {
  xmpp: Client;
  room: string;
  nick: string;
  /** The presence the roster got last, built afresh; null before the first. */
  presence(): Element | null;
  occupants: ReturnType<typeof occupantTable>;
  /** Upper bound of the rejoin backoff (xmpp.reconnectMaxSeconds): the same backoff as the login's. */
  backoffCapMs: number;
  log: Logger;
  now?: () => number;
}

export function roomMembership({ xmpp, room, nick, presence, occupants, backoffCapMs, log, now = Date.now }: MembershipDeps) {
  const machine = membershipMachine({ room, nick, backoff: reconnectBackoff(backoffCapMs), hasPresence: () => presence() !== null });
  let state = machine.initial;
  let timer: NodeJS.Timeout | null = null;

  const send = (stanza: Element, what: string) =>
    xmpp.send(stanza).catch((err: Error) => log.warn({ err: { message: err.message } }, `fleet: ${what} not sent`));

  /** Steps the machine and performs its actions; resolves when the stanzas they sent are written. */
  function dispatch(event: MembershipEvent): Promise<unknown> {
    const next = machine.step(state, event, now());
    state = next.state;
    return Promise.all(next.actions.map(perform));
  }

  function perform(action: MembershipAction): Promise<unknown> | undefined {
    switch (action.type) {
      case "log":
        log[action.level](action.fields, action.msg);
        return;
      case "lookUpRoom":
        void roomMissing(xmpp, room, JOIN_TIMEOUT_MS).then((missing) => dispatch({ type: "lookupAnswered", attempt: action.attempt, missing }));
        return;
      case "sendJoin":
      case "askOccupantList": {
        const stanza = presence();
        if (stanza) return send(joinPresence(stanza, action.occupant), action.type === "sendJoin" ? "join" : "occupant list request");
        return;
      }
      case "sendPresence": {
        const stanza = presence();
        if (!stanza) return;
        stanza.attrs.to = action.occupant;
        return send(stanza, "presence to the room");
      }
      case "sendLeave":
        return send(leavePresence(action.occupant, action.status), "leave");
      case "startTimer": {
        const fire = action.timer;
        timer = setTimeout(() => {
          timer = null;
          void dispatch({ type: fire });
        }, action.delayMs);
        return;
      }
      case "cancelTimer":
        if (timer) clearTimeout(timer);
        timer = null;
        return;
      case "seeOccupant":
        occupants.see(action.presence);
        return;
      case "clearOccupants":
        occupants.clear();
        return;
    }
  }

  const onOnline = () => void dispatch({ type: "sessionStarted" });
  const onStanza = (stanza: Element) => {
    if (state.phase === "offline" || state.phase === "stopped") return; // not even read
    const notice = readRoomNotice(stanza, room);
    if (notice) {
      void dispatch({ type: "roomNotice", codes: notice });
      return;
    }
    const p = readRoomPresence(stanza, room);
    if (p) void dispatch({ type: "roomPresence", presence: p });
  };
  xmpp.on("online", onOnline);
  xmpp.on("stanza", onStanza);

  return {
    /** The publisher sent a presence: the room gets it too (or it is the one to join with). */
    presenceChanged() {
      void dispatch({ type: "presenceChanged" });
    },
    isJoined: () => state.phase === "joined",
    /** 7.14: unavailable with the reason; the roster's unavailable does not reach the room on every server. */
    async leave(status: string) {
      await dispatch({ type: "leave", status });
    },
    stop() {
      void dispatch({ type: "stop" });
      xmpp.removeListener("online", onOnline);
      xmpp.removeListener("stanza", onStanza);
    },
  };
}
