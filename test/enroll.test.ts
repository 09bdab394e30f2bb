// `enroll`: a device's account from a Prosody invitation (XEP-0401), an operator's roster invitation (XEP-0379)
// redeemed with nobody clicking, and every refusal with its exit code. Against a real Prosody 0.12 with
// mod_invites, mod_invites_register and mod_invites_adhoc (test/servers/prosody/config.ts).
import { once } from "node:events";
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { xml } from "@xmpp/client";
import { startProsody, type ProsodyInvites, type ThrowawayProsody } from "./servers/prosody/throwaway.js";
import { connectPeer, isPresenceFrom, type Peer } from "./support/peer.js";
import { finished, runCli } from "./support/cli.js";
import { captureDir } from "./support/log-capture.js";
import { listSecret } from "./faults/support/secrets-scan.js";
import { usernameFromHostname } from "../src/enrolment/username.js";

const NS_COMMANDS = "http://jabber.org/protocol/commands";

/** What an operator does in Gajim or with slixmpp: the server's "Create new contact invite" command (XEP-0050). */
async function rosterInvitation(operator: Peer, domain: string): Promise<string> {
  const answer = await operator.xmpp.iqCaller.set(xml("command", { xmlns: NS_COMMANDS, node: "urn:xmpp:invite#invite", action: "execute" }), domain);
  const uri = answer?.getChild("x", "jabber:x:data")?.getChildren("field").find((field) => field.attrs.var === "uri")?.getChildText("value");
  assert.ok(uri, `no uri in the command's answer: ${String(answer)}`);
  return uri;
}

async function rosterOf(peer: Peer): Promise<Record<string, string>> {
  const result = await peer.xmpp.iqCaller.get(xml("query", "jabber:iq:roster"));
  return Object.fromEntries((result?.getChildren("item") ?? []).map((item) => [item.attrs.jid as string, item.attrs.subscription as string]));
}

/** Runs `enroll` to its end; stdout and stderr in full, checked for every secret of this test. */
async function enrol(args: string[], env: Record<string, string> = {}) {
  const cli = runCli(["enroll", ...args], env);
  const closed = once(cli.child, "close");
  const { code } = await finished(cli, 90_000);
  await closed;
  return { code, stdout: cli.stdout(), stderr: cli.stderr() };
}

function assertNoSecret(output: { stdout: string; stderr: string }, secrets: string[]) {
  for (const secret of secrets) {
    assert.equal(`${output.stdout}${output.stderr}`.includes(secret), false, "a token or the password is in the output");
  }
}

const tokenOf = (uri: string) => /preauth=([^;]+)/.exec(uri)![1]!;
const capture = captureDir();
const listed = (user: string, secret: string) => capture && listSecret(capture, { user, domain: "localhost", password: secret });

