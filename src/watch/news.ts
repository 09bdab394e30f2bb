// Who gets which of the watcher's news (each operator's `alerts off|warn|crit`), and the texts of its share of
// the alerts: reminders, acks, `alerts`, `test alert`. Written for a phone: the telling words first, no `<`, `>`
// or `&`, times with their zone. Pure.
//   still bad: 2 devices not acknowledged
//   pi-4 crit (RAM 97% ≥ 95) since 12:10 UTC (19 min)
//   pi-3 offline since 12:04 UTC (25 min)
//   send ack to stop reminders
import type { AlertChoice } from "../alerts/choices.js";
import { clockWithZone, lasted } from "../alerts/format.js";
import type { Note } from "./fleet.js";
import { deviceName, digestText, gist } from "./digest.js";
import type { Problem, ProblemKind } from "./reminders.js";
import { problemOf } from "./reminders.js";

/** Lines of devices in a reminder or an ack; the rest are counted. */
export const LISTED_UP_TO = 10;

/** off: nothing. crit: problems, what ends them, clean stops and comings back. warn: warn level changes too. */
export function wants(choice: AlertChoice, note: Note, wasProblem: boolean): boolean {
  if (choice === "off") return false;
  if (choice === "warn" || note.kind !== "level") return true;
  return problemOf(note) !== null || wasProblem;
}

const ORDER: ProblemKind[] = ["crit", "offline", "silent", "unreadable"];
const sorted = (problems: Problem[]) =>
  [...problems].sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind) || deviceName(a.device).localeCompare(deviceName(b.device), "en", { numeric: true }));

function capped(lines: string[]): string[] {
  return lines.length > LISTED_UP_TO ? [...lines.slice(0, LISTED_UP_TO), `... and ${lines.length - LISTED_UP_TO} more`] : lines;
}

const devices = (n: number) => (n === 1 ? "1 device" : `${n} devices`);
const reason = (p: Problem) => (p.status && (p.kind === "crit" || p.kind === "unreadable") ? ` (${gist(p.status)})` : "");

export function reminderText(problems: Problem[], now: number, timeZone?: string): string {
  const lines = sorted(problems).map((p) => `${deviceName(p.device)} ${p.kind}${reason(p)} since ${clockWithZone(p.since, timeZone)} (${lasted(now - p.since)})`);
  return [`still bad: ${devices(problems.length)} not acknowledged`, ...capped(lines), "send ack to stop reminders"].join("\n");
}

const named = (problems: Problem[]) => {
  const names = sorted(problems).map((p) => `${deviceName(p.device)} ${p.kind}`);
  return names.length > LISTED_UP_TO ? `${names.slice(0, LISTED_UP_TO).join(", ")}, ... and ${names.length - LISTED_UP_TO} more` : names.join(", ");
};

/** The reply to `ack`. */
export function ackReply(problems: Problem[], before: Problem[]): string {
  if (problems.length > 0) return `acked ${devices(problems.length)}: ${named(problems)}\nno more reminders for them; a new problem is told again`;
  if (before.length === 0) return "nothing to ack: no device is offline, silent, crit or unreadable";
  const by = [...new Set(before.map((p) => p.ackedBy))].join(", ");
  return `nothing new to ack: ${devices(before.length)} acked already by ${by}: ${named(before)}`;
}

/** What the other operators are told of an ack: one line. */
export function ackedNote(by: string, problems: Problem[]): string {
  return `acked by ${by}: ${devices(problems.length)} (${named(problems)}); no more reminders for them`;
}

const WHAT: Record<AlertChoice, string> = {
  off: "nothing from the watcher: no news, no reminders",
  crit: "devices offline, silent, crit or unreadable and their recoveries, clean stops, and reminders",
  warn: "every change: warn too, besides devices offline, silent, crit or unreadable, clean stops, and reminders",
};

export interface ChoiceView {
  choice: AlertChoice;
  changed: boolean;
  watcherDefault: AlertChoice;
  /** Whether choices survive a restart (a state directory). */
  kept: boolean;
  open: Problem[];
}

/** The reply to `alerts` and `alerts off|warn|crit`. */
export function choiceReply({ choice, changed, watcherDefault, kept, open }: ChoiceView): string {
  const lines = [`${changed ? "From now on you get" : "You get"} ${WHAT[choice]}${choice === watcherDefault ? " (the watcher's default)" : ""}.`];
  if (changed && !kept) lines.push("Not kept across restarts: the watcher has no state directory.");
  if (open.length > 0) lines.push(`Open: ${devices(open.length)}, ${open.filter((p) => p.ackedBy === null).length} not acknowledged: send fleet.`);
  lines.push("Change with: alerts off, alerts warn, alerts crit. test alert sends you one.");
  return lines.join("\n");
}

/** `test alert`: what the watcher's news looks like, to the one operator who asked. */
export function testText(choice: AlertChoice, now: number, timeZone?: string): string {
  const sample = digestText([{ device: "example-pi", kind: "level", level: "crit", status: "RAM 97% >= 95", at: now }], timeZone);
  const off = choice === "off" ? "; you chose alerts off, so you get no news" : "";
  return `TEST from the watcher, nothing is wrong: its news looks like this\n${sample}\nsent ${clockWithZone(now, timeZone)} at your request${off}`;
}
