// Why an enrolment stopped, in words an installer can act on; src/commands/enroll.ts turns each reason into an
// exit code (README, "Commands"). Pure: the server's answers come in as plain values.

export type FailureReason =
  | "invalid" // an invitation URI is malformed: nothing was done
  | "closed" // the server does not register accounts by invitation, or asks for more than a name and a password
  | "exists" // the device is enrolled already (without --force), or the invited account name is taken
  | "unwritable" // the config or the password file cannot be written: checked before anything is sent
  | "unreachable" // no connection, no TLS, or the server asks to wait: try again later, the token is still good
  | "refused" // the server refused the token: expired, used or unknown
  | "insecure"; // the password would travel unencrypted to a host that is not loopback (xmpp.allowInsecure)

export class EnrolmentFailure extends Error {
  override name = "EnrolmentFailure";
  constructor(
    message: string,
    readonly reason: FailureReason,
  ) {
    super(message);
  }
}

/** An XMPP stanza error as @xmpp/middleware's StanzaError has it. */
export interface ServerRefusal {
  condition: string;
  type?: string;
  text?: string;
}

/** The server's own words, clipped and on one line: it wrote them, we print them. */
export function serverWords({ condition, text }: ServerRefusal): string {
  const said = (text ?? "").replace(/\s+/g, " ").trim().slice(0, 200);
  return said ? `${condition}: ${said}` : condition;
}

/** XEP-0401 (Prosody's mod_invites_register): the answer to <preauth token=.../>. */
export function tokenRefused(domain: string, refusal: ServerRefusal): EnrolmentFailure {
  if (refusal.condition === "forbidden" || refusal.condition === "not-authorized" || refusal.condition === "item-not-found") {
    // Prosody 0.12 answers the same forbidden for an expired, a used and an unknown token
    return new EnrolmentFailure(`${domain} refused the invitation (${serverWords(refusal)}): it has expired or was used already; ask for a new one`, "refused");
  }
  if (refusal.condition === "service-unavailable" || refusal.condition === "feature-not-implemented") {
    return new EnrolmentFailure(`${domain} does not take account invitations (${serverWords(refusal)}): its admin enables mod_invites_register (docs/fleet.md)`, "closed");
  }
  return registrationProblem(domain, refusal);
}

/** XEP-0077 3.1, 3.2: the answer to the registration itself; a taken name is the caller's to handle. */
export function registrationRefused(domain: string, refusal: ServerRefusal): EnrolmentFailure | "taken" {
  if (refusal.condition === "conflict") return "taken";
  return registrationProblem(domain, refusal);
}

function registrationProblem(domain: string, refusal: ServerRefusal): EnrolmentFailure {
  const words = serverWords(refusal);
  // mod_register_limits: too many registrations from this address lately
  if (refusal.type === "wait" || refusal.condition === "resource-constraint") {
    return new EnrolmentFailure(`${domain} asks to wait before the next registration (${words}): try again later; the invitation is still good`, "unreachable");
  }
  if (refusal.condition === "service-unavailable" || refusal.condition === "not-allowed" || refusal.condition === "feature-not-implemented") {
    return new EnrolmentFailure(`${domain} does not register accounts in-band (${words}): its admin enables mod_invites_register (docs/fleet.md)`, "closed");
  }
  return new EnrolmentFailure(`${domain} refused the registration (${words})`, "closed");
}
