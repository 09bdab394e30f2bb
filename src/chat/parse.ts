// Chat lines -> commands. Case-insensitive, tolerant of extra spaces; anything else is "unknown". Pure.
import { MAX_SILENCE_MINUTES, silenceMinutes, silenceReason } from "../maintenance/silence-request.js";

export const CHAT_COMMANDS = ["status", "help", "cpu", "mem", "disk", "temp", "net", "uptime", "version", "silence", "unsilence", "checks"] as const;
export type ChatCommandName = (typeof CHAT_COMMANDS)[number];

export type ChatCommand =
  | { name: Exclude<ChatCommandName, "silence"> }
  | { name: "silence"; minutes: number; reason: string }
  | AlertChatCommand
  | { name: "invalid"; message: string }
  | { name: "unknown"; word: string };

const ALIASES: Record<string, ChatCommandName> = { memory: "mem", ram: "mem", temperature: "temp", network: "net", "?": "help", check: "checks" };

export function parseChatCommand(body: string): ChatCommand {
  const words = body.trim().split(/\s+/);
  const first = (words[0] ?? "").toLowerCase().replace(/^\//, "");
  const alertCommand = parseAlertCommand(first, words.slice(1));
  if (alertCommand) return alertCommand;
  const name = ALIASES[first] ?? (CHAT_COMMANDS as readonly string[]).find((c) => c === first);
  if (!name) return { name: "unknown", word: first.slice(0, 40) };
  if (name === "silence") {
    const minutes = silenceMinutes(words[1] ?? "");
    if (minutes === null) return { name: "invalid", message: `usage: silence MINUTES [reason], MINUTES from 1 to ${MAX_SILENCE_MINUTES}` };
    return { name, minutes, reason: silenceReason(words.slice(2).join(" ")) };
  }
  return { name } as ChatCommand;
}

// Alerts (src/alerts) and what the ad-hoc commands do, for clients without ad-hoc commands:
// `ack [ID]`, `alerts [off|warn|crit]`, `test alert`, `thresholds`, `sample`.
export type AlertChatCommand =
  | { name: "ack"; id?: string }
  | { name: "alerts"; choice?: "off" | "warn" | "crit" }
  | { name: "test alert" }
  | { name: "thresholds" }
  | { name: "sample" };

function parseAlertCommand(first: string, rest: string[]): ChatCommand | null {
  const second = (rest[0] ?? "").toLowerCase();
  switch (first) {
    case "ack":
      if (rest.length > 1 || !/^[0-9a-z]{0,8}$/.test(second)) return { name: "invalid", message: "usage: ack, or ack ID (the alert's id, like 0k3f)" };
      return second ? { name: "ack", id: second } : { name: "ack" };
    case "alerts":
      if (rest.length === 0) return { name: "alerts" };
      if (rest.length === 1 && (second === "off" || second === "warn" || second === "crit")) return { name: "alerts", choice: second };
      return { name: "invalid", message: "usage: alerts (what you get), or alerts off, alerts warn, alerts crit" };
    case "test":
      return second === "alert" && rest.length === 1 ? { name: "test alert" } : { name: "invalid", message: "usage: test alert" };
    case "thresholds":
      return { name: "thresholds" };
    case "sample":
      return { name: "sample" };
  }
  return null;
}