describe("enroll, against Prosody with invitations", () => {
  let prosody: ThrowawayProsody & ProsodyInvites;
  let operator: Peer;
  let operatorJid: string;
  const tmp = mkdtempSync(join(tmpdir(), "agent-enroll-"));

  before(async () => {
    // An admin's roster invitations also allow registration (;ibr=y): the kind Prosody 0.12.3 redeems (docs/fleet.md)
    prosody = await startProsody({ invites: true, admins: ["ops@localhost"] });
    operatorJid = await prosody.register("ops", "ops-enrol-pass");
    operator = await connectPeer(prosody.service, operatorJid, "ops-enrol-pass");
  });
  after(async () => {
    await operator?.stop();
    await prosody?.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  test("an account invitation and an operator's roster invitation: both rosters say both, and `run` shows the device to the operator", async () => {
    const account = await prosody.accountInvitation();
    const roster = await rosterInvitation(operator, prosody.domain);
    listed("account-invitation", tokenOf(account));
    listed("roster-invitation", tokenOf(roster));
    const configFile = join(tmp, "config.json");
    const passwordFile = join(tmp, "password");
    writeFileSync(configFile, JSON.stringify({ xmpp: { service: prosody.service }, sampling: { intervalSeconds: 1 } }), { mode: 0o640 });
    chmodSync(configFile, 0o640);

    const result = await enrol([account, "--operator-invite", roster, "--config", configFile, "--password-file", passwordFile]);
    const device = `${usernameFromHostname(hostname())}@${prosody.domain}`;
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, `${device}\n`);
    assert.match(result.stderr, new RegExp(`enrolled as ${device}`));
    assert.match(result.stderr, /ops@localhost: subscribed both ways/);

    const password = readFileSync(passwordFile, "utf8").trim();
    listed(device.split("@")[0]!, password);
    assert.ok(password.length >= 32);
    assert.equal(statSync(passwordFile).mode & 0o777, 0o600);
    assert.equal(statSync(configFile).mode & 0o777, 0o640, "the config keeps its mode");
    assert.deepEqual(JSON.parse(readFileSync(configFile, "utf8")), {
      xmpp: { service: prosody.service, jid: device, passwordFile },
      sampling: { intervalSeconds: 1 },
      operators: [operatorJid],
    });
    assertNoSecret(result, [tokenOf(account), tokenOf(roster), password]);

    assert.equal((await rosterOf(operator))[device], "both");
    const asDevice = await connectPeer(prosody.service, device, password, { resource: "check" });
    try {
      assert.equal((await rosterOf(asDevice))[operatorJid], "both");
    } finally {
      await asDevice.stop();
    }

    const agent = runCli(["run", "--config", configFile]);
    try {
      const since = operator.received.length;
      const seen = await operator.waitFor("the device's presence", (s) => isPresenceFrom(device)(s) && String(s.attrs.from).endsWith(`/${hostname()}`), 20_000, since);
      assert.match(seen.getChildText("status") ?? "", /CPU/);
      agent.child.kill("SIGTERM");
      assert.equal((await finished(agent, 10_000)).code, 0);
      assertNoSecret({ stdout: agent.stdout(), stderr: agent.stderr() }, [password]);
    } finally {
      agent.child.kill("SIGKILL");
    }
  });

  test("the same hostname again: a second account with a suffix; a used token is refused with 77 and nothing is written", async () => {
    const account = await prosody.accountInvitation();
    listed("account-invitation", tokenOf(account));
    const dir = mkdtempSync(join(tmp, "second-"));
    const env = { XMPP_SERVICE: prosody.service };
    const configFile = join(dir, "config.json");
    const first = await enrol([account, "--config", configFile, "--password-file", join(dir, "password")], env);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, new RegExp(`^${usernameFromHostname(hostname())}-[a-z2-9]{4}@localhost\\n$`));
    listed(first.stdout.split("@")[0]!, readFileSync(join(dir, "password"), "utf8").trim());
    assert.equal(statSync(configFile).mode & 0o777, 0o640, "a new config is 0640");

    const again = mkdtempSync(join(tmp, "used-"));
    const used = await enrol([account, "--config", join(again, "config.json"), "--password-file", join(again, "password")], env);
    assert.equal(used.code, 77, used.stderr);
    assert.match(used.stderr, /refused the invitation .*forbidden.*expired or was used already/);
    assert.equal(used.stdout, "");
    assert.deepEqual([existsSync(join(again, "config.json")), existsSync(join(again, "password"))], [false, false]);
    assertNoSecret(used, [tokenOf(account)]);
  });

  test("an enrolled device refuses a new account without --force (73); with only a roster invitation it subscribes with its own account", async () => {
    const dir = mkdtempSync(join(tmp, "enrolled-"));
    const configFile = join(dir, "config.json");
    const passwordFile = join(dir, "password");
    const env = { XMPP_SERVICE: prosody.service };
    const account = await prosody.accountInvitation();
    listed("account-invitation", tokenOf(account));
    const named = account.replace("xmpp:", "xmpp:pi-named@");
    assert.equal((await enrol([named, "--config", configFile, "--password-file", passwordFile], env)).code, 0);
    listed("pi-named", readFileSync(passwordFile, "utf8").trim());
    const before = readFileSync(configFile, "utf8");

    const another = await prosody.accountInvitation();
    listed("account-invitation", tokenOf(another));
    const refused = await enrol([another, "--config", configFile, "--password-file", passwordFile], env);
    assert.equal(refused.code, 73, refused.stderr);
    assert.match(refused.stderr, /enrolled already as pi-named@localhost.*--force/);
    assert.equal(readFileSync(configFile, "utf8"), before);

    const roster = await rosterInvitation(operator, prosody.domain);
    listed("roster-invitation", tokenOf(roster));
    const redeemed = await enrol([roster, "--config", configFile], env);
    assert.equal(redeemed.code, 0, redeemed.stderr);
    assert.equal(redeemed.stdout, "pi-named@localhost\n");
    assert.equal((await rosterOf(operator))["pi-named@localhost"], "both");
    assert.deepEqual(JSON.parse(readFileSync(configFile, "utf8")).operators, [operatorJid]);

    // The unused invitation still works: nothing was spent by the refusal
    const elsewhere = mkdtempSync(join(tmp, "another-"));
    const later = await enrol([another, "--config", join(elsewhere, "config.json"), "--password-file", join(elsewhere, "password")], env);
    assert.equal(later.code, 0, later.stderr);
    listed(later.stdout.split("@")[0]!, readFileSync(join(elsewhere, "password"), "utf8").trim());
  });

  test("one URI per card: an admin operator's roster invitation (;ibr=y) alone makes the account and both subscriptions", async () => {
    const roster = await rosterInvitation(operator, prosody.domain);
    assert.match(roster, /;ibr=y$/);
    listed("roster-invitation", tokenOf(roster));
    const dir = mkdtempSync(join(tmp, "ibr-"));
    const configFile = join(dir, "config.json");
    const result = await enrol([roster, "--config", configFile, "--password-file", join(dir, "password")], { XMPP_SERVICE: prosody.service });
    const device = result.stdout.trim();
    listed(device.split("@")[0]!, readFileSync(join(dir, "password"), "utf8").trim());
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, new RegExp(`enrolled as ${device}.*\nops@localhost: subscribed both ways`));
    assert.equal((await rosterOf(operator))[device], "both");
    assert.deepEqual(JSON.parse(readFileSync(configFile, "utf8")).operators, [operatorJid]);
    assertNoSecret(result, [tokenOf(roster)]);
  });

  test("Prosody 0.12.3 and a roster invitation from an operator who may not invite accounts: not redeemed, 77, and the operator is still listed", async () => {
    const plainJid = await prosody.register("ops-plain", "ops-plain-pass");
    const plain = await connectPeer(prosody.service, plainJid, "ops-plain-pass");
    try {
      const roster = await rosterInvitation(plain, prosody.domain);
      assert.doesNotMatch(roster, /ibr=y/);
      listed("roster-invitation", tokenOf(roster));
      const account = await prosody.accountInvitation();
      listed("account-invitation", tokenOf(account));
      const dir = mkdtempSync(join(tmp, "plain-"));
      const configFile = join(dir, "config.json");
      const result = await enrol([account, roster, "--config", configFile, "--password-file", join(dir, "password")], { XMPP_SERVICE: prosody.service });
      listed(result.stdout.split("@")[0]!, readFileSync(join(dir, "password"), "utf8").trim());
      assert.equal(result.code, 77, result.stderr);
      assert.match(result.stderr, /ops-plain@localhost: the roster invitation was not accepted/);
      assert.deepEqual(JSON.parse(readFileSync(configFile, "utf8")).operators, [plainJid]);
      assert.notEqual((await rosterOf(plain))[result.stdout.trim()], "both");
      // mod_invites.lua get() reads the account invitation such a token does not have (fixed after 0.12.3)
      assert.match(await prosody.logText(), /mod_invites\.lua:\d+: attempt to index a nil value \(local 'token_info'\)/);
    } finally {
      await plain.stop();
    }
  });

  test("a file that cannot be written (74) and an unreachable server (75) spend nothing; a malformed URI is 65", async () => {
    const account = await prosody.accountInvitation();
    listed("account-invitation", tokenOf(account));
    const dir = mkdtempSync(join(tmp, "fail-"));
    const configFile = join(dir, "config.json");
    const unwritable = await enrol([account, "--config", configFile, "--password-file", join(dir, "no-such-dir", "password")], { XMPP_SERVICE: prosody.service });
    assert.equal(unwritable.code, 74, unwritable.stderr);
    assert.match(unwritable.stderr, /the password file .*no-such-dir\/password cannot be written \(ENOENT\)/);
    assert.equal(existsSync(configFile), false);

    const unreachable = await enrol([account, "--config", configFile, "--password-file", join(dir, "password")], { XMPP_SERVICE: "xmpp://127.0.0.1:1" });
    assert.equal(unreachable.code, 75, unreachable.stderr);
    assert.match(unreachable.stderr, /cannot reach localhost at xmpp:\/\/127.0.0.1:1 .*the invitation is still good/);
    assert.deepEqual([existsSync(configFile), existsSync(join(dir, "password"))], [false, false]);

    const malformed = await enrol([account.replace("?register", "?regster"), "--config", configFile], { XMPP_SERVICE: prosody.service });
    assert.equal(malformed.code, 65, malformed.stderr);
    assert.match(malformed.stderr, /the action is "regster"/);

    const works = await enrol([account, "--config", configFile, "--password-file", join(dir, "password")], { XMPP_SERVICE: prosody.service });
    assert.equal(works.code, 0, works.stderr);
    listed(works.stdout.split("@")[0]!, readFileSync(join(dir, "password"), "utf8").trim());
    for (const output of [unwritable, unreachable, malformed, works]) assertNoSecret(output, [tokenOf(account)]);
  });
});

test("a server without invitations: registration closed, 69", async (t) => {
  const prosody = await startProsody();
  t.after(() => prosody.stop());
  const dir = mkdtempSync(join(tmpdir(), "agent-enroll-closed-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const result = await enrol(["xmpp:localhost?register;preauth=not-a-real-token", "--config", join(dir, "config.json"), "--password-file", join(dir, "password")], { XMPP_SERVICE: prosody.service });
  assert.equal(result.code, 69, result.stderr);
  assert.match(result.stderr, /does not take account invitations \(service-unavailable\)/);
  assertNoSecret(result, ["not-a-real-token"]);
});
