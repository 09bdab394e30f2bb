// `ack`: acknowledge the device's open alert from a client's command menu (one stage), as the chat `ack`
// does: reminders stop and the other operators are told who acknowledged (src/alerts).
import { completed, type AdhocCommand } from "./command.js";

export function ackCommand({ ack }: { ack(from: string): string }): AdhocCommand {
  return {
    node: "ack",
    name: "Acknowledge the open alert",
    start: (from) => {
      const text = ack(from);
      return completed([{ type: text.startsWith("acknowledged") ? "info" : "warn", text }]);
    },
  };
}
