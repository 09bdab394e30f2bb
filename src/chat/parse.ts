// Chat lines -> commands. Case-insensitive, tolerant of extra spaces; anything else is "unknown". Pure.
import { MAX_SILENCE_MINUTES, silenceMinutes, silenceReason } from "../maintenance/silence-request.js";

export const CHAT_COMMANDS = ["status", "help", "cpu", "mem", "disk", "temp", "net", "uptime", "version", "silence", "unsilence", "checks"] as const;
export type ChatCommandName = (typeof CHAT_COMMANDS)[number];

export type ChatCommand =
  | { name: Exclude<ChatCommandName, "silence"> }
  | { name: "silence"; minutes: number; reason: string }
  | { name: "invalid"; message: string }
  | { name: "unknown"; word: string };

const ALIASES: Record<string, ChatCommandName> = { memory: "mem", ram: "mem", temperature: "temp", network: "net", "?": "help", check: "checks" };

export function parseChatCommand(body: string): ChatCommand {
  const words = body.trim().split(/\s+/);
  const first = (words[0] ?? "").toLowerCase().replace(/^\//, "");
  const name = ALIASES[first] ?? (CHAT_COMMANDS as readonly string[]).find((c) => c === first);
  if (!name) return { name: "unknown", word: first.slice(0, 40) };
  if (name === "silence") {
    const minutes = silenceMinutes(words[1] ?? "");
    if (minutes === null) return { name: "invalid", message: `usage: silence MINUTES [reason], MINUTES from 1 to ${MAX_SILENCE_MINUTES}` };
    return { name, minutes, reason: silenceReason(words.slice(2).join(" ")) };
  }
  return { name } as ChatCommand;
}
