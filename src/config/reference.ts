// The README's config reference, rendered from the schema so the two cannot drift (a test compares them;
// `npm run docs` rewrites the README section).
import { schema } from "./schema.js";

interface Leaf {
  doc: string;
  default: unknown;
  env?: string;
  sensitive?: boolean;
  format?: unknown;
}

const isLeaf = (node: object): node is Leaf => "doc" in node && "default" in node;

function leaves(node: object, prefix = ""): [string, Leaf][] {
  return Object.entries(node).flatMap(([key, value]) =>
    isLeaf(value) ? [[`${prefix}${key}`, value] as [string, Leaf]] : leaves(value as object, `${prefix}${key}.`),
  );
}

function shownDefault(key: string, leaf: Leaf): string {
  if (key === "xmpp.resource") return "the hostname";
  if (leaf.sensitive) return '""';
  return JSON.stringify(leaf.default);
}

/** The doc, and for a list of allowed values the values: a reader must not guess them. */
function meaning(leaf: Leaf): string {
  return Array.isArray(leaf.format) ? `${leaf.doc}: ${leaf.format.map((v) => `\`${String(v)}\``).join(", ")}` : leaf.doc;
}

export function configReference(): string {
  const rows = leaves(schema).map(
    ([key, leaf]) => `| \`${key}\` | ${leaf.env ? `\`${leaf.env}\`` : ""} | \`${shownDefault(key, leaf)}\` | ${meaning(leaf).replace(/\|/g, "\\|")} |`,
  );
  return ["| key | env | default | meaning |", "|---|---|---|---|", ...rows].join("\n");
}

export const REFERENCE_START = "<!-- config-reference:start -->";
export const REFERENCE_END = "<!-- config-reference:end -->";

export function withReference(readme: string): string {
  const start = readme.indexOf(REFERENCE_START);
  const end = readme.indexOf(REFERENCE_END);
  if (start < 0 || end < start) throw new Error(`README has no ${REFERENCE_START} ... ${REFERENCE_END} section`);
  return `${readme.slice(0, start + REFERENCE_START.length)}\n${configReference()}\n${readme.slice(end)}`;
}
