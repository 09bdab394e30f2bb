// The config after an enrolment: xmpp.jid set, the password's one source named, operators added. Pure; every other
// key stays as it was, in its place.
import { operatorPolicy } from "../roster/operators.js";
import { UNIT_PASSWORD_FILE } from "./files.js";

export interface Enrolled {
  jid: string;
  /** Where the password was written. */
  passwordFile: string;
  /** Operators whose roster invitation was redeemed. */
  operators: string[];
}

export function enrolledConfig(existing: Record<string, unknown> | null, { jid, passwordFile, operators }: Enrolled): Record<string, unknown> {
  const config = { ...(existing ?? {}) };
  const xmpp: Record<string, unknown> = { ...((config.xmpp as Record<string, unknown> | undefined) ?? {}), jid };
  // Exactly one password source (src/config/load.ts): the unit's credential needs no key, any other file does,
  // and a password in the config belonged to the account this one replaces
  delete xmpp.password;
  if (passwordFile === UNIT_PASSWORD_FILE) delete xmpp.passwordFile;
  else xmpp.passwordFile = passwordFile;
  config.xmpp = xmpp;
  const listed = Array.isArray(config.operators) ? (config.operators as string[]) : [];
  const policy = operatorPolicy(listed);
  const added = operators.filter((operator) => !policy.isOperator(operator));
  if (added.length > 0 || config.operators !== undefined) config.operators = [...listed, ...new Set(added)];
  return config;
}

export function configText(config: Record<string, unknown>): string {
  return `${JSON.stringify(config, null, 2)}\n`;
}
