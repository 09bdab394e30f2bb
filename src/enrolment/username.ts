// The device's account name when the invitation names none: the hostname, made a plain JID localpart. A thousand
// cards flashed from one image often share a hostname (raspberrypi): the second one gets a random suffix.

const MAX_LENGTH = 48;

/** `Pi Kitchen_2.local` -> `pi-kitchen_2`: lower case, a-z 0-9 . _ -, nothing else, never empty. */
export function usernameFromHostname(hostname: string): string {
  const name = hostname
    .split(".")[0]!
    .normalize("NFKD")
    .replace(/\p{M}/gu, "") // ä -> a
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/^[-._]+|[-._]+$/g, "")
    .slice(0, MAX_LENGTH)
    .replace(/[-._]+$/, "");
  return name || "device";
}

const SUFFIX_LETTERS = "abcdefghijkmnpqrstuvwxyz23456789"; // no l, o, 0, 1: read aloud from a roster without doubt

/** `raspberrypi` -> `raspberrypi-k3f9`: `random` gives one byte per letter. */
export function withSuffix(name: string, random: Uint8Array): string {
  const suffix = [...random].map((byte) => SUFFIX_LETTERS[byte % SUFFIX_LETTERS.length]).join("");
  return `${name}-${suffix}`;
}
