// The account, made on a stream that is encrypted but not yet authenticated: XEP-0401 3.2's token first
// (<preauth xmlns='urn:xmpp:pars:0'/>, what Prosody 0.12's mod_invites_register reads into the session), then
// XEP-0077's registration. A taken name is tried again with the next candidate on the same stream: the token is
// spent only when an account is made.
import { xml, type Client } from "@xmpp/client";
import { EnrolmentFailure, registrationRefused, tokenRefused, type ServerRefusal } from "./failure.js";
import { fieldsWeCannotFill, NS_REGISTER } from "./register-form.js";

export const NS_PREAUTH = "urn:xmpp:pars:0";

export interface Registration {
  domain: string;
  token: string;
  password: string;
  /** Account names in the order to try; the first one free is taken. */
  names: Iterable<string>;
  /** The invitation named the account: a taken name is an error, not a reason to try another. */
  named: boolean;
}

/** Resolves with the account name the server accepted. */
export async function registerAccount(entity: Client, { domain, token, password, names, named }: Registration): Promise<string> {
  await ask(entity, xml("preauth", { xmlns: NS_PREAUTH, token }), (refusal) => {
    throw tokenRefused(domain, refusal);
  });
  const form = await ask(entity, xml("query", NS_REGISTER), (refusal) => registrationOrThrow(domain, refusal), "get");
  const missing = form ? fieldsWeCannotFill(form) : [];
  if (missing.length > 0) {
    throw new EnrolmentFailure(`${domain} asks for more than a name and a password to register (${missing.join(", ")}): a device cannot answer that; its admin can drop those fields for invitations (docs/fleet.md)`, "closed");
  }
  const tried: string[] = [];
  for (const username of names) {
    tried.push(username);
    const taken = await ask(entity, xml("query", NS_REGISTER, xml("username", {}, username), xml("password", {}, password)), (refusal) => {
      const outcome = registrationRefused(domain, refusal);
      if (outcome !== "taken") throw outcome;
      return "taken" as const;
    });
    if (taken !== "taken") return username;
    if (named) break;
  }
  throw new EnrolmentFailure(
    named
      ? `the account ${tried[0]}@${domain} exists already: the invitation names a taken account; ask for a new invitation`
      : `the account names ${tried.join(", ")} are all taken on ${domain}: pass another hostname or an invitation that names the account`,
    "exists",
  );
}

function registrationOrThrow(domain: string, refusal: ServerRefusal): never {
  const outcome = registrationRefused(domain, refusal);
  throw outcome === "taken" ? new EnrolmentFailure(`${domain} refused the registration form (conflict)`, "closed") : outcome;
}

/** One IQ; a stanza error goes to `refused`, which throws or returns what to resolve with instead. */
async function ask<T>(entity: Client, child: ReturnType<typeof xml>, refused: (refusal: ServerRefusal) => T, type: "get" | "set" = "set") {
  try {
    return await entity.iqCaller[type](child, undefined, entity.timeout);
  } catch (err) {
    const error = err as Error & ServerRefusal;
    if (error.name !== "StanzaError") throw err;
    return refused({ condition: error.condition, type: error.type, text: error.text });
  }
}
