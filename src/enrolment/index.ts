// Enrolment by invitation, start to end: the invitations parsed, the config validated and the files staged (so
// nothing is sent to the server that cannot be saved), one session that registers and redeems, the files put in
// place the moment the account exists. src/commands/enroll.ts prints the outcome and picks the exit code.
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { hostname } from "node:os";
import { ConfigError, loadConfig, readJson, type AgentConfig } from "../config/load.js";
import type { Logger } from "../log.js";
import { configText, enrolledConfig } from "./config-update.js";
import { EnrolmentFailure } from "./failure.js";
import { hasPassword, passwordIn, stageFile, UNIT_PASSWORD_FILE, type StagedFile } from "./files.js";
import { InvitationError, parseInvitation, type Invitation } from "./invitation.js";
import { serverFor } from "./server.js";
import { enrolmentSession } from "./session.js";
import { usernameFromHostname, withSuffix } from "./username.js";

export interface EnrolmentRequest {
  /** Invitation URIs: at most one account invitation, any number of operators' roster invitations. */
  invitations: string[];
  configFile: string;
  /** --password-file; else the config's xmpp.passwordFile, else the installed unit's credential file. */
  passwordFile?: string;
  force: boolean;
  env: NodeJS.ProcessEnv;
  /** Made once the config is known (its log.level). */
  logger(config: AgentConfig): Logger;
  /** The hostname, for the account name when the invitation names none. */
  hostname?: string;
  rosterTimeoutMs?: number;
}

export interface Enrolment {
  jid: string;
  /** False when the device was enrolled already and only roster invitations were redeemed. */
  registered: boolean;
  passwordFile: string;
  configFile: string;
  operators: { jid: string; both: boolean }[];
}

