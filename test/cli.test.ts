// What a new user meets at the command line before any server is involved: usage mistakes, no account.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { finished, runCli } from "./support/cli.js";

const run = async (args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 10_000) => {
  const cli = runCli(args, env);
  const { code } = await finished(cli, timeoutMs);
  return { code, stdout: cli.stdout(), stderr: cli.stderr() };
};

test("an unknown option gets our own usage message and exit 64, not parseArgs' advice about positionals", async () => {
  const bogus = await run(["status", "--bogus"]);
  assert.equal(bogus.code, 64);
  assert.match(bogus.stderr, /^unknown option: --bogus\n\nUsage: xmpp-device-agent <command>/);
  assert.doesNotMatch(bogus.stderr, /positional/);
  assert.match((await run(["check-config", "--config"])).stderr, /^option --config needs a value\n/);
  assert.match((await run(["status", "--json=yes"])).stderr, /^option --json takes no value\n/);
});

test("no account: check-config and run say so plainly, and where the config is looked for", async () => {
  const none = await run(["check-config"]);
  assert.equal(none.code, 0);
  assert.match(none.stderr, /^no XMPP account is set and no config file was read: .*--config FILE or \$AGENT_CONFIG.*\/etc\/xmpp-device-agent\/config\.json/);
  assert.match(none.stderr, /\nconfiguration is valid\n$/);
  const dir = mkdtempSync(join(tmpdir(), "agent-cli-test-"));
  try {
    const file = join(dir, "config.json");
    writeFileSync(file, "{}");
    assert.match((await run(["check-config"], { AGENT_CONFIG: file })).stderr, new RegExp(`^no XMPP account is set \\(xmpp\\.jid is empty in ${file}\\)`));
    // Not on a terminal (as under systemd): the same words, in the JSON log, so the journal holds JSON lines only
    const agent = runCli(["run", "--config", file], { AGENT_LOG_LEVEL: "info" });
    const deadline = Date.now() + 10_000;
    while (!agent.stdout().includes("no XMPP account is set") && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    agent.child.kill("SIGTERM");
    assert.equal((await finished(agent, 10_000)).code, 0);
    assert.equal(agent.stderr(), "", "nothing but JSON lines when not on a terminal");
    const line = agent.stdout().split("\n").find((l) => l.includes('"msg":"no XMPP account is set"'));
    assert.ok(line, agent.stdout());
    assert.match((JSON.parse(line) as { hint: string }).hint, new RegExp(`^no XMPP account is set \\(xmpp\\.jid is empty in ${file}\\): the agent only samples and logs`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("check-config lists every problem at once, env variables by name and value", async () => {
  const bad = await run(["check-config"], { AGENT_INTERVAL: "0", AGENT_OPERATORS: "alice", AGENT_LOG_LEVEL: "loud" });
  assert.equal(bad.code, 78);
  assert.deepEqual(bad.stderr.trim().split("\n"), [
    "invalid configuration:",
    "AGENT_OPERATORS=alice: operators must be bare JIDs or *@domain; \"alice\" is neither",
    "AGENT_INTERVAL=0: sampling.intervalSeconds must be a number from 0.5 to 86400",
    'AGENT_LOG_LEVEL=loud: log.level must be one of the possible values: ["fatal","error","warn","info","debug","trace","silent"]',
  ]);
});
