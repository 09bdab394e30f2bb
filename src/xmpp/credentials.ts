// Which SASL mechanism we log in with, and when the password may not be sent at all: over an unencrypted link
// only to a loopback server or when xmpp.allowInsecure is set (README, "Connection").
import type { Authenticate, Client } from "@xmpp/client";
import { isIP } from "node:net";
import type { Logger } from "../log.js";

export class FatalLoginError extends Error {
  constructor(
    message: string,
    readonly kind: "auth" | "insecure",
  ) {
    super(message);
  }
}

export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, "");
  if (bare === "localhost" || bare.endsWith(".localhost")) return true;
  if (isIP(bare) === 4) return bare.startsWith("127.");
  return bare === "::1";
}

export function serviceHost(service: string): string {
  return new URL(service.replace(/^xmpps?:/, "http:")).hostname;
}

export interface CredentialsOptions {
  service: string;
  /** The JID's local part. */
  username: string;
  password: string;
  allowInsecure: boolean;
  log: Logger;
}

/** @xmpp/client's `credentials` callback. */
export function credentialsPolicy({ service, username, password, allowInsecure, log }: CredentialsOptions) {
  const insecureAllowed = allowInsecure || isLoopbackHost(serviceHost(service));
  return async (authenticate: Authenticate, mechanisms: string[], _fast: unknown, entity: Client): Promise<void> => {
    if (!entity.isSecure() && !insecureAllowed) {
      throw new FatalLoginError(
        `refusing to send the password over an unencrypted link to ${serviceHost(service)}: ` +
          "the server offered no TLS; use xmpps:// or a server with STARTTLS, or set xmpp.allowInsecure",
        "insecure",
      );
    }
    const mechanism = ["SCRAM-SHA-1", "PLAIN"].find((m) => mechanisms.includes(m) && (m !== "PLAIN" || entity.isSecure() || insecureAllowed));
    if (!mechanism) throw new FatalLoginError(`no usable SASL mechanism (server offers ${mechanisms.join(", ")})`, "auth");
    log.debug({ mechanism, secure: entity.isSecure() }, "authenticating");
    await authenticate({ username, password }, mechanism);
  };
}
