// Being in the fleet room (XEP-0045 7.2): join with the health presence, stay in (join again after a new session,
// a kick, the room's destruction), and leave with a reason. Every retry waits a backoff with jitter; only a nick
// conflict is retried at once, with a suffix, a bounded number of times. The agent never creates the room: it
// joins only a room that answers disco#info (room-lookup.ts), and leaves at once one its join created anyway.
import type { Client, Element } from "@xmpp/client";
import type { Logger } from "../log.js";
import { backoffDelay, type BackoffConfig } from "../xmpp/backoff.js";
import type { occupantTable } from "./occupants.js";
import { roomMissing } from "./room-lookup.js";
import { STATUS, joinPresence, leavePresence, nickFor, readRoomNotice, readRoomPresence, type RoomPresence } from "./stanzas.js";

/** pi-42, pi-42-2, ... pi-42-5, then a backoff and pi-42 again. */
export const MAX_NICKS = 5;
const JOIN_TIMEOUT_MS = 30_000;
/** Joined this long: the backoff starts over, so a kick loop still slows down. */
const STABLE_MS = 60_000;

/** What a join error (XEP-0045 7.2.5-7.2.11) asks of the people running the room. */
const HINTS: Record<string, string> = {
  forbidden: "the device's JID is banned from the room",
  "registration-required": "the room is members-only: make the device's JID a member",
  "not-allowed": "the room does not exist and the device may not create it",
  "item-not-found": "the room does not exist, or is locked until its owner configures it",
  "not-authorized": "the room has a password, which the agent does not support",
  "service-unavailable": "the room is full",
  "jid-malformed": "the nick is not valid: check fleet.nick",
  gone: "the room was destroyed",
  "remote-server-not-found": "no such MUC service: check fleet.room",
};

type Phase = "offline" | "waiting" | "joining" | "joined" | "retrying" | "stopped";

export interface MembershipDeps {
  xmpp: Client;
  room: string;
  nick: string;
  /** The presence the roster got last, built afresh; null before the first. */
  presence(): Element | null;
  occupants: ReturnType<typeof occupantTable>;
  backoff: BackoffConfig;
  log: Logger;
  now?: () => number;
}

