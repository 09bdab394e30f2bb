// Loading: defaults < JSON file (--config or AGENT_CONFIG) < environment, then cross-key checks.
// Every failure is a ConfigError whose message names the key (and the env variable with its value, where the
// value came from there), one line per problem, all of them at once; the CLI turns it into exit 78.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import convict from "convict";
import { schema } from "./schema.js";
import { bareJid, jidList, mountList, operatorList, resourcePart, service } from "./formats.js";
import { envProblems, envSetting, fileProblems, kind, settingAt, shown, wellShaped } from "./shape.js";
import { checkProblems } from "../checks/spec.js";

convict.addFormats({
  [bareJid.name]: bareJid, [service.name]: service, [operatorList.name]: operatorList, [mountList.name]: mountList,
  [resourcePart.name]: resourcePart, [jidList.name]: jidList,
});

export interface Levels { warn: number; crit: number }

export interface AgentConfig {
  xmpp: {
    service: string; jid: string; password: string; passwordFile: string; resource: string;
    allowInsecure: boolean; keepaliveSeconds: number; keepaliveTimeoutSeconds: number; reconnectMaxSeconds: number;
    loginStepTimeoutSeconds: number;
  };
  operators: string[];
  sampling: { intervalSeconds: number; disks: string[] };
  thresholds: {
    cpu: Levels; memory: Levels; disk: Levels; temperature: Levels; load: Levels;
    power: "ignore" | "warn" | "crit";
  };
  presence: { raiseAfter: number; clearAfter: number; minIntervalSeconds: number; refreshSeconds: number; priority: number };
  fleet: { room: string; nick: string; announce: boolean; announceMinIntervalSeconds: number };
  alerts: { level: "off" | "warn" | "crit"; remindMinutes: number; flapChanges: number; flapMinutes: number; maxPerMinute: number; stateDirectory: string };
  checks: Record<string, unknown>[];
  /** The fleet watch (`xmpp-device-agent watch`): src/watch/. */
  watch: { devices: string[]; pingSeconds: number; digestSeconds: number };
  log: { level: string };
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

export interface LoadOptions {
  file?: string;
  env?: NodeJS.ProcessEnv;
}

export function loadConfig({ file, env = process.env }: LoadOptions = {}): AgentConfig {
  const path = file ?? env.AGENT_CONFIG;
  const fromFile = path ? readJson(path) : null;
  const problems = [...(fromFile ? fileProblems(fromFile) : []), ...envProblems(env)];
  if (fromFile && Array.isArray(fromFile.checks)) problems.push(...checkProblems(fromFile.checks));
  // What is refused above stays out of convict's way, so the rest is still checked: every problem in one run
  const usableEnv = Object.fromEntries(Object.entries(env).filter(([name, value]) => envProblems({ [name]: value }).length === 0));
  // convict reads env in the constructor and again after load(): env beats the file, per key
  const store = convict(schema, { env: usableEnv, args: [] });
  if (fromFile) store.load(wellShaped(fromFile));
  try {
    store.validate({ allowed: "strict" });
  } catch (err) {
    problems.push(...tidy((err as Error).message).split("\n").map((line) => fromEnv(withValue(line, (key) => store.get(key as never)), usableEnv)));
  }
  const config = store.getProperties() as unknown as AgentConfig;
  problems.push(...acrossKeys(config, env));
  if (problems.length > 0) throw new ConfigError(problems.join("\n"));
  return config;
}

/** convict leaves out a falsy value ("must be a whole number from 1 to 100"); the user needs it to find the line. */
function withValue(line: string, valueOf: (key: string) => unknown): string {
  const key = /^([\w.]+): /.exec(line)?.[1];
  const setting = key === undefined ? null : settingAt(key);
  if (!setting || setting.sensitive || line.includes(": value was ")) return line;
  return `${line}: value was ${shown(valueOf(key!))}`;
}

/** convict's "key: must be ...: value was ..." for a value the environment gave: "ENV=value: key must be ...". */
function fromEnv(line: string, env: NodeJS.ProcessEnv): string {
  const match = /^([\w.]+): (.*?)(: value was .*)?$/s.exec(line);
  const setting = match ? settingAt(match[1]!) : null;
  const value = setting?.env === undefined ? undefined : env[setting.env];
  if (!match || value === undefined) return line;
  return `${envSetting(setting!.env!, value, setting!.sensitive)}: ${match[1]} ${match[2]}`;
}

export function readJson(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new ConfigError(`config file ${path}: cannot be read (${(err as NodeJS.ErrnoException).code ?? "error"})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`config file ${path}: not valid JSON (${syntaxError(text, (err as Error).message)})`);
  }
  // `null`, `[]` or `42` would otherwise pass as "no settings"
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ConfigError(`config file ${path}: must be a JSON object like {"xmpp": {"jid": ...}}, found ${kind(value, false)}`);
  }
  return value as Record<string, unknown>;
}

/** Where a JSON syntax error is, without V8's quote of the text around it: that text may be the password. */
function syntaxError(text: string, message: string): string {
  const lineColumn = (position: number) => {
    const lines = text.slice(0, position).split("\n");
    return `line ${lines.length}, column ${lines.at(-1)!.length + 1}`;
  };
  const at = /^(.*?) in JSON at position (\d+)/s.exec(message);
  if (at) return `${at[1]} at ${lineColumn(Number(at[2]))}`;
  // "Unexpected token 'h', ..."assword": hunter2-se"... is not valid JSON": 10 characters each side of it
  const quoted = /^Unexpected token .*?, \.\.\."(.*)"\.\.\. is not valid JSON$/s.exec(message);
  if (quoted && text.includes(quoted[1]!)) return `unexpected character at ${lineColumn(text.indexOf(quoted[1]!) + 10)}`;
  return /["']/.test(message) ? "unexpected character" : message;
}

/** convict joins several problems with newlines and says "configuration param"; keep one problem per line. */
function tidy(message: string): string {
  return message
    .split("\n")
    .map((line) => line.replace(/^configuration param '([^']+)' not declared in the schema$/, "$1: is not a known setting"))
    .join("\n");
}

function acrossKeys(config: AgentConfig, env: NodeJS.ProcessEnv): string[] {
  const problems: string[] = [];
  for (const metric of ["cpu", "memory", "disk", "temperature", "load"] as const) {
    const { warn, crit } = config.thresholds[metric];
    if (warn >= crit) {
      problems.push(`thresholds.${metric}.warn: must be below thresholds.${metric}.crit (${crit}): value was ${warn}`);
    }
  }
  if (config.xmpp.jid !== "") {
    const sources = passwordSources(config, env);
    if (sources.length === 0) {
      problems.push("xmpp.password: no password given: set xmpp.password, xmpp.passwordFile or $CREDENTIALS_DIRECTORY/xmpp-password");
    } else if (sources.length > 1) {
      problems.push(`xmpp.password: given twice (${sources.join(" and ")}); keep exactly one source`);
    }
  }
  return problems;
}

function credentialPath(env: NodeJS.ProcessEnv): string | null {
  const dir = env.CREDENTIALS_DIRECTORY;
  return dir ? join(dir, "xmpp-password") : null;
}

/** Every place a password is set; exactly one is allowed, so no one wonders which wins. */
function passwordSources(config: AgentConfig, env: NodeJS.ProcessEnv): string[] {
  const sources: string[] = [];
  if (config.xmpp.password !== "") sources.push("xmpp.password");
  if (config.xmpp.passwordFile !== "") sources.push("xmpp.passwordFile");
  const credential = credentialPath(env);
  if (credential && existsSync(credential)) sources.push(credential);
  return sources;
}

/** The password itself, read from its one source. Errors name the source, never the secret. */
export function readPassword(config: AgentConfig, env: NodeJS.ProcessEnv = process.env): string {
  if (config.xmpp.password !== "") return config.xmpp.password;
  const file = config.xmpp.passwordFile || credentialPath(env);
  if (!file) throw new ConfigError("xmpp.password: no password given");
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new ConfigError(`xmpp.passwordFile: ${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? "error"})`);
  }
  const password = text.split(/\r?\n/)[0] ?? "";
  if (password === "") throw new ConfigError(`xmpp.passwordFile: ${file} is empty`);
  return password;
}
