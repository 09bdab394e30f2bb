import { after, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, loadConfig, readPassword } from "./load.js";

const dir = mkdtempSync(join(tmpdir(), "agent-config-test-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, content: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content));
  return path;
};
const errorOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
    return err.message;
  }
  assert.fail("expected an error");
};

test("with no file and no env the defaults are valid", () => {
  const config = loadConfig({ env: {} });
  assert.equal(config.sampling.intervalSeconds, 10);
  assert.deepEqual(config.operators, []);
});

test("a negative interval is refused naming the key, the value and what was expected", () => {
  const message = errorOf(() => loadConfig({ file: file("neg.json", { sampling: { intervalSeconds: -1 } }), env: {} }));
  assert.match(message, /sampling\.intervalSeconds/);
  assert.match(message, /-1/);
  assert.match(message, /from 0\.5 to 86400/);
});

test("env overrides the file, per key; operators come comma-separated", () => {
  const path = file("both.json", { sampling: { intervalSeconds: 30 }, operators: ["a@x.org"] });
  const config = loadConfig({ file: path, env: { AGENT_INTERVAL: "5", AGENT_OPERATORS: " Bob@Y.org , *@ops.org" } });
  assert.equal(config.sampling.intervalSeconds, 5);
  assert.deepEqual(config.operators, ["bob@y.org", "*@ops.org"]);
});

test("warn must be below crit", () => {
  const message = errorOf(() => loadConfig({ file: file("wc.json", { thresholds: { cpu: { warn: 90, crit: 80 } } }), env: {} }));
  assert.match(message, /thresholds\.cpu\.warn: must be below thresholds\.cpu\.crit/);
});

test("unknown keys, bad JIDs and bad services are refused by name", () => {
  assert.match(errorOf(() => loadConfig({ file: file("u.json", { samplng: {} }), env: {} })), /samplng/);
  assert.match(errorOf(() => loadConfig({ env: { XMPP_JID: "no-at-sign", XMPP_PASSWORD: "p" } })), /xmpp\.jid: must be a bare JID/);
  assert.match(errorOf(() => loadConfig({ env: { XMPP_SERVICE: "http://x" } })), /xmpp\.service/);
  assert.match(errorOf(() => loadConfig({ env: { AGENT_OPERATORS: "alice" } })), /operators: .*"alice"/);
  assert.match(errorOf(() => loadConfig({ file: file("bad.json", "{ nope"), env: {} })), /not valid JSON/);
  assert.match(errorOf(() => loadConfig({ file: join(dir, "missing.json"), env: {} })), /cannot be read \(ENOENT\)/);
});

test("a JID needs exactly one password source", () => {
  assert.match(errorOf(() => loadConfig({ env: { XMPP_JID: "d@x.org" } })), /xmpp\.password: no password given/);
  const pwFile = file("pw", "s3cret-from-file\n");
  const twice = errorOf(() => loadConfig({ env: { XMPP_JID: "d@x.org", XMPP_PASSWORD: "hunter2-twice", XMPP_PASSWORD_FILE: pwFile } }));
  assert.match(twice, /given twice/);
  assert.doesNotMatch(twice, /hunter2-twice/);
  const credentials = join(dir, "credentials");
  mkdirSync(credentials);
  writeFileSync(join(credentials, "xmpp-password"), "from-systemd\n");
  const config = loadConfig({ env: { XMPP_JID: "d@x.org", CREDENTIALS_DIRECTORY: credentials } });
  assert.equal(readPassword(config, { CREDENTIALS_DIRECTORY: credentials }), "from-systemd");
  assert.equal(readPassword(loadConfig({ env: { XMPP_JID: "d@x.org", XMPP_PASSWORD_FILE: pwFile } }), {}), "s3cret-from-file");
});

test("a password never appears in a validation error", () => {
  const message = errorOf(() => loadConfig({ env: { XMPP_PASSWORD: "hunter2-secret", AGENT_INTERVAL: "-3" } }));
  assert.doesNotMatch(message, /hunter2-secret/);
});
