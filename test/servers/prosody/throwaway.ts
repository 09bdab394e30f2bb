// A throwaway Prosody on loopback for the integration tests and the `demo` command: its own temp dir (config,
// data, certificate, log), one c2s port on 127.0.0.1, nothing left behind (test/servers/throwaway/harness.ts does the
// lifecycle). See config.ts for what Prosody 0.12 offers and why the config looks the way it does.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { underSetpriv } from "../throwaway/command.js";
import { startThrowaway, type ThrowawayHarness } from "../throwaway/harness.js";
import { prosodyAccounts } from "./accounts.js";
import { runControlCommand } from "../throwaway/accounts.js";
import { selfSignedCertificate, type Certificate } from "./certificate.js";
import { prosodyConfig, type ProsodyLogLevel } from "./config.js";
import { isRoot } from "../throwaway/install.js";
import { prosodyInstalled, prosodyMissing } from "./install.js";
import { prosodyLogLines } from "./readiness.js";

export { ensureProsodyInstalled } from "./install.js";

export type ThrowawayProsody = ThrowawayHarness;

/** With `invites: true`: what an admin does on the server to enrol devices (docs/fleet.md). */
export interface ProsodyInvites {
  /** `prosodyctl mod_invites generate DOMAIN`: one account invitation, xmpp:DOMAIN?register;preauth=TOKEN. */
  accountInvitation(): Promise<string>;
}

export interface ProsodyOptions {
  /** true for a fresh self-signed certificate, or the one to use (the demo's clients must trust it before it starts). */
  tls?: boolean | Certificate;
  /** A port to prefer (the demo asks for 5222: Dino has no port setting). */
  port?: number;
  domain?: string;
  logLevel?: ProsodyLogLevel;
  /** The name the certificate is for (default: the domain); another name makes a certificate clients must refuse. */
  certificateName?: string;
  /** Also listen for direct TLS on this port (needs tls). */
  directTlsPort?: number;
  passwordHash?: "SHA-1" | "SHA-256";
  /** smacks_hibernation_time (config.ts) */
  hibernationSeconds?: number;
  /** Enrolment by invitation (mod_invites and friends), and the server's admins (their invitations carry ;ibr=y). */
  invites?: boolean;
  admins?: string[];
}

export async function startProsody(opts: ProsodyOptions = {}): Promise<ThrowawayProsody & ProsodyInvites> {
  if (!prosodyInstalled()) throw prosodyMissing();
  let configFile = "";
  const harness = await startThrowaway({
    name: "Prosody",
    dirPrefix: "xmpp-device-agent-prosody-",
    logFileName: "prosody.log",
    readyTimeoutMs: 10_000,
    killAfterMs: 2_000,
    logLines: prosodyLogLines,
    async prepare({ dir, domain, port }) {
      configFile = join(dir, "prosody.cfg.lua");
      await mkdir(join(dir, "data"));
      await mkdir(join(dir, "certs"));
      const tls = typeof opts.tls === "object" ? opts.tls : opts.tls ? await selfSignedCertificate(join(dir, "certs"), opts.certificateName ?? domain) : null;
      const { logLevel, directTlsPort, passwordHash, invites, admins, hibernationSeconds } = opts;
      await writeFile(configFile, prosodyConfig({ dir, domain, port, runAsRoot: isRoot(), tls, logLevel, directTlsPort, passwordHash, invites, admins, hibernationSeconds }));
      // -F keeps it in the foreground (config.ts says why not `daemonize`)
      const [command, ...args] = underSetpriv(["prosody", "-F", "--config", configFile], { pdeathsig: true });
      return {
        command: { command: command!, args },
        accounts: prosodyAccounts({ configFile, domain }),
        caFile: tls?.certificate ?? null,
      };
    },
  }, opts);
  return {
    ...harness,
    async accountInvitation() {
      if (!opts.invites) throw new Error("accountInvitation() needs startProsody({ invites: true })");
      // The token is a secret like a password: the command line shown in an error leaves it out (it is printed, not passed)
      const printed = await runControlCommand(
        { command: "prosodyctl", args: ["--config", configFile, "mod_invites", "generate", harness.domain] },
        `prosodyctl mod_invites generate ${harness.domain}`,
      );
      const uri = printed.trim().split("\n").at(-1) ?? "";
      if (!uri.startsWith("xmpp:")) throw new Error(`prosodyctl mod_invites generate printed no xmpp: URI`);
      return uri;
    },
  };
}
