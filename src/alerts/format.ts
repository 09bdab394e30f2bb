// What an operator reads, written for a phone's lock screen: the device and the level first, the reasons next,
// never `<`, `>` or `&` (clients show them escaped), times with their zone. Pure.
//   pi-42 CRIT: temp 83°C ≥ 80, disk / 96% ≥ 95
//   since 14:02 CET, alert 0k3f. Reply "ack 0k3f" to stop reminders
import type { Level } from "../health/level.js";
import type { AlertMessage, Shown } from "./life.js";

const WORD: Record<Shown, string> = { ok: "OK", warn: "WARN", crit: "CRIT", unknown: "UNREADABLE", flapping: "FLAPPING" };

/** "14:02 CET" (or "14:02 UTC", "14:02 GMT+1"): the device's local time and its zone. */
export function clockWithZone(ms: number, timeZone?: string): string {
  const parts = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZoneName: "short", timeZone }).formatToParts(ms);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${part("hour")}:${part("minute")} ${part("timeZoneName")}`;
}

/** "3 h 5 min", "12 min", "40 s". */
export function lasted(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min`;
  const d = Math.floor(m / 1440);
  const h = Math.floor((m % 1440) / 60);
  return [d ? `${d} d` : "", h ? `${h} h` : "", m % 60 ? `${m % 60} min` : ""].filter(Boolean).join(" ");
}

/** Reasons as a phone shows them: `>=` becomes `≥`, and nothing a client would escape survives. */
export function plain(text: string): string {
  return text.replace(/>=/g, "≥").replace(/<=/g, "≤").replace(/&/g, "and").replace(/[<>]/g, "");
}

const reasonsOf = (level: Level, reasons: string[]) => (level === "ok" || !reasons.length ? "" : `: ${plain(reasons.join(", "))}`);

export function alertText(device: string, m: AlertMessage, now: number, timeZone?: string): string {
  const a = m.alert;
  const at = (ms: number) => clockWithZone(ms, timeZone);
  const ackHint = a.ackedBy ? `Acknowledged by ${a.ackedBy}` : `Reply "ack ${a.id}" to stop reminders`;
  switch (m.kind) {
    case "open":
      return `${device} ${WORD[a.level]}${reasonsOf(a.level, a.reasons)}\nsince ${at(a.since)}, alert ${a.id}. ${ackHint}`;
    case "update": {
      const was = m.was === "flapping" ? "stable again after flapping" : `was ${WORD[m.was ?? "ok"]}`;
      return `${device} ${WORD[a.level]}${reasonsOf(a.level, a.reasons)}\n${was}; alert ${a.id} open since ${at(a.opened)}. ${ackHint}`;
    }
    case "remind":
      return `${device} still ${WORD[a.level]}${reasonsOf(a.level, a.reasons)}\nalert ${a.id} open ${lasted(now - a.opened)}, since ${at(a.opened)}. ${ackHint}`;
    case "flapping":
      return (
        `${device} FLAPPING: ${m.changes ?? 0} level changes, now ${WORD[a.level]}${reasonsOf(a.level, a.reasons)}\n` +
        `alert ${a.id}; quiet until the level holds still. ${ackHint}`
      );
    case "recovered": {
      const after = m.was === "flapping" ? " and stable" : "";
      return `${device} OK again${after} after ${lasted(now - a.opened)}\nalert ${a.id} (worst ${WORD[a.worst]}) from ${at(a.opened)} to ${at(now)} is over`;
    }
    case "acked":
      return `${device} ${WORD[a.level]} acknowledged by ${m.by}\nalert ${a.id}: no more reminders; you will still hear when it ends`;
  }
}

/** `test alert`: what an alert looks like, to the one operator who asked. */
export function testText(device: string, now: number, timeZone?: string): string {
  return `${device} TEST: this is what an alert looks like\nsent ${clockWithZone(now, timeZone)} at your request; nothing is wrong`;
}
