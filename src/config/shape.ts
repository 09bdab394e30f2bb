// What convict lets through that a user would not mean, refused by key before convict reads the config:
// it merges an object into a list, reads "5abc" as 5 and "0" or "maybe" as true (XMPP_ALLOW_INSECURE!),
// ignores "__proto__" and dotted keys, and trips over a scalar where a group of settings belongs.
import { schema } from "./schema.js";

interface Leaf { doc: string; default: unknown; env?: string; sensitive?: boolean }

const isLeaf = (node: object): node is Leaf => "doc" in node && "default" in node;
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
/** A strict decimal number, as JSON writes one; what parseFloat would half-read ("5abc", "10s") is refused. */
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** The value as it appears in a message: JSON, cut short (a config error is read on a terminal). */
export function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** What was found instead; the value itself only where it cannot be a secret. */
export function kind(value: unknown, withValue = true): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "an object";
  return withValue ? `${typeof value} ${shown(value)}` : `a ${typeof value}`;
}

/** What is wrong with one setting's JSON value, or null. */
function leafProblem(path: string, spec: Leaf, child: unknown): string | null {
  if (typeof spec.default === "string" && typeof child !== "string") return `${path}: must be a string, found ${kind(child, !spec.sensitive)}`;
  if (typeof spec.default === "number" && typeof child !== "number") return `${path}: must be a number, found ${kind(child)}`;
  if (typeof spec.default === "boolean" && typeof child !== "boolean") return `${path}: must be true or false, found ${kind(child)}`;
  if (Array.isArray(spec.default) && !Array.isArray(child)) return `${path}: must be a list, found ${kind(child)}`;
  return null;
}

/** The file without what fileProblems refuses, so convict can still check the rest: every problem in one run. */
export function wellShaped(value: Record<string, unknown>, node: object = schema, prefix = ""): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (!Object.hasOwn(node, key)) continue;
    const spec = (node as Record<string, object>)[key]!;
    if (!isLeaf(spec)) {
      if (isObject(child)) kept[key] = wellShaped(child, spec, `${prefix}${key}.`);
    } else if (leafProblem(`${prefix}${key}`, spec, child) === null) kept[key] = child;
  }
  return kept;
}

/** The setting at a dotted key, or null. */
export function settingAt(key: string): Leaf | null {
  const node = key.split(".").reduce<object | undefined>((n, part) => (n && Object.hasOwn(n, part) ? (n as Record<string, object>)[part] : undefined), schema);
  return node && isLeaf(node) ? node : null;
}

/** "AGENT_INTERVAL=0": how a problem from the environment starts, the value shown unless it is a secret. */
export function envSetting(name: string, value: string, sensitive = false): string {
  if (sensitive) return `${name} (set)`;
  return /^[^\s"'\\]{1,60}$/.test(value) ? `${name}=${value}` : `${name}=${shown(value)}`;
}

/** The JSON file's problems, one line each; an empty list when its shape matches the schema. */
export function fileProblems(value: Record<string, unknown>, node: object = schema, prefix = ""): string[] {
  return Object.entries(value).flatMap(([key, child]) => {
    const path = `${prefix}${key}`;
    if (!Object.hasOwn(node, key)) {
      const name = /^[\w.*-]{1,60}$/.test(path) ? path : shown(path);
      const parts = key.split(".");
      const hint = parts.length > 1 ? ` (nest it: ${parts.map((p) => `{"${p}": `).join("")}...${"}".repeat(parts.length)})` : "";
      return [`${name}: is not a known setting${hint}`];
    }
    const spec = (node as Record<string, object>)[key]!;
    if (!isLeaf(spec)) {
      if (!isObject(child)) return [`${path}: must be an object with ${Object.keys(spec).join(", ")}, found ${kind(child, false)}`];
      return fileProblems(child, spec, `${path}.`);
    }
    const problem = leafProblem(path, spec, child);
    return problem === null ? [] : [problem];
  });
}

/** The environment's problems: numbers and flags must be written out, not half-parsed. */
export function envProblems(env: NodeJS.ProcessEnv, node: object = schema, prefix = ""): string[] {
  return Object.entries(node).flatMap(([key, spec]: [string, object]) => {
    if (!isLeaf(spec)) return envProblems(env, spec, `${prefix}${key}.`);
    const value = spec.env === undefined ? undefined : env[spec.env];
    if (value === undefined) return [];
    const where = `${envSetting(spec.env!, value, spec.sensitive)}: ${prefix}${key}`;
    if (typeof spec.default === "number" && !(NUMBER.test(value.trim()) && Number.isFinite(Number(value)))) return [`${where} must be a number`];
    if (typeof spec.default === "boolean" && !/^(true|false)$/i.test(value)) return [`${where} must be true or false`];
    return [];
  });
}