/** Every secret the request holds, for the caller to keep out of whatever it prints. */
export function secretsOf(invitations: string[]): string[] {
  return invitations.flatMap((text) => {
    try {
      return [parseInvitation(text).token];
    } catch {
      return [...text.matchAll(/preauth=([^;#&\s]+)/gi)].map((match) => match[1]!);
    }
  });
}

export async function enrolDevice(request: EnrolmentRequest): Promise<Enrolment> {
  const parsed = parseAll(request.invitations);
  const { configFile } = request;
  const existing = existsSync(configFile) ? readJson(configFile) : null;
  const xmppKeys = (existing?.xmpp ?? {}) as { jid?: string; passwordFile?: string };
  const passwordFile = request.passwordFile ?? (xmppKeys.passwordFile || UNIT_PASSWORD_FILE);
  const enrolledAs = xmppKeys.jid && hasPassword(passwordFile) ? xmppKeys.jid : null;
  const { account, roster } = enrolledAs && !request.force ? parsed : withAccountFromRoster(parsed);
  if (account && enrolledAs && !request.force) {
    throw new EnrolmentFailure(`this device is enrolled already as ${enrolledAs} (${configFile}, ${passwordFile}): --force makes a new account and replaces both`, "exists");
  }
  if (!account && !enrolledAs) {
    throw new EnrolmentFailure(`no account invitation (xmpp:DOMAIN?register;preauth=...) and this device is not enrolled yet (no xmpp.jid in ${configFile} with a password in ${passwordFile})`, "invalid");
  }

  const staged: StagedFile[] = [];
  try {
    const configStage = stageFile(configFile, { mode: 0o640, what: "the config file" });
    staged.push(configStage);
    const config = validated(existing, configStage, configFile, request.env);
    const log = request.logger(config);
    const domain = account ? account.domain : enrolledAs!.split("@")[1]!;
    const operators = roster.map(({ jid }) => jid);
    const save = (jid: string, stagedPassword: StagedFile | null) => {
      configStage.write(configText(enrolledConfig(existing, { jid, passwordFile, operators })));
      // The password first: a config naming the account never points at a file without its password
      stagedPassword?.commit();
      configStage.commit();
    };
    let registration = null;
    let passwordStage: StagedFile | null = null;
    if (account) {
      passwordStage = stageFile(passwordFile, { mode: 0o600, what: "the password file" });
      staged.push(passwordStage);
      // 192 bits; base64url keeps it one line of plain characters for any client or file
      const password = randomBytes(24).toString("base64url");
      passwordStage.write(`${password}\n`);
      const base = account.user ?? usernameFromHostname(request.hostname ?? hostname());
      registration = { token: account.token, password, names: candidates(base, account.user !== null), named: account.user !== null };
    }
    const outcome = await enrolmentSession({
      service: await serverFor(config, domain),
      domain,
      resource: config.xmpp.resource,
      loginStepTimeoutSeconds: config.xmpp.loginStepTimeoutSeconds,
      allowInsecure: config.xmpp.allowInsecure,
      account: registration ? { register: registration } : { username: enrolledAs!.split("@")[0]!, password: passwordIn(passwordFile) },
      rosterInvitations: roster,
      rosterTimeoutMs: request.rosterTimeoutMs ?? 10_000,
      onRegistered: (jid) => save(jid, passwordStage),
      log,
    });
    if (!registration) save(enrolledAs!, null);
    return { jid: outcome.jid, registered: registration !== null, passwordFile, configFile, operators: outcome.operators };
  } finally {
    for (const file of staged) file.discard();
  }
}

type AccountInvitation = Extract<Invitation, { kind: "account" }>;
type Invitations = { account: AccountInvitation | null; roster: { jid: string; token: string | null; ibr?: boolean }[] };

/**
 * No account invitation, but an operator's roster invitation that may register (;ibr=y, from an admin in Prosody):
 * the account is made with it, on the operator's server, and Prosody subscribes the two both ways (XEP-0401 5).
 */
function withAccountFromRoster({ account, roster }: Invitations): Invitations {
  const registering = account ? null : roster.find((invitation) => invitation.ibr && invitation.token !== null);
  if (!registering) return { account, roster };
  return {
    account: { kind: "account", domain: registering.jid.split("@")[1]!, user: null, token: registering.token! },
    roster: roster.map((invitation) => (invitation === registering ? { jid: invitation.jid, token: null } : invitation)),
  };
}

function parseAll(texts: string[]): Invitations {
  const parsed = texts.map((text, index) => {
    try {
      return parseInvitation(text);
    } catch (err) {
      if (!(err instanceof InvitationError)) throw err;
      throw new EnrolmentFailure(`invitation ${index + 1} of ${texts.length}: ${err.message}`, "invalid");
    }
  });
  const accounts = parsed.filter((invitation) => invitation.kind === "account");
  if (accounts.length > 1) throw new EnrolmentFailure(`${accounts.length} account invitations: a device needs one`, "invalid");
  return { account: accounts[0] ?? null, roster: parsed.filter((invitation) => invitation.kind === "roster") };
}

/** The config as it will be, checked like `run` checks it, with the account's keys left to the enrolment. */
function validated(existing: Record<string, unknown> | null, stage: StagedFile, configFile: string, env: NodeJS.ProcessEnv): AgentConfig {
  const { jid: _jid, password: _password, passwordFile: _passwordFile, ...xmpp } = (existing?.xmpp ?? {}) as Record<string, unknown>;
  stage.write(configText({ ...(existing ?? {}), ...(existing?.xmpp ? { xmpp } : {}) }));
  const { XMPP_JID, XMPP_PASSWORD, XMPP_PASSWORD_FILE, CREDENTIALS_DIRECTORY, AGENT_CONFIG, ...rest } = env;
  try {
    return loadConfig({ file: stage.path, env: rest });
  } catch (err) {
    if (err instanceof ConfigError) throw new ConfigError(err.message.split(stage.path).join(configFile));
    throw err;
  }
}

function* candidates(base: string, named: boolean): Generator<string> {
  yield base;
  if (named) return;
  for (let attempt = 0; attempt < 5; attempt++) yield withSuffix(base, randomBytes(4));
}
