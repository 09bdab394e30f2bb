// The XMPP server the integration tests run against: XMPP_TEST_SERVER=prosody (the default) or ejabberd.
// Both harnesses have one interface; `software` says which one a test got, for the few places where the servers
// may differ and a test allows both (each such allowance is listed, with its evidence, in docs/servers.md).
import { startProsody, type ThrowawayProsody } from "../servers/prosody/throwaway.js";
import { ensureEjabberdInstalled, startEjabberd } from "../servers/ejabberd/throwaway.js";

export type { ThrowawayProsody };
export type ServerSoftware = "prosody" | "ejabberd";
export type ThrowawayServer = ThrowawayProsody & { software: ServerSoftware };

export function serverSoftware(env: NodeJS.ProcessEnv = process.env): ServerSoftware {
  const chosen = env.XMPP_TEST_SERVER || "prosody";
  if (chosen !== "prosody" && chosen !== "ejabberd") {
    throw new Error(`XMPP_TEST_SERVER=${JSON.stringify(chosen)}: expected prosody or ejabberd`);
  }
  return chosen;
}

/** Starts a throwaway server of the chosen software on loopback; as root, installs ejabberd when missing.
 * `tls`: STARTTLS with a certificate made for it (caFile); `strongHash`: accounts stored for SCRAM-SHA-256
 * (Prosody's password_hash) or SCRAM-SHA-512 (ejabberd's auth_scram_hash). `prosodyHibernationSeconds`: Prosody's
 * smacks_hibernation_time, for the tests of XEP-0198 resumption (ejabberd honours the agent's `max` as it is). */
export async function startServer(opts: { tls?: boolean; strongHash?: boolean; prosodyHibernationSeconds?: number } = {}): Promise<ThrowawayServer> {
  const software = serverSoftware();
  if (software === "prosody") {
    const hibernationSeconds = opts.prosodyHibernationSeconds;
    return { ...(await startProsody({ tls: opts.tls, passwordHash: opts.strongHash ? "SHA-256" : undefined, hibernationSeconds })), software };
  }
  await ensureEjabberdInstalled((line) => process.stderr.write(`  ${line}\n`));
  return { ...(await startEjabberd({ tls: opts.tls, scramHash: opts.strongHash ? "sha512" : undefined })), software };
}
