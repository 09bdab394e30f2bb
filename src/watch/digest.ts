// What the operators read from the watcher: the notes of one digest window as one message, a line per kind of
// news, the worst first, so a fleet-wide event of 1,000 devices is one message, not 1,000 (README, "Watching the
// fleet"). Written for a phone: the count and the kind first, no `<`, `>` or `&`, times with their zone. Pure.
//   12 devices crit: pi-3 (RAM 97%), pi-4 (temp 85°C), ... and 2 more
//   pi-7 offline without a clean stop (crash, power or link?) since 14:02 UTC
import { jidParts } from "../jid.js";
import { clockWithZone, plain } from "../alerts/format.js";
import type { Note } from "./fleet.js";

/** Devices named in one line; the rest are counted. */
export const NAMED_PER_LINE = 5;

type Group = "crit" | "offline" | "silent" | "unknown" | "warn" | "stopped" | "back" | "ok";
const ORDER: Group[] = ["crit", "offline", "silent", "unknown", "warn", "stopped", "back", "ok"];
const HEAD: Record<Group, string> = {
  crit: "crit",
  offline: "offline without a clean stop (crash, power or link?)",
  silent: "silent: no answer to pings",
  unknown: "health unreadable",
  warn: "warn",
  stopped: "stopped cleanly",
  back: "back",
  ok: "ok again",
};

export function deviceName(jid: string): string {
  return jidParts(jid).local || jid;
}

/** The telling part of a status line: its first reason, e.g. "RAM 97% ≥ 95" of "RAM 97% >= 95, CPU 12% ...". */
export function gist(status: string): string {
  const first = plain(status).split(/\s*[,|]\s*/)[0]!.trim();
  return first.length > 40 ? `${first.slice(0, 39)}…` : first;
}

function groupOf(note: Note): Group {
  if (note.kind === "level") return (note.level ?? "ok") as Group;
  return note.kind;
}

/** A device's latest note in the window stands for it (crit then ok again within 10 s: only "ok again"). */
function latestPerDevice(notes: Note[]): Note[] {
  const latest = new Map<string, Note>();
  for (const n of notes) {
    latest.delete(n.device);
    latest.set(n.device, n);
  }
  return [...latest.values()];
}

const byName = (a: Note, b: Note) => deviceName(a.device).localeCompare(deviceName(b.device), "en", { numeric: true });

function line(group: Group, unsorted: Note[], timeZone?: string): string {
  const notes = [...unsorted].sort(byName);
  const detail = (n: Note) => {
    if (group === "crit" || group === "warn" || group === "unknown" || group === "stopped") return n.status ? ` (${gist(n.status)})` : "";
    if (group === "offline" || group === "silent") return ` since ${clockWithZone(n.at, timeZone)}`;
    return "";
  };
  if (notes.length === 1) {
    const n = notes[0]!;
    const head = group === "back" ? "back online" : HEAD[group];
    return `${deviceName(n.device)} ${head}${detail(n)}`;
  }
  const named = notes.slice(0, NAMED_PER_LINE).map((n) => `${deviceName(n.device)}${group === "offline" || group === "silent" ? "" : detail(n)}`);
  const more = notes.length > NAMED_PER_LINE ? `, ... and ${notes.length - NAMED_PER_LINE} more` : "";
  const when = group === "offline" || group === "silent" ? ` since ${clockWithZone(notes[0]!.at, timeZone)}` : "";
  return `${notes.length} devices ${HEAD[group]}${when}: ${named.join(", ")}${more}`;
}

/** One message for the notes of a window; "" for none. */
export function digestText(notes: Note[], timeZone?: string): string {
  const byGroup = new Map<Group, Note[]>();
  for (const n of latestPerDevice(notes)) byGroup.set(groupOf(n), [...(byGroup.get(groupOf(n)) ?? []), n]);
  return ORDER.filter((g) => byGroup.has(g))
    .map((g) => line(g, byGroup.get(g)!, timeZone))
    .join("\n");
}
