// Secrets: no password reaches a log line, an error or check-config's output. The last test scans every line
// the whole suite captured (`npm test` sets AGENT_TEST_CAPTURE_DIR, see test/support/log-capture.ts) for every
// password registered on a throwaway Prosody, in every form of support/secrets-forms.ts; run it after `npm test`.
import { once } from "node:events";
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadConfig } from "../../src/config/load.js";
import { createLogger } from "../../src/log.js";
import { startProsody, type ThrowawayProsody } from "../servers/prosody/throwaway.js";
import { CAPTURE_ENV, captureDir } from "../support/log-capture.js";
import { finished, runCli, type Running } from "../support/cli.js";
import { logSink } from "../support/log-sink.js";
import { needles, type Secret } from "./support/secrets-forms.js";
import { listSecret, scanCapture } from "./support/secrets-scan.js";

// Run alone (not after `npm test`), this file still captures its own lines and scans those
const DIR = captureDir() ?? fileURLToPath(new URL("../../../build/test-capture", import.meta.url));
process.env[CAPTURE_ENV] ??= DIR;

const tmp = mkdtempSync(join(tmpdir(), "agent-secrets-"));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** finished(), and the end of the output too: "exit" can come before the last of stderr. */
async function ended(cli: Running, timeoutMs: number): Promise<number | null> {
  const closed = once(cli.child, "close");
  const { code } = await finished(cli, timeoutMs);
  await closed;
  return code;
}

/** Fails naming the form and where, never printing the password itself. */
function assertNowhere(secret: Secret, outputs: Record<string, string>) {
  for (const { form, text } of needles(secret)) {
    for (const [where, output] of Object.entries(outputs)) {
      assert.equal(output.includes(text), false, `the password (${form}) is in ${where}`);
    }
  }
}

describe("check-config, run through the CLI", () => {
  const secret: Secret = { user: "pi-42", domain: "example.org", password: "cc-Hunter2 sec/ret+%&" };
  const passwordFile = join(tmp, "password");
  const configFile = join(tmp, "config.json");
  before(() => {
    listSecret(DIR, secret);
    writeFileSync(passwordFile, `${secret.password}\n`);
    writeFileSync(configFile, JSON.stringify({ xmpp: { jid: "pi-42@example.org", passwordFile } }));
  });
  const check = async (args: string[], env: Record<string, string>) => {
    const cli = runCli(["check-config", ...args], env);
    const code = await ended(cli, 10_000);
    assertNowhere(secret, { stdout: cli.stdout(), stderr: cli.stderr() });
    return { code, stdout: cli.stdout(), stderr: cli.stderr() };
  };

  test("with XMPP_PASSWORD it prints the config with the password as [redacted]", async () => {
    const { code, stdout } = await check([], { XMPP_JID: "pi-42@example.org", XMPP_PASSWORD: secret.password });
    assert.equal(code, 0);
    assert.equal((JSON.parse(stdout) as { xmpp: { password: string } }).xmpp.password, "[redacted]");
  });

  test("with a passwordFile or a systemd credential it prints the file's path, never what is in it", async () => {
    const fromFile = await check(["--config", configFile], {});
    assert.equal(fromFile.code, 0);
    const { xmpp } = JSON.parse(fromFile.stdout) as { xmpp: { password: string; passwordFile: string } };
    assert.deepEqual([xmpp.password, xmpp.passwordFile], ["", passwordFile]);
    const credentials = join(tmp, "credentials");
    mkdirSync(credentials);
    writeFileSync(join(credentials, "xmpp-password"), `${secret.password}\n`);
    const fromSystemd = await check([], { XMPP_JID: "pi-42@example.org", CREDENTIALS_DIRECTORY: credentials });
    assert.equal(fromSystemd.code, 0);
  });

  const invalid: [string, string[], Record<string, string>, RegExp][] = [
    ["a bad interval", [], { XMPP_JID: "pi-42@example.org", XMPP_PASSWORD: secret.password, AGENT_INTERVAL: "-3" }, /^AGENT_INTERVAL=-3: sampling\.intervalSeconds /m],
    ["a bad JID", [], { XMPP_JID: "pi-42", XMPP_PASSWORD: secret.password }, /^XMPP_JID=pi-42: xmpp\.jid /m],
    ["two password sources", ["--config", configFile], { XMPP_PASSWORD: secret.password }, /^xmpp\.password: given twice/m],
    ["XMPP_ALLOW_INSECURE=maybe", [], { XMPP_JID: "pi-42@example.org", XMPP_PASSWORD: secret.password, XMPP_ALLOW_INSECURE: "maybe" }, /^XMPP_ALLOW_INSECURE=maybe: xmpp\.allowInsecure /m],
  ];
  for (const [what, args, env, names] of invalid) {
    test(`${what} with a password set: exit 78, the key named, the password nowhere`, async () => {
      const { code, stderr } = await check(args, env);
      assert.equal(code, 78);
      assert.match(stderr, names);
    });
  }

  const badFiles: [string, string, RegExp][] = [
    ["the password as a list", JSON.stringify({ xmpp: { password: [secret.password] } }), /^xmpp\.password: must be a string, found a list$/m],
    ["the password under a misspelt key", JSON.stringify({ xmpp: { pasword: secret.password } }), /^xmpp\.pasword: is not a known setting$/m],
    ["the password unquoted", `{"xmpp": {"password": ${secret.password}}}`, /^config file .*: not valid JSON \(unexpected character at line 1, column 23\)$/m],
    ["the password in single quotes", `{\n  "xmpp": {\n    "password": '${secret.password}'\n  }\n}`, /^config file .*: not valid JSON/m],
    ["the password where the xmpp group belongs", JSON.stringify({ xmpp: secret.password }), /^xmpp: must be an object with .*, found a string$/m],
  ];
  for (const [what, text, names] of badFiles) {
    test(`a config file with ${what}: exit 78, the key named, the password nowhere (not even V8's quote of the JSON)`, async () => {
      const file = join(tmp, `${what.replace(/\W+/g, "-")}.json`);
      writeFileSync(file, text);
      const { code, stderr } = await check(["--config", file], {});
      assert.equal(code, 78);
      assert.match(stderr, names);
    });
  }
});

