// Being in the fleet room (XEP-0045 7.2), the decisions: join with the health presence, stay in (join again after
// a new session, a kick, the room's destruction), leave with a reason. Every retry waits a backoff with jitter;
// only a nick conflict is retried at once, with a suffix, a bounded number of times. The agent never creates the
// room: it joins only a room that answers disco#info, and leaves at once one its join created anyway.
// Pure: membership.ts feeds it the events and performs the actions. https://xmpp.org/extensions/xep-0045.html
//
// States (`phase`):
//   offline   no session yet: the room's stanzas are ignored
//   waiting   a session, no presence from the publisher yet: joins with the first one
//   joining   asked whether the room exists (lookUpRoom), or sent the join presence as nickFor(nick, nickTry)
//             and waits for the room's answer (JOIN_TIMEOUT_MS)
//   joined    in the room: each new presence goes to it too
//   retrying  out of the room, a backoff timer runs before the next lookup
//   stopped   left or stopped: for good
// Events: sessionStarted, presenceChanged, lookupAnswered, roomPresence, roomNotice, joinTimedOut, retryDue,
//   leave, stop. Actions: lookUpRoom, sendJoin, sendPresence, askOccupantList, sendLeave, startTimer, cancelTimer,
//   seeOccupant, clearOccupants, log.
import { backoffDelay, type BackoffConfig } from "../xmpp/backoff.js";
import { STATUS, nickFor, type RoomPresence } from "./stanzas.js";

/** pi-42, pi-42-2, ... pi-42-5, then a backoff and pi-42 again. */
export const MAX_NICKS = 5;
export const JOIN_TIMEOUT_MS = 30_000;
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

export type Phase = "offline" | "waiting" | "joining" | "joined" | "retrying" | "stopped";
type Timer = "joinTimedOut" | "retryDue";

export interface MembershipState {
  phase: Phase;
  /** Conflicts since the last backoff: the join goes out as nickFor(nick, nickTry). */
  nickTry: number;
  /** The nick we are (or try to be) in the room as; the room may change it (7.2.14). */
  currentNick: string;
  /** Retries since the last stable stay or new session: the backoff's exponent. */
  failures: number;
  joinedAt: number;
  /** The timer that runs, if any. */
  timer: Timer | null;
  /** Bumped whenever what is pending is cancelled, so a room lookup answered late is ignored. */
  attempt: number;
  /** The publisher sent a presence while the join was under way: the room gets it once in. */
  changedWhileJoining: boolean;
}

export type MembershipEvent =
  /** A new session (not a XEP-0198 resume, where the room kept us): the room forgot us with the old one. */
  | { type: "sessionStarted" }
  /** The publisher sent a presence. */
  | { type: "presenceChanged" }
  /** The room lookup (lookUpRoom) answered: the condition that says the room does not exist, or null. */
  | { type: "lookupAnswered"; attempt: number; missing: string | null }
  /** A presence from an occupant of the room (stanzas.ts, readRoomPresence). */
  | { type: "roomPresence"; presence: RoomPresence }
  /** 10.2.1: the status codes of a notice from the room itself. */
  | { type: "roomNotice"; codes: Set<number> }
  | { type: Timer }
  | { type: "leave"; status: string }
  | { type: "stop" };

type Level = "debug" | "info" | "warn" | "error";

export type MembershipAction =
  | { type: "lookUpRoom"; attempt: number }
  /** 7.2.1: the publisher's presence, as a join. */
  | { type: "sendJoin"; occupant: string }
  /** 7.7: the publisher's presence, to our occupant JID; nothing when there is none. */
  | { type: "sendPresence"; occupant: string }
  /** The publisher's presence as a join again: the room sends the occupant list again; nothing when there is none. */
  | { type: "askOccupantList"; occupant: string }
  | { type: "sendLeave"; occupant: string; status: string }
  | { type: "startTimer"; timer: Timer; delayMs: number }
  | { type: "cancelTimer" }
  | { type: "seeOccupant"; presence: RoomPresence }
  | { type: "clearOccupants" }
  | { type: "log"; level: Level; fields: Record<string, unknown>; msg: string };

export interface MembershipSettings {
  room: string;
  nick: string;
  backoff: BackoffConfig;
  /** Whether the publisher has sent a presence yet, asked only when about to join (one costs a caps hash to build). */
  hasPresence(): boolean;
  /** The backoff's jitter. */
  random?: () => number;
}

