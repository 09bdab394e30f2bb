// The chat replies about alerts that are not alerts themselves: what an operator gets (`alerts`). Pure.
import type { Level } from "../health/level.js";
import type { AlertChoice } from "./choices.js";

const WHAT: Record<AlertChoice, string> = {
  off: "no alerts",
  warn: "alerts at WARN or worse (WARN, CRIT, UNREADABLE)",
  crit: "alerts at CRIT or worse (CRIT, UNREADABLE)",
};

export interface ChoiceView {
  choice: AlertChoice;
  changed: boolean;
  deviceDefault: AlertChoice;
  /** Whether choices survive a restart (a state directory). */
  kept: boolean;
  subscribed: boolean;
  open: { id: string; level: Level; opened: string; ackedBy: string | null } | null;
}

export function describeChoice({ choice, changed, deviceDefault, kept, subscribed, open }: ChoiceView): string {
  const lines = [
    `${changed ? "From now on you get" : "You get"} ${WHAT[choice]}${choice === deviceDefault ? " (the device's default)" : ""}.`,
  ];
  if (changed && !kept) lines.push("Not kept across restarts: the agent has no state directory.");
  if (!subscribed) lines.push("But you are not subscribed to this device's presence, so you get none: accept its subscription request.");
  if (open) lines.push(`Open: alert ${open.id}, ${open.level.toUpperCase()}, since ${open.opened}, ${open.ackedBy ? `acknowledged by ${open.ackedBy}` : "not acknowledged"}.`);
  lines.push("Change with: alerts off, alerts warn, alerts crit. test alert sends you one.");
  return lines.join("\n");
}