test("pino's redaction: a password in a config or an error logged by mistake shows as [redacted]", () => {
  const password = "redact-Hunter2-pw";
  listSecret(DIR, { user: "pi-42", domain: "example.org", password });
  const config = loadConfig({ env: { XMPP_JID: "pi-42@example.org", XMPP_PASSWORD: password } });
  const sink = logSink();
  const log = createLogger("trace", sink.stream);
  const mistakes: [string, () => void][] = [
    ["the config as the object", () => log.info(config, "config")],
    ["the config under a key", () => log.info({ config }, "config")],
    ["the xmpp settings", () => log.debug({ xmpp: config.xmpp }, "xmpp")],
    ["credentials", () => log.debug({ credentials: { username: "pi-42", password } }, "authenticating")],
    ["an error carrying the password", () => log.error({ err: Object.assign(new Error("login failed"), { password }) }, "login")],
    ["an error carrying options", () => log.error({ err: Object.assign(new Error("login failed"), { options: { password } }) }, "login")],
    ["an error carrying the config", () => log.error({ err: Object.assign(new Error("bad"), { config }) }, "config")],
    ["an error as the object", () => log.error(Object.assign(new Error("bad"), { config }), "config")],
    ["a config inside a state", () => log.warn({ agent: { config } }, "state")],
    ["a child's bindings", () => log.child({ config }).info("child")],
  ];
  for (const [what, mistake] of mistakes) {
    const before = sink.lines.length;
    mistake();
    const line = sink.lines.slice(before).join("\n");
    assert.equal(line.includes(password), false, `${what}: ${line}`);
    assert.match(line, /"\[redacted\]"/, what);
  }
});

describe("the agent logged in with a password full of special characters", () => {
  // A space, quotes, a backslash, URL and HTML specials, non-ASCII: each form of the scan differs from the others
  const password = `Sp3c!al pa$$/wö"rd+&=%'<>\\#?`;
  const wrong = `Wr0ng "pa$$" wörd/+&=%`;
  let prosody: ThrowawayProsody;
  let jid: string;
  before(async () => {
    prosody = await startProsody();
    jid = await prosody.register("special", password);
    listSecret(DIR, { user: "special", domain: prosody.domain, password: wrong });
  });
  after(async () => prosody?.stop());
  const env = (pw: string) => ({ XMPP_SERVICE: prosody.service, XMPP_JID: jid, XMPP_PASSWORD: pw, AGENT_INTERVAL: "1", AGENT_LOG_LEVEL: "trace" });

  test("at trace level it goes online and stops, and its output holds no form of the password", async () => {
    const agent = runCli(["run"], env(password));
    try {
      const deadline = Date.now() + 15_000;
      while (!/"msg":"online"/.test(agent.stdout()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      assert.match(agent.stdout(), /"msg":"online"/, agent.stdout() + agent.stderr());
      agent.child.kill("SIGTERM");
      assert.equal(await ended(agent, 5000), 0);
      assertNowhere({ user: "special", domain: prosody.domain, password }, { stdout: agent.stdout(), stderr: agent.stderr() });
    } finally {
      agent.child.kill("SIGKILL");
    }
  });

  test("refused with a wrong one, it exits 77 and shows neither password", async () => {
    const agent = runCli(["run"], env(wrong));
    assert.equal(await ended(agent, 15_000), 77);
    for (const pw of [password, wrong]) assertNowhere({ user: "special", domain: prosody.domain, password: pw }, { stdout: agent.stdout(), stderr: agent.stderr() });
  });
});

test("every log line the test suite captured holds none of its passwords, in any form", (t) => {
  const scan = scanCapture(DIR);
  t.diagnostic(`${DIR}: ${scan.lines} lines in ${scan.files} files (${Object.entries(scan.linesBySource).map(([s, n]) => `${s} ${n}`).join(", ")}), ` +
    `${scan.secrets} passwords in ${scan.needles} forms, ${scan.hits.length} hits`);
  // A scan of nothing proves nothing: both capture paths must have delivered
  assert.ok(scan.secrets > 0 && scan.files > 0, `nothing captured in ${DIR}: run \`npm test\` first (it sets ${CAPTURE_ENV})`);
  assert.ok((scan.linesBySource.sink ?? 0) > 0, "no line from the in-process log sink (test/support/log-sink.ts) was captured");
  assert.ok((scan.linesBySource.cli ?? 0) > 0, "no line from a CLI child (test/support/cli.ts) was captured");
  const shown = scan.hits.slice(0, 20).map((h) => `${h.file}:${h.line}: ${h.user}'s password (${h.form})`);
  assert.equal(scan.hits.length, 0, `passwords in the captured logs:\n${shown.join("\n")}`);
});
