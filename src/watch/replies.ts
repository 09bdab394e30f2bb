// The watcher's chat replies, for a phone (Conversations shows no status text and runs no ad-hoc commands):
// `fleet`, `fleet DEVICE`, `help` (the alerts' replies are in news.ts). Pure: the fleet's state and the clock in,
// a text out.
import { clockWithZone, lasted, plain } from "../alerts/format.js";
import { bareJid } from "../jid.js";
import type { DeviceState, FleetState } from "./fleet.js";
import { deviceName, gist } from "./digest.js";

/** A fleet this small gets a line for every device; a larger one, a line per device that is not ok. */
export const LIST_ALL_UP_TO = 20;

export const WATCH_HELP = [
  "fleet: counts per state, then the devices that are not ok",
  "fleet DEVICE: its last status, last seen, last answer to a ping",
  "ack: acknowledge every open problem: no more reminders for them",
  "alerts [off|warn|crit]: which news you get",
  "test alert: send me one",
  "help: this list",
].join("\n");

type Shown = "ok" | "warn" | "crit" | "unreadable" | "silent" | "offline" | "stopped" | "not seen";
const ORDER: Shown[] = ["crit", "offline", "silent", "unreadable", "warn", "stopped", "not seen", "ok"];

export function shownState(d: DeviceState): Shown {
  if (d.seen === "offline" || d.seen === "leaving") return "offline";
  if (d.seen === "stopped") return "stopped";
  if (d.seen === "unknown") return "not seen";
  if (d.silent) return "silent";
  return d.level === "unknown" ? "unreadable" : (d.level ?? "ok");
}

function deviceLine(jid: string, d: DeviceState, now: number, timeZone?: string): string {
  const shown = shownState(d);
  const status = d.status && shown !== "ok" ? `, ${gist(d.status)}` : "";
  const since = shown === "not seen" ? "" : ` since ${clockWithZone(d.since, timeZone)} (${lasted(now - d.since)})`;
  return `${deviceName(jid)} ${shown}${status}${since}`;
}

export function fleetReply(fleet: FleetState, now: number, timeZone?: string): string {
  const entries = Object.entries(fleet);
  if (entries.length === 0) return "no devices watched: set watch.devices";
  const counts = new Map<Shown, number>();
  for (const [, d] of entries) counts.set(shownState(d), (counts.get(shownState(d)) ?? 0) + 1);
  const head = ORDER.filter((s) => counts.has(s)).map((s) => `${counts.get(s)} ${s}`).join(", ");
  const listed = entries
    .filter(([, d]) => entries.length <= LIST_ALL_UP_TO || shownState(d) !== "ok")
    .sort(([, a], [, b]) => ORDER.indexOf(shownState(a)) - ORDER.indexOf(shownState(b)));
  return [`${entries.length} devices: ${head}`, ...listed.map(([jid, d]) => deviceLine(jid, d, now, timeZone))].join("\n");
}

export function deviceReply(fleet: FleetState, asked: string, now: number, timeZone?: string): string {
  const wanted = asked.toLowerCase();
  const jid = Object.keys(fleet).find((j) => j === bareJid(wanted) || deviceName(j).toLowerCase() === wanted);
  if (!jid) return `no device ${asked.slice(0, 40)} in watch.devices: send fleet for the list`;
  const d = fleet[jid]!;
  const when = (ms: number) => (ms ? `${clockWithZone(ms, timeZone)} (${lasted(now - ms)} ago)` : "never");
  return [
    deviceLine(jid, d, now, timeZone),
    `status: ${d.status ? plain(d.status) : "none"}`,
    `last seen: ${when(d.lastSeen)}`,
    `last answer to a ping: ${when(d.lastAnswer)}`,
  ].join("\n");
}
