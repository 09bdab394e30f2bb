// Config fuzz: a few hundred configs mutated from config/example.json, each run through the real CLI
// (`node dist/cli.js check-config --config FILE`, two at a time). A config the agent must take exits 0 and
// prints the mutated value; any other exits 78 with stderr naming the key (or "config file"), no stack trace,
// never the password. The seed is printed; FUZZ_SEED=<seed> repeats a run, FUZZ_CASES=<n> sets the random ones.
import { once } from "node:events";
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { schema } from "../../src/config/schema.js";
import { captureDir } from "../support/log-capture.js";
import { finished, runCli } from "../support/cli.js";
import { GROUPS, KEYS, getPath, prng } from "./support/fuzz-spec.js";
import { assemble, namedMutations, randomCase, type Context, type FuzzCase } from "./support/fuzz-cases.js";
import { needles } from "./support/secrets-forms.js";
import { listSecret } from "./support/secrets-scan.js";

const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 32));
const RANDOM_CASES = Number(process.env.FUZZ_CASES ?? 200);
const CONCURRENCY = 2;
const SECRET = "kV9#t!Qw2$ zR7&ü";
const EXAMPLE = fileURLToPath(new URL("../../../config/example.json", import.meta.url));

const dir = mkdtempSync(join(tmpdir(), "agent-config-fuzz-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function context(): Context {
  const file = (name: string, text: string) => (writeFileSync(join(dir, name), text), join(dir, name));
  const credentialsDir = join(dir, "credentials");
  mkdirSync(credentialsDir);
  writeFileSync(join(credentialsDir, "xmpp-password"), `${SECRET}\n`);
  return {
    secret: SECRET, dir, credentialsDir,
    passwordFile: file("password", `${SECRET}\n`),
    otherPasswordFile: file("other-password", `${SECRET}\n`),
    emptyFile: file("empty", ""),
  };
}

const KNOWN = new Set([...KEYS, ...GROUPS]);
/** A problem line names what is wrong: a setting (maybe with its env variable), an unknown key, or the file. */
function namesSomething(line: string): boolean {
  if (line.startsWith("config file ") || /: is not a known setting( \(nest it: .*\))?$/.test(line)) return true;
  // "key: ..." from the file, "ENV=value: key ..." (or "ENV (set): key ...") from the environment
  // and "checks[2].url: ..." for one check of the list (docs/checks.md)
  const key = (/^[A-Z_]+(?:=.*?| \(set\)): ([\w.]+) /.exec(line) ?? /^([\w.]+)(?:\[\d+\](?:\.\w+)?)?:/.exec(line))?.[1];
  return key !== undefined && KNOWN.has(key);
}

const leaks = [
  ...needles({ user: "pi-42", domain: "example.org", password: SECRET }).map((n) => n.text),
  // a partial quote counts too (V8's JSON errors quote 10 characters each side of a syntax error)
  ...Array.from({ length: SECRET.length - 5 }, (_, i) => SECRET.slice(i, i + 6)),
];

function whatIsWrong(c: FuzzCase, code: number | null, stdout: string, stderr: string): string[] {
  const wrong: string[] = [];
  if (/^\s+at /m.test(stderr) || stderr.includes("node:internal") || stderr.includes("internal error")) wrong.push("a stack trace");
  if (leaks.some((leak) => stdout.includes(leak) || stderr.includes(leak))) wrong.push("the password (or a part of it)");
  if (c.valid) {
    // An empty xmpp.jid is valid, and check-config says plainly what that means first
    if (code !== 0 || !/^(no XMPP account is set [^\n]*\n)?configuration is valid\n$/.test(stderr)) return [...wrong, `exit ${code}, expected 0`];
    const shown = JSON.parse(stdout) as Record<string, unknown>;
    for (const [key, value] of c.mutations.flatMap((m) => (m.shows ? [m.shows] : []))) {
      try {
        assert.deepEqual(getPath(shown, key), value);
      } catch {
        wrong.push(`${key} printed as ${JSON.stringify(getPath(shown, key))?.slice(0, 60)}, expected ${JSON.stringify(value).slice(0, 60)}`);
      }
    }
    return wrong;
  }
  if (code !== 78) return [...wrong, `exit ${code}, expected 78`];
  const lines = stderr.split("\n").filter(Boolean);
  if (lines.shift() !== "invalid configuration:") wrong.push("no \"invalid configuration:\" heading");
  wrong.push(...lines.filter((line) => !namesSomething(line)).map((line) => `a line naming no key: ${line.slice(0, 100)}`));
  for (const m of c.mutations.filter((m) => !m.valid)) {
    const named = m.names === undefined
      ? lines.some((line) => line.includes(": is not a known setting"))
      : lines.some((line) => line.startsWith(`${m.names}:`) || line.startsWith(`${m.names}[`) || line.includes(`: ${m.names} `) || (m.names === "config file" && line.startsWith("config file ")));
    if (!named) wrong.push(`does not name ${m.names ?? "the unknown key"}`);
  }
  return wrong;
}

/** Runs `check`, `limit` at a time. */
async function inPool<T>(items: T[], limit: number, check: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) await check(items[next++]!);
  }));
}