export function roomMembership({ xmpp, room, nick, presence, occupants, backoff, log, now = Date.now }: MembershipDeps) {
  let phase: Phase = "offline";
  let nickTry = 0;
  let currentNick = nick;
  let failures = 0;
  let joinedAt = 0;
  let timer: NodeJS.Timeout | null = null;
  // Bumped whenever what is pending is cancelled, so a room lookup answered late is ignored
  let attempt = 0;
  let changedWhileJoining = false;
  const occupantJid = () => `${room}/${currentNick}`;
  const send = (stanza: Element, what: string) =>
    xmpp.send(stanza).catch((err: Error) => log.warn({ err: { message: err.message } }, `fleet: ${what} not sent`));

  function cancelPending() {
    if (timer) clearTimeout(timer);
    timer = null;
    attempt++;
  }

  /** Joins if the room exists; a missing room is looked up again after the backoff. */
  function join() {
    cancelPending();
    if (!presence()) {
      phase = "waiting"; // joins with the first presence the publisher sends
      return;
    }
    phase = "joining";
    const lookup = attempt;
    log.debug({ room }, "fleet: asking whether the room exists");
    void roomMissing(xmpp, room, JOIN_TIMEOUT_MS).then((condition) => {
      if (lookup !== attempt || phase !== "joining") return;
      if (condition === null) enter();
      else retry("the room does not exist (devices do not create it)", "error", { condition });
    });
  }

  /** 7.2.1: the join presence, as nickFor(nick, nickTry). */
  function enter() {
    cancelPending();
    const stanza = presence();
    if (!stanza) {
      phase = "waiting";
      return;
    }
    currentNick = nickFor(nick, nickTry);
    phase = "joining";
    changedWhileJoining = false;
    occupants.clear();
    log.info({ room, nick: currentNick }, "fleet: joining the room");
    void send(joinPresence(stanza, occupantJid()), "join");
    timer = setTimeout(() => retry("no answer from the room", "warn"), JOIN_TIMEOUT_MS);
  }

  function retry(why: string, level: "info" | "warn" | "error", fields: Record<string, unknown> = {}) {
    cancelPending();
    occupants.clear();
    if (joinedAt && now() - joinedAt > STABLE_MS) failures = 0;
    joinedAt = 0;
    nickTry = 0;
    phase = "retrying";
    const delayMs = backoffDelay(failures++, backoff);
    log[level]({ room, nick: currentNick, why, ...fields, delayMs }, "fleet: not in the room; joining again after a delay");
    timer = setTimeout(join, delayMs);
  }

  function joined(p: RoomPresence) {
    cancelPending();
    if (p.codes.has(STATUS.created)) {
      // 10.1.1: our join created the room (it vanished after the lookup). Its owners create and configure it; a
      // device-made room is locked on Prosody, and on ejabberd open to all but owned by the device
      void send(leavePresence(occupantJid(), "this room is not set up; devices do not create it"), "leave");
      retry("the room does not exist (devices do not create it)", "error");
      return;
    }
    phase = "joined";
    joinedAt = now();
    // 7.2.3: code 100 is a non-anonymous room, where occupants' real JIDs are visible
    const realJidsShown = p.codes.has(STATUS.nonAnonymous);
    log.info({ room, nick: currentNick, realJidsShown }, realJidsShown
      ? "fleet: in the room; operators among its occupants may chat privately with the device"
      : "fleet: in the room; it hides occupants' real JIDs, so private messages from it get no answer");
    if (changedWhileJoining) updateRoom();
  }

  function left(p: RoomPresence) {
    const reason = p.destroyed?.reason ?? null;
    if (p.destroyed) retry("the room was destroyed", "warn", { reason, alternate: p.destroyed.alternate });
    else if (p.codes.has(STATUS.kicked)) retry("kicked by a moderator", "warn");
    else if (p.codes.has(STATUS.banned)) retry("banned from the room", "error");
    else retry("removed from the room", "warn", { codes: [...p.codes] });
  }

  function refused(p: RoomPresence) {
    const condition = p.error!.condition;
    if (condition === "conflict" && phase === "joining") {
      // 7.2.9: the nick is taken by someone else
      if (++nickTry < MAX_NICKS) {
        log.info({ room, taken: currentNick, next: nickFor(nick, nickTry) }, "fleet: nick taken, trying another");
        enter(); // the room answered: it exists
      } else {
        retry(`every nick from ${nick} to ${nickFor(nick, MAX_NICKS - 1)} is taken`, "warn");
      }
      return;
    }
    retry(`the room refused ${phase === "joining" ? "the join" : "our presence"}: ${condition}`, condition === "conflict" ? "warn" : "error", {
      condition,
      text: p.error!.text,
      hint: HINTS[condition],
    });
  }

  /** 10.2.1: the owners changed the room's configuration. */
  function configChanged(codes: Set<number>) {
    if (codes.has(STATUS.nowNonAnonymous)) {
      // Real JIDs are shown from now on, but no presence is sent again: a join presence from an occupant makes
      // the room (Prosody 0.12, ejabberd 23.01) send it the occupant list again, now with them
      log.info({ room }, "fleet: the room now shows occupants' real JIDs; asking it for the occupant list again");
      const stanza = presence();
      if (stanza) void send(joinPresence(stanza, occupantJid()), "occupant list request");
    } else if (codes.has(STATUS.nowSemiAnonymous)) {
      log.info({ room }, "fleet: the room now hides occupants' real JIDs; private messages from those it hides get no answer");
    }
  }

  function onStanza(stanza: Element) {
    if (phase === "offline" || phase === "stopped") return;
    const notice = readRoomNotice(stanza, room);
    if (notice) {
      if (phase === "joined") configChanged(notice);
      return;
    }
    const p = readRoomPresence(stanza, room);
    if (!p) return;
    const ours = p.self || p.nick === currentNick;
    if (!ours || (phase !== "joining" && phase !== "joined")) {
      if (!ours) occupants.see(p);
      return;
    }
    occupants.see(p);
    if (p.kind === "error") refused(p);
    else if (p.kind === "available") {
      currentNick = p.nick; // 7.2.14: the room may have changed it
      if (phase === "joining") joined(p);
    } else if (!p.codes.has(STATUS.nickChanged)) left(p);
  }

  /** 7.7: presence to our occupant JID changes what the room shows. */
  function updateRoom() {
    const stanza = presence();
    if (!stanza) return;
    stanza.attrs.to = occupantJid();
    void send(stanza, "presence to the room");
  }

  // A new session (not a XEP-0198 resume, where the room kept us): the room forgot us with the old one
  const onOnline = () => {
    if (phase === "stopped") return;
    cancelPending();
    occupants.clear();
    nickTry = 0;
    failures = 0;
    phase = "waiting";
  };
  xmpp.on("online", onOnline);
  xmpp.on("stanza", onStanza);

  return {
    /** The publisher sent a presence: the room gets it too (or it is the one to join with). */
    presenceChanged() {
      if (phase === "waiting") join();
      else if (phase === "joining") changedWhileJoining = true;
      else if (phase === "joined") updateRoom();
    },
    isJoined: () => phase === "joined",
    /** 7.14: unavailable with the reason; the roster's unavailable does not reach the room on every server. */
    async leave(status: string) {
      const wasIn = phase === "joined" || phase === "joining";
      phase = "stopped";
      cancelPending();
      if (wasIn) await send(leavePresence(occupantJid(), status), "leave");
    },
    stop() {
      phase = "stopped";
      cancelPending();
      xmpp.removeListener("online", onOnline);
      xmpp.removeListener("stanza", onStanza);
    },
  };
}
