// A throwaway ejabberd on loopback for the integration tests, with the Prosody harness's interface: its own temp
// dir (config, Mnesia spool, log, Erlang cookie), one c2s port and one Erlang distribution port on 127.0.0.1,
// no epmd, nothing left behind (test/servers/throwaway/harness.ts does the lifecycle). config.ts says what ejabberd 23.01
// offers; erlang-node.ts how it is started and as which user.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chown, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { startThrowaway, type ThrowawayHarness } from "../throwaway/harness.js";
import { isRoot } from "../throwaway/install.js";
import { freePort } from "../throwaway/loopback.js";
import { ejabberdAccounts } from "./accounts.js";
import { ejabberdConfig, type EjabberdConfigInput } from "./config.js";
import { selfSignedCertificate } from "../prosody/certificate.js";
import { serverCommand, type ErlangNode } from "./erlang-node.js";
import { ejabberdInstalled, ejabberdMissing } from "./install.js";
import { ejabberdLogLines } from "./readiness.js";

export { ensureEjabberdInstalled } from "./install.js";

/** The same harness interface as Prosody's; caFile is null unless started with tls. */
export type ThrowawayEjabberd = ThrowawayHarness;

// As root the server runs as the package's system user, like the Debian service does
const SYSTEM_USER = "ejabberd";

export async function startEjabberd(opts: { domain?: string; tls?: boolean; scramHash?: EjabberdConfigInput["scramHash"] } = {}): Promise<ThrowawayEjabberd> {
  if (!ejabberdInstalled()) throw ejabberdMissing();
  return startThrowaway({
    name: "ejabberd",
    dirPrefix: "xmpp-device-agent-ejabberd-",
    logFileName: "ejabberd.log",
    // A cold Erlang VM, Mnesia schema creation and module start: about 1.5 s here; slow CI machines get 20 s
    readyTimeoutMs: 20_000,
    // The spawned pid is beam.smp itself (setpriv, erl and erlexec all exec), so signals reach the VM; SIGTERM
    // makes it run init:stop(), the same orderly shutdown `ejabberdctl stop` ends in.
    killAfterMs: 5_000,
    logLines: ejabberdLogLines,
    async prepare({ dir, domain, port, logFile }) {
      const name = `xda-${randomBytes(4).toString("hex")}@localhost`;
      const node: ErlangNode = { name, distPort: await freePort(), dir, user: isRoot() ? SYSTEM_USER : null };
      const configFile = join(dir, "ejabberd.yml");
      const tls = opts.tls ? await selfSignedCertificate(join(dir, "certs"), domain) : null;
      await writeFile(configFile, ejabberdConfig({ dir, domain, port, tls, scramHash: opts.scramHash }));
      if (node.user) {
        // The server writes its spool, log and cookie here as that user, and reads the certificate
        const { uid, gid } = await systemUser(node.user);
        const certs = tls ? [join(dir, "certs"), tls.certificate, tls.key] : [];
        for (const path of [dir, configFile, ...certs]) await chown(path, uid, gid);
      }
      return {
        command: serverCommand(node, { configFile, logFile }),
        accounts: ejabberdAccounts({ node, domain }),
        caFile: tls?.certificate ?? null,
      };
    },
  }, opts);
}

async function systemUser(name: string): Promise<{ uid: number; gid: number }> {
  const { stdout } = await promisify(execFile)("getent", ["passwd", name]).catch(() => ({ stdout: "" }));
  const [, , uid, gid] = stdout.trim().split(":");
  if (!uid || !gid) throw new Error(`no system user ${JSON.stringify(name)}: the ejabberd package creates it; reinstall ejabberd`);
  return { uid: Number(uid), gid: Number(gid) };
}
