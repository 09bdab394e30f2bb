// An invitation URI, parsed strictly and without I/O. RFC 5122 (the xmpp: URI), XEP-0147 (?action;key=value),
// XEP-0401 (account invitation: xmpp:DOMAIN?register;preauth=TOKEN, optionally USER@DOMAIN) and XEP-0379
// (roster invitation: xmpp:OPERATOR?roster;preauth=TOKEN, Prosody adds ;ibr=y when it may also register).
// The token is a secret: no message here quotes it, or the URI that holds it.

export type Invitation =
  | { kind: "account"; domain: string; user: string | null; token: string }
  /** `ibr`: the token may also register an account on the operator's server, subscribed to the operator (XEP-0401 5). */
  | { kind: "roster"; jid: string; token: string; ibr: boolean };

export class InvitationError extends Error {
  override name = "InvitationError";
}

/** RFC 7622 3.3.1, 3.2: localpart characters never allowed; XEP-0106 escapes are the sender's job. */
const BAD_LOCAL = /["&'/:<>@\s\p{Cc}]/u;
/** A DNS name (letters, digits, hyphens, dots; IDN as UTF-8), an IPv4 address or a bracketed IPv6 literal. */
const DOMAIN = /^(\[[0-9a-f:.]+\]|[\p{L}\p{N}]([\p{L}\p{N}-]*[\p{L}\p{N}])?(\.[\p{L}\p{N}]([\p{L}\p{N}-]*[\p{L}\p{N}])?)*)$/u;
/** RFC 3987 iunreserved, sub-delims, ":" "@" "/" "?" and "%": what may stand in a URI without percent-encoding. */
const URI_TEXT = /^[\p{L}\p{N}\-._~!$&'()*+,;=:@/?%]*$/u;
const MAX_TOKEN = 1024;

export function parseInvitation(text: string): Invitation {
  const uri = text.trim();
  if (/^https?:\/\//i.test(uri)) {
    throw new InvitationError("this is the invitation's web page, not the invitation: use the xmpp: link it shows (xmpp:DOMAIN?register;preauth=...)");
  }
  if (!/^xmpp:/i.test(uri)) throw new InvitationError("not an xmpp: URI: expected xmpp:DOMAIN?register;preauth=... or xmpp:OPERATOR@DOMAIN?roster;preauth=...");
  const rest = uri.slice(5);
  if (!URI_TEXT.test(rest)) throw new InvitationError("the URI holds characters that must be percent-encoded (a space, a quote, < > # or a control character)");
  // RFC 5122 2.3: xmpp://account@host/... names the account to act as; an invitation never does
  if (rest.startsWith("//")) throw new InvitationError("xmpp://... names an account to act as: an invitation is xmpp:DOMAIN?register;preauth=... (no //)");
  const question = rest.indexOf("?");
  if (question < 0) throw new InvitationError("no ?register or ?roster action: this is an address, not an invitation");
  const address = parseAddress(rest.slice(0, question));
  const [action = "", ...pairs] = rest.slice(question + 1).split(";");
  const params = parsePairs(pairs);
  if (action !== "register" && action !== "roster") {
    throw new InvitationError(`the action is ${JSON.stringify(decode(action, "the action"))}: expected register (an account invitation) or roster (an operator's invitation)`);
  }
  const token = params.get("preauth");
  if (token === undefined) throw new InvitationError(`a ?${action} URI without preauth=: not an invitation (the token is missing)`);
  if (token === "" || token.length > MAX_TOKEN || /[\p{Cc}\s]/u.test(token)) {
    throw new InvitationError(`the preauth token is empty, longer than ${MAX_TOKEN} characters or holds spaces or control characters`);
  }
  if (action === "register") return { kind: "account", domain: address.domain, user: address.local, token };
  if (address.local === null) throw new InvitationError(`a roster invitation names the operator: xmpp:OPERATOR@${address.domain}?roster;preauth=...`);
  return { kind: "roster", jid: `${address.local}@${address.domain}`, token, ibr: params.get("ibr") === "y" };
}

function parseAddress(path: string): { local: string | null; domain: string } {
  if (path.includes("/")) throw new InvitationError("the address has a resource (/...): an invitation names a bare JID or a domain");
  const at = path.lastIndexOf("@");
  const local = at < 0 ? null : decode(path.slice(0, at), "the user part");
  if (local !== null && (local === "" || BAD_LOCAL.test(local) || Buffer.byteLength(local) > 1023)) {
    throw new InvitationError(`the user part ${JSON.stringify(local)} is not a valid JID localpart (RFC 7622: no spaces, " & ' / : < > @)`);
  }
  // RFC 7622 3.2: a domain compares case-insensitively, a final dot is dropped
  const domain = decode(path.slice(at + 1), "the domain").toLowerCase().replace(/\.$/, "");
  if (!DOMAIN.test(domain) || Buffer.byteLength(domain) > 1023) {
    throw new InvitationError(`the domain ${JSON.stringify(domain)} is not a host name such as example.org`);
  }
  return { local, domain };
}

/** XEP-0147: ;key=value pairs. Unknown keys (name, group, ibr) are allowed and ignored; a key twice is not. */
function parsePairs(pairs: string[]): Map<string, string> {
  const params = new Map<string, string>();
  for (const pair of pairs) {
    const equals = pair.indexOf("=");
    if (equals <= 0) throw new InvitationError("a ;key=value pair after the action is malformed (an empty key or no =)");
    const key = decode(pair.slice(0, equals), "a key");
    if (params.has(key)) throw new InvitationError(`the key ${JSON.stringify(key)} appears twice`);
    // The value may be the token: its decoding error must not quote it
    params.set(key, decode(pair.slice(equals + 1), key === "preauth" ? "the preauth token" : `the value of ${key}`, key !== "preauth"));
  }
  return params;
}

/** RFC 3986 2.1 percent-decoding of UTF-8; a bad escape or bad UTF-8 is an error, not a guess. */
function decode(text: string, what: string, quote = true): string {
  if (/%(?![0-9a-fA-F]{2})/.test(text)) throw new InvitationError(`${what} has a % that is not followed by two hex digits`);
  try {
    return decodeURIComponent(text);
  } catch {
    throw new InvitationError(`${what}${quote ? ` ${JSON.stringify(text)}` : ""} is not valid percent-encoded UTF-8`);
  }
}
