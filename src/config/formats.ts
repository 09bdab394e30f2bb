// Convict formats for the agent's own kinds of value. Each throws a message that says what was expected;
// convict puts the key and (unless the key is sensitive) the value in front of it.
import { jidParts } from "../jid.js";

/** Bare JID: local@domain, no resource. RFC 7622 in spirit, not in every detail. */
const BARE_JID = /^[^@/\s"&'<>:]+@[^@/\s]+$/;
/** An operator: a bare JID or `*@domain` for everyone on that domain. */
const OPERATOR = /^(\*|[^@/\s"&'<>:]+)@[^@/\s*]+$/;
const SERVICE = /^xmpps?:\/\/(\[[0-9a-fA-F:]+\]|[^/:\s]+)(:(\d{1,5}))?\/?$/;
/** RFC 7622 3.3.1, 3.4: localpart, domainpart and resourcepart are at most 1023 octets each. */
const fitsJid = (...parts: string[]) => parts.every((part) => Buffer.byteLength(part) <= 1023);
const fitsBareJid = (bare: string) => {
  const { local, domain } = jidParts(bare);
  return fitsJid(local, domain);
};

export const bareJid = {
  name: "bare-jid",
  validate(value: unknown) {
    if (value === "") return;
    if (typeof value !== "string" || !BARE_JID.test(value) || !fitsBareJid(value)) {
      throw new Error("must be a bare JID like device@example.org (no resource)");
    }
  },
};

export const service = {
  name: "xmpp-service",
  validate(value: unknown) {
    if (value === "") return;
    const match = typeof value === "string" ? SERVICE.exec(value) : null;
    const port = match?.[3] === undefined ? 5222 : Number(match[3]);
    if (!match || port < 1 || port > 65535) {
      throw new Error("must be xmpp://host[:port] (STARTTLS) or xmpps://host[:port] (direct TLS), port 1 to 65535");
    }
  },
};

export const resourcePart = {
  name: "resource",
  validate(value: unknown) {
    if (typeof value !== "string" || !fitsJid(value)) throw new Error("must be a string of at most 1023 bytes (RFC 7622 3.4)");
  },
};

export const operatorList = {
  name: "operator-list",
  validate(value: unknown) {
    if (!Array.isArray(value)) throw new Error("must be a list of bare JIDs or *@domain");
    for (const entry of value) {
      if (typeof entry !== "string" || !OPERATOR.test(entry) || !fitsBareJid(entry)) {
        throw new Error(`must be bare JIDs or *@domain; ${JSON.stringify(entry)} is neither`);
      }
    }
  },
  // AGENT_OPERATORS="a@x, b@y": comma-separated, spaces tolerated, normalized to lower case (RFC 7622 nodeprep, roughly)
  coerce(value: unknown) {
    const list = typeof value === "string" ? value.split(",") : value;
    return Array.isArray(list)
      ? list.map((s) => (typeof s === "string" ? s.trim().toLowerCase() : s)).filter((s) => s !== "")
      : list;
  },
};

/** watch.devices: bare JIDs only (a device is pinged by name: no *@domain). */
export const jidList = {
  name: "jid-list",
  validate(value: unknown) {
    if (!Array.isArray(value)) throw new Error("must be a list of bare JIDs like [\"pi-1@example.org\"]");
    for (const entry of value) {
      // *@domain is the operators' wildcard: a device is pinged by its own name
      if (typeof entry !== "string" || entry.startsWith("*@") || !BARE_JID.test(entry) || !fitsBareJid(entry)) {
        throw new Error(`must be bare JIDs like pi-1@example.org; ${JSON.stringify(entry)} is not one`);
      }
    }
  },
  coerce: (value: unknown) => operatorList.coerce(value),
};

export const mountList = {
  name: "mount-list",
  validate(value: unknown) {
    if (!Array.isArray(value) || value.some((m) => typeof m !== "string" || !m.startsWith("/"))) {
      throw new Error("must be a list of absolute mount points like [\"/\", \"/data\"]");
    }
  },
  coerce(value: unknown) {
    return typeof value === "string" ? value.split(",").map((s) => s.trim()).filter(Boolean) : value;
  },
};

/** A number within [min, max]; convict's own "nat"/"int" formats cannot say the bounds. */
export function numberBetween(min: number, max: number) {
  return (value: unknown) => {
    if (typeof value !== "number" || !Number.isFinite(value) || value < min || value > max) {
      throw new Error(`must be a number from ${min} to ${max}`);
    }
  };
}

export function integerBetween(min: number, max: number) {
  return (value: unknown) => {
    if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
      throw new Error(`must be a whole number from ${min} to ${max}`);
    }
  };
}
