// One XMPP session that enrols the device: connect as the agent does (src/xmpp/repaired-client.ts), make the
// account on the encrypted stream before logging in (register.ts), log in with it as the agent would
// (src/xmpp/credentials.ts), redeem the operators' roster invitations (roster-invitation.ts), and leave.
import type { Client } from "@xmpp/client";
import type { Logger } from "../log.js";
import { repairedClient } from "../xmpp/repaired-client.js";
import { credentialsPolicy, FatalLoginError, isLoopbackHost, serviceHost } from "../xmpp/credentials.js";
import { EnrolmentFailure } from "./failure.js";
import { registerAccount, type Registration } from "./register.js";
import { redeemRosterInvitations, type RosterInvitation } from "./roster-invitation.js";

export interface SessionOptions {
  service: string;
  domain: string;
  resource: string;
  loginStepTimeoutSeconds: number;
  allowInsecure: boolean;
  /** A new account from an invitation, or (operator invitations only) the account the device has. */
  account: { register: Omit<Registration, "domain"> } | { username: string; password: string };
  rosterInvitations: RosterInvitation[];
  /** How long each roster invitation may take to end both ways. */
  rosterTimeoutMs: number;
  /** The account exists: save its password now, before anything else can fail. */
  onRegistered(jid: string): void;
  log: Logger;
}

/** From TCP connect to a bound resource, the registration included. */
const SESSION_TIMEOUT_MS = 60_000;

export async function enrolmentSession(options: SessionOptions): Promise<{ jid: string; operators: { jid: string; both: boolean }[] }> {
  const { service, domain, log } = options;
  let username = "register" in options.account ? null : options.account.username;
  const password = "register" in options.account ? options.account.register.password : options.account.password;
  const xmpp = repairedClient({
    service,
    domain,
    resource: options.resource,
    loginStepTimeoutSeconds: options.loginStepTimeoutSeconds,
    credentials: async (authenticate, mechanisms, fast, entity) => {
      if ("register" in options.account) {
        // The new password goes to the server in the registration: the same rule as for logging in
        if (!entity.isSecure() && !options.allowInsecure && !isLoopbackHost(serviceHost(service))) {
          throw new FatalLoginError(`refusing to send the new password over an unencrypted link to ${serviceHost(service)}: the server offered no TLS; use xmpps:// or a server with STARTTLS, or set xmpp.allowInsecure`, "insecure");
        }
        username = await registerAccount(entity, { ...options.account.register, domain });
        log.info({ jid: `${username}@${domain}` }, "enrolment: account registered");
        options.onRegistered(`${username}@${domain}`);
      }
      await credentialsPolicy({ service, username: username!, password, allowInsecure: options.allowInsecure, log })(authenticate, mechanisms, fast, entity);
    },
  });
  xmpp.reconnect.stop();
  xmpp.on("error", () => undefined); // the failed start() below reports it
  try {
    await within(xmpp.start(), SESSION_TIMEOUT_MS, `no session with ${domain} within ${SESSION_TIMEOUT_MS / 1000} s`).catch((err: unknown) => {
      throw asFailure(err as Error, service, domain, username !== null && "register" in options.account);
    });
    const jid = `${username}@${domain}`;
    const operators = await redeemRosterInvitations(xmpp, options.rosterInvitations, options.rosterTimeoutMs).catch((err: Error) => {
      // The account exists by now: say so, the files are written by the caller either way
      log.warn({ err: { message: err.message } }, "enrolment: roster invitations failed");
      return options.rosterInvitations.map(({ jid: operator }) => ({ jid: operator, both: false }));
    });
    return { jid, operators };
  } finally {
    await stop(xmpp);
  }
}

function asFailure(err: Error & { condition?: string; code?: string }, service: string, domain: string, registered: boolean): EnrolmentFailure {
  if (err instanceof EnrolmentFailure) return err;
  if (err instanceof FatalLoginError) return new EnrolmentFailure(err.message, err.kind === "insecure" ? "insecure" : "refused");
  if (err.name === "SASLError") {
    return new EnrolmentFailure(
      registered
        ? `${domain} made the account but refused to log in with it (${err.condition}): tell its admin`
        : `${domain} refused the device's credentials (${err.condition}): a wrong password, or an account deleted or disabled`,
      "refused",
    );
  }
  const why = err.message || err.code || (err.name === "TimeoutError" ? "no answer in time" : err.name);
  const after = registered ? "the account was made and saved, so run enroll again with the operators' invitations only" : "the invitation is still good";
  return new EnrolmentFailure(`cannot reach ${domain} at ${service} (${why}): check the network and the server; ${after}`, "unreachable");
}

function within<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function stop(xmpp: Client): Promise<void> {
  await within(xmpp.stop(), 2000, "").catch(() => undefined);
  xmpp.socket?.destroy();
}
