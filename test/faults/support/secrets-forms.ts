// The shapes a leaked password takes in a log line: as is, JSON-escaped (pino writes JSON), URL-encoded (a
// service URL, a query), base64 (an HTTP Basic header, a dumped buffer) and base64 of SASL PLAIN's
// `authzid\0user\0password` (RFC 4616 2: the <auth/> element xmpp.js would send).

export interface Secret {
  user: string;
  domain: string;
  password: string;
}

export interface Needle {
  form: string;
  text: string;
}

/** Shorter than this, an unaligned base64 fragment could turn up by chance in any base64 text. */
const MIN_FRAGMENT = 8;

/**
 * The base64 of `bytes` wherever they sit in a longer buffer: for each of the 3 alignments, the characters
 * that depend on these bytes alone (the first and last 4-character groups may mix in neighbours).
 */
function base64Anywhere(bytes: Buffer): string[] {
  return [0, 1, 2].flatMap((shift) => {
    const encoded = Buffer.concat([Buffer.alloc(shift), bytes]).toString("base64");
    const end = Math.floor((shift + bytes.length) / 3) * 4;
    const fragment = encoded.slice(shift === 0 ? 0 : 4, end);
    return fragment.length >= MIN_FRAGMENT ? [fragment] : [];
  });
}

export function needles({ user, domain, password }: Secret): Needle[] {
  const bytes = Buffer.from(password, "utf8");
  const forms: Needle[] = [
    { form: "as is", text: password },
    { form: "JSON-escaped", text: JSON.stringify(password).slice(1, -1) },
    { form: "URL-encoded", text: encodeURIComponent(password) },
    { form: "form-encoded", text: new URLSearchParams({ p: password }).toString().slice(2) },
    { form: "base64", text: bytes.toString("base64").replace(/=+$/, "") },
    { form: "base64url", text: bytes.toString("base64url") },
    ...base64Anywhere(bytes).map((text) => ({ form: "base64 inside longer data", text })),
    { form: "SASL PLAIN base64", text: Buffer.from(`\0${user}\0${password}`).toString("base64") },
    { form: "SASL PLAIN base64 (authzid)", text: Buffer.from(`${user}@${domain}\0${user}\0${password}`).toString("base64") },
  ];
  const seen = new Set<string>();
  return forms.filter(({ text }) => text !== "" && !seen.has(text) && seen.add(text));
}
