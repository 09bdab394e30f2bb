// Chat lines -> commands. Case-insensitive, tolerant of extra spaces; anything else is "unknown". Pure.

export const CHAT_COMMANDS = ["status", "help", "cpu", "mem", "disk", "temp", "net", "uptime", "version", "silence", "unsilence"] as const;
export type ChatCommandName = (typeof CHAT_COMMANDS)[number];

export type ChatCommand =
  | { name: Exclude<ChatCommandName, "silence"> }
  | { name: "silence"; minutes: number; reason: string }
  | { name: "invalid"; message: string }
  | { name: "unknown"; word: string };

/** The longest maintenance window a chat line can ask for: a week. */
export const MAX_SILENCE_MINUTES = 7 * 24 * 60;

const ALIASES: Record<string, ChatCommandName> = { memory: "mem", ram: "mem", temperature: "temp", network: "net", "?": "help" };

export function parseChatCommand(body: string): ChatCommand {
  const words = body.trim().split(/\s+/);
  const first = (words[0] ?? "").toLowerCase().replace(/^\//, "");
  const name = ALIASES[first] ?? (CHAT_COMMANDS as readonly string[]).find((c) => c === first);
  if (!name) return { name: "unknown", word: first.slice(0, 40) };
  if (name === "silence") {
    const minutes = Number(words[1]);
    if (!words[1] || !Number.isInteger(minutes) || minutes < 1 || minutes > MAX_SILENCE_MINUTES) {
      return { name: "invalid", message: `usage: silence MINUTES [reason], MINUTES from 1 to ${MAX_SILENCE_MINUTES}` };
    }
    return { name, minutes, reason: words.slice(2).join(" ").slice(0, 100) };
  }
  return { name } as ChatCommand;
}
