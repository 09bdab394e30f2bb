// A throwaway Prosody on loopback for the integration tests and the `demo` command: its own temp dir (config,
// data, certificate, log), one c2s port on 127.0.0.1, nothing left behind (test/servers/throwaway/harness.ts does the
// lifecycle). See config.ts for what Prosody 0.12 offers and why the config looks the way it does.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { underSetpriv } from "../throwaway/command.js";
import { startThrowaway, type ThrowawayHarness } from "../throwaway/harness.js";
import { prosodyAccounts } from "./accounts.js";
import { selfSignedCertificate, type Certificate } from "./certificate.js";
import { prosodyConfig, type ProsodyLogLevel } from "./config.js";
import { isRoot } from "../throwaway/install.js";
import { prosodyInstalled, prosodyMissing } from "./install.js";
import { prosodyLogLines } from "./readiness.js";

export { ensureProsodyInstalled } from "./install.js";

export type ThrowawayProsody = ThrowawayHarness;

/** `tls`: true for a fresh self-signed certificate, or the one to use (the demo's clients must trust it before it starts). */
export async function startProsody(
  opts: { tls?: boolean | Certificate; domain?: string; port?: number; logLevel?: ProsodyLogLevel } = {},
): Promise<ThrowawayProsody> {
  if (!prosodyInstalled()) throw prosodyMissing();
  return startThrowaway({
    name: "Prosody",
    dirPrefix: "xmpp-device-agent-prosody-",
    logFileName: "prosody.log",
    readyTimeoutMs: 10_000,
    killAfterMs: 2_000,
    logLines: prosodyLogLines,
    async prepare({ dir, domain, port }) {
      const configFile = join(dir, "prosody.cfg.lua");
      await mkdir(join(dir, "data"));
      await mkdir(join(dir, "certs"));
      const tls = typeof opts.tls === "object" ? opts.tls : opts.tls ? await selfSignedCertificate(join(dir, "certs"), domain) : null;
      await writeFile(configFile, prosodyConfig({ dir, domain, port, runAsRoot: isRoot(), tls, logLevel: opts.logLevel }));
      // -F keeps it in the foreground (config.ts says why not `daemonize`)
      const [command, ...args] = underSetpriv(["prosody", "-F", "--config", configFile], { pdeathsig: true });
      return {
        command: { command: command!, args },
        accounts: prosodyAccounts({ configFile, domain }),
        caFile: tls?.certificate ?? null,
      };
    },
  }, opts);
}