test("the fuzzer knows every setting of the schema, and no other", () => {
  const leaves = (node: object, prefix = ""): string[] =>
    Object.entries(node).flatMap(([key, value]: [string, object]) =>
      "doc" in value && "default" in value ? [`${prefix}${key}`] : leaves(value, `${prefix}${key}.`));
  assert.deepEqual([...KEYS].sort(), leaves(schema).sort());
});

test(`check-config through the CLI on mutated configs (seed ${SEED})`, async (t) => {
  const ctx = context();
  const capture = captureDir();
  if (capture) listSecret(capture, { user: "pi-42", domain: "example.org", password: SECRET });
  const exampleText = readFileSync(EXAMPLE, "utf8");
  const base = JSON.parse(exampleText) as Record<string, Record<string, unknown>>;
  base.xmpp!.passwordFile = ctx.passwordFile;
  const named = namedMutations(ctx, exampleText);
  const rng = prng(SEED);
  const cases = [
    assemble("base", base, []),
    ...named.map((m, i) => assemble(`named-${i}`, base, [m])),
    ...Array.from({ length: RANDOM_CASES }, (_, i) => randomCase(rng, ctx, base, named, exampleText, `random-${i}`)),
  ];

  const started = Date.now();
  const failures: string[] = [];
  const counts = new Map<string, { valid: number; invalid: number }>();
  await inPool(cases, CONCURRENCY, async (c) => {
    const path = c.configPath ?? join(dir, `${c.id}.json`);
    if (c.text !== null) writeFileSync(path, c.text);
    const cli = runCli(["check-config", "--config", path], c.env);
    const closed = once(cli.child, "close"); // "exit" can come before the last of stderr
    const { code } = await finished(cli, 20_000);
    await closed;
    const wrong = whatIsWrong(c, code, cli.stdout(), cli.stderr());
    if (wrong.length > 0) {
      const what = c.mutations.map((m) => `${m.what} [${m.kind}, ${m.valid ? "valid" : "invalid"}]`).join(" + ") || "the example";
      failures.push(`${c.id}: ${what}: ${wrong.join("; ")}\n    stderr: ${cli.stderr().trim().slice(0, 300).replace(/\n/g, "\n            ")}`);
    }
    for (const m of c.mutations) {
      const count = counts.get(m.kind) ?? { valid: 0, invalid: 0 };
      count[m.valid ? "valid" : "invalid"] += 1;
      counts.set(m.kind, count);
    }
  });

  const valid = cases.filter((c) => c.valid).length;
  t.diagnostic(`seed ${SEED} (repeat: FUZZ_SEED=${SEED} node --test build/test/faults/config-fuzz.test.js)`);
  t.diagnostic(`${cases.length} configs through the CLI in ${((Date.now() - started) / 1000).toFixed(1)} s, ${CONCURRENCY} at a time: ` +
    `${valid} valid (exit 0), ${cases.length - valid} invalid (exit 78); ${named.length + 1} named, ${RANDOM_CASES} random`);
  t.diagnostic(`mutations by kind (valid/invalid): ${[...counts].sort(([a], [b]) => a.localeCompare(b)).map(([kind, n]) => `${kind} ${n.valid}/${n.invalid}`).join(", ")}`);
  assert.equal(failures.length, 0, `${failures.length} of ${cases.length} configs went wrong (seed ${SEED}):\n${failures.slice(0, 25).join("\n")}`);
});
