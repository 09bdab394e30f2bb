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

/** Starts a throwaway server of the chosen software on loopback; as root, installs ejabberd when missing. */
export async function startServer(): Promise<ThrowawayServer> {
  const software = serverSoftware();
  if (software === "prosody") return { ...(await startProsody()), software };
  await ensureEjabberdInstalled((line) => process.stderr.write(`  ${line}\n`));
  return { ...(await startEjabberd()), software };
}
