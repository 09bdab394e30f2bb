// What may be shown of a config: everything but secrets, which become "[redacted]" (empty stays empty,
// so a reader can tell "not set" from "set").
import type { AgentConfig } from "./load.js";

export const REDACTED = "[redacted]";

/** Paths to secrets, shared with the logger's redaction so the two cannot disagree. */
export const SECRET_PATHS = ["xmpp.password", "password", "*.password", "config.xmpp.password"];

export function redactConfig(config: AgentConfig): AgentConfig {
  return {
    ...config,
    xmpp: { ...config.xmpp, password: config.xmpp.password === "" ? "" : REDACTED },
  };
}
