// What may be shown of a config: everything but secrets, which become "[redacted]" (empty stays empty,
// so a reader can tell "not set" from "set").
import type { AgentConfig } from "./load.js";

export const REDACTED = "[redacted]";

/**
 * The logger's redaction: a key named `password` up to four levels deep, so a config ({xmpp: {password}}), a config
 * under a key ({config: ...}) or an error carrying one ({err: {config: {xmpp: {password}}}}) logged by mistake
 * shows [redacted]. pino's paths have no "any depth"; deeper than this, the suite-wide log scan is the net.
 */
export const SECRET_PATHS = ["password", "*.password", "*.*.password", "*.*.*.password"];

export function redactConfig(config: AgentConfig): AgentConfig {
  return {
    ...config,
    xmpp: { ...config.xmpp, password: config.xmpp.password === "" ? "" : REDACTED },
  };
}