export function membershipMachine({ room, nick, backoff, hasPresence, random = Math.random }: MembershipSettings) {
  const initial: MembershipState = {
    phase: "offline",
    nickTry: 0,
    currentNick: nick,
    failures: 0,
    joinedAt: 0,
    timer: null,
    attempt: 0,
    changedWhileJoining: false,
  };

  function step(state: MembershipState, event: MembershipEvent, now: number): { state: MembershipState; actions: MembershipAction[] } {
    const s = { ...state };
    const actions: MembershipAction[] = [];
    const occupant = () => `${room}/${s.currentNick}`;
    const log = (level: Level, fields: Record<string, unknown>, msg: string) => actions.push({ type: "log", level, fields, msg });

    function cancelPending() {
      if (s.timer) actions.push({ type: "cancelTimer" });
      s.timer = null;
      s.attempt++;
    }

    function startTimer(timer: Timer, delayMs: number) {
      s.timer = timer;
      actions.push({ type: "startTimer", timer, delayMs });
    }

    /** Joins if the room exists; a missing room is looked up again after the backoff. */
    function join() {
      cancelPending();
      if (!hasPresence()) {
        s.phase = "waiting"; // joins with the first presence the publisher sends
        return;
      }
      s.phase = "joining";
      log("debug", { room }, "fleet: asking whether the room exists");
      actions.push({ type: "lookUpRoom", attempt: s.attempt });
    }

    /** 7.2.1: the join presence, as nickFor(nick, nickTry). */
    function enter() {
      cancelPending();
      if (!hasPresence()) {
        s.phase = "waiting";
        return;
      }
      s.currentNick = nickFor(nick, s.nickTry);
      s.phase = "joining";
      s.changedWhileJoining = false;
      actions.push({ type: "clearOccupants" });
      log("info", { room, nick: s.currentNick }, "fleet: joining the room");
      actions.push({ type: "sendJoin", occupant: occupant() });
      startTimer("joinTimedOut", JOIN_TIMEOUT_MS);
    }

    function retry(why: string, level: Level, fields: Record<string, unknown> = {}) {
      cancelPending();
      actions.push({ type: "clearOccupants" });
      if (s.joinedAt && now - s.joinedAt > STABLE_MS) s.failures = 0;
      s.joinedAt = 0;
      s.nickTry = 0;
      s.phase = "retrying";
      const delayMs = backoffDelay(s.failures++, backoff, random);
      log(level, { room, nick: s.currentNick, why, ...fields, delayMs }, "fleet: not in the room; joining again after a delay");
      startTimer("retryDue", delayMs);
    }

    function joined(p: RoomPresence) {
      cancelPending();
      if (p.codes.has(STATUS.created)) {
        // 10.1.1: our join created the room (it vanished after the lookup). Its owners create and configure it; a
        // device-made room is locked on Prosody, and on ejabberd open to all but owned by the device
        actions.push({ type: "sendLeave", occupant: occupant(), status: "this room is not set up; devices do not create it" });
        retry("the room does not exist (devices do not create it)", "error");
        return;
      }
      s.phase = "joined";
      s.joinedAt = now;
      // 7.2.3: code 100 is a non-anonymous room, where occupants' real JIDs are visible
      const realJidsShown = p.codes.has(STATUS.nonAnonymous);
      log("info", { room, nick: s.currentNick, realJidsShown }, realJidsShown
        ? "fleet: in the room; operators among its occupants may chat privately with the device"
        : "fleet: in the room; it hides occupants' real JIDs, so private messages from it get no answer");
      if (s.changedWhileJoining) actions.push({ type: "sendPresence", occupant: occupant() });
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
      if (condition === "conflict" && s.phase === "joining") {
        // 7.2.9: the nick is taken by someone else
        if (++s.nickTry < MAX_NICKS) {
          log("info", { room, taken: s.currentNick, next: nickFor(nick, s.nickTry) }, "fleet: nick taken, trying another");
          enter(); // the room answered: it exists
        } else {
          retry(`every nick from ${nick} to ${nickFor(nick, MAX_NICKS - 1)} is taken`, "warn");
        }
        return;
      }
      retry(`the room refused ${s.phase === "joining" ? "the join" : "our presence"}: ${condition}`, condition === "conflict" ? "warn" : "error", {
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
        log("info", { room }, "fleet: the room now shows occupants' real JIDs; asking it for the occupant list again");
        actions.push({ type: "askOccupantList", occupant: occupant() });
      } else if (codes.has(STATUS.nowSemiAnonymous)) {
        log("info", { room }, "fleet: the room now hides occupants' real JIDs; private messages from those it hides get no answer");
      }
    }

    function roomPresence(p: RoomPresence) {
      const ours = p.self || p.nick === s.currentNick;
      if (!ours || (s.phase !== "joining" && s.phase !== "joined")) {
        if (!ours) actions.push({ type: "seeOccupant", presence: p });
        return;
      }
      actions.push({ type: "seeOccupant", presence: p });
      if (p.kind === "error") refused(p);
      else if (p.kind === "available") {
        s.currentNick = p.nick; // 7.2.14: the room may have changed it
        if (s.phase === "joining") joined(p);
      } else if (!p.codes.has(STATUS.nickChanged)) left(p);
    }

    switch (event.type) {
      case "sessionStarted":
        if (s.phase === "stopped") break;
        cancelPending();
        actions.push({ type: "clearOccupants" });
        s.nickTry = 0;
        s.failures = 0;
        s.phase = "waiting";
        break;
      case "presenceChanged":
        // The room gets it too, or it is the one to join with
        if (s.phase === "waiting") join();
        else if (s.phase === "joining") s.changedWhileJoining = true;
        else if (s.phase === "joined") actions.push({ type: "sendPresence", occupant: occupant() });
        break;
      case "lookupAnswered":
        if (event.attempt !== s.attempt || s.phase !== "joining") break;
        if (event.missing === null) enter();
        else retry("the room does not exist (devices do not create it)", "error", { condition: event.missing });
        break;
      case "roomPresence":
        if (s.phase !== "offline" && s.phase !== "stopped") roomPresence(event.presence);
        break;
      case "roomNotice":
        if (s.phase === "joined") configChanged(event.codes);
        break;
      case "joinTimedOut":
        if (s.timer !== "joinTimedOut") break;
        s.timer = null;
        retry("no answer from the room", "warn");
        break;
      case "retryDue":
        if (s.timer !== "retryDue") break;
        s.timer = null;
        join();
        break;
      case "leave": {
        // 7.14: unavailable with the reason; the roster's unavailable does not reach the room on every server
        const wasIn = s.phase === "joined" || s.phase === "joining";
        s.phase = "stopped";
        cancelPending();
        if (wasIn) actions.push({ type: "sendLeave", occupant: occupant(), status: event.status });
        break;
      }
      case "stop":
        s.phase = "stopped";
        cancelPending();
        break;
    }
    return { state: s, actions };
  }

  return { initial, step };
}
