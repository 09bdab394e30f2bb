// `demo`: everything on this machine. A throwaway Prosody on loopback, a device account and an operator
// account, the agent logged in as the device, and the operator's view printed as it changes. Ctrl-C
// stops all of it and removes the server's temp dir.
// Dino and Gajim log in only over TLS, so the Prosody offers STARTTLS (and requires it) with a throwaway
// certificate for "localhost", on port 5222 when it is free (Dino has no port setting). The agent and the
// operator view in this process must trust that certificate too, and Node reads extra CAs only when it starts
// (NODE_EXTRA_CA_CERTS; @xmpp/starttls takes no `ca` option): so the demo makes the certificate first, then
// runs itself again with it.
import { spawn } from "node:child_process";
import { randomBytes, X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadConfig } from "../../src/config/load.js";
import { createLogger } from "../../src/log.js";
import { startAgent } from "../../src/agent.js";
import { ensureProsodyInstalled, startProsody } from "../../test/servers/prosody/throwaway.js";
import { selfSignedCertificate, type Certificate } from "../../test/servers/prosody/certificate.js";
import { watchAsOperator } from "./operator-view.js";
import { EXIT } from "../../src/exit-codes.js";

const say = (line: string) => process.stderr.write(`${line}\n`);

/** Where Dino looks for the server of a JID: the domain, port 5222. */
const XMPP_PORT = 5222;
const TRUSTED_COPY = "/usr/local/share/ca-certificates/xmpp-device-agent-demo.crt";

export async function demo({ version, tls }: { version: string; tls: Certificate }): Promise<number> {
  await ensureProsodyInstalled(say);
  const prosody = await startProsody({ tls, port: XMPP_PORT });
  const cleanup = () => prosody.stop();
  try {
    const devicePassword = randomBytes(12).toString("base64url");
    const operatorPassword = randomBytes(6).toString("base64url");
    const device = await prosody.register("device", devicePassword);
    const operator = await prosody.register("operator", operatorPassword);
    const config = loadConfig({
      env: {
        XMPP_SERVICE: prosody.service,
        XMPP_JID: device,
        XMPP_PASSWORD: devicePassword,
        AGENT_OPERATORS: operator,
        AGENT_INTERVAL: "5",
        AGENT_LOG_LEVEL: process.env.AGENT_LOG_LEVEL ?? "warn",
      },
    });
    // A demo should show changes within a minute, not after the production rate limits
    config.presence.minIntervalSeconds = 10;
    config.presence.refreshSeconds = 30;
    const agent = await startAgent({ config, password: devicePassword, log: createLogger(config.log.level), version });
    const view = await watchAsOperator({ service: prosody.service, jid: operator, password: operatorPassword, device, say });

    say("");
    say(`xmpp-device-agent ${version} demo: a throwaway Prosody on ${prosody.service} (domain ${prosody.domain})`);
    say(`  device   ${device} (resource ${hostname()}), sampling every 5 s`);
    say(`  operator ${operator}  password: ${operatorPassword}`);
    say(`Log in as the operator from any client on this machine: server 127.0.0.1, port ${prosody.port}, STARTTLS`);
    say(`with a throwaway certificate for "localhost" (valid 2 days): ${tls.certificate}`);
    say("  Gajim, Profanity, poezio: accept the certificate when the client asks (its fingerprints:");
    say(`    ${fingerprint(tls.certificate)})`);
    say(`  Dino (no such question) and any client: trust it system-wide while the demo runs,`);
    say(`    sudo cp ${tls.certificate} ${TRUSTED_COPY} && sudo update-ca-certificates`);
    say(`  and afterwards: sudo rm ${TRUSTED_COPY} && sudo update-ca-certificates --fresh`);
    if (prosody.port !== XMPP_PORT) say(`  (port ${XMPP_PORT} is taken: Dino, which always uses it, cannot log in to this demo)`);
    say(`  e.g. profanity: /connect ${operator} server 127.0.0.1 port ${prosody.port}`);
    say("and chat to the device (help). Below, what the operator sees. Ctrl-C stops everything.\n");

    const code = await Promise.race([
      agent.fatal,
      new Promise<number>((resolve) => {
        process.once("SIGINT", () => resolve(EXIT.ok));
        process.once("SIGTERM", () => resolve(EXIT.ok));
      }),
    ]);
    say("\nstopping the agent, the operator's view and Prosody ...");
    await agent.stop("demo ended");
    await view.stop();
    return code;
  } finally {
    await cleanup();
  }
}

/** What a client shows when it asks whether to trust a certificate: Gajim SHA-256, Profanity SHA-1. */
function fingerprint(certificateFile: string): string {
  const certificate = new X509Certificate(readFileSync(certificateFile));
  return `SHA-256 ${certificate.fingerprint256}, SHA-1 ${certificate.fingerprint}`;
}

/** The first run: makes the certificate, runs the demo again trusting it, and removes it afterwards. */
async function withCertificate(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), "xmpp-device-agent-demo-"));
  try {
    const tls = await selfSignedCertificate(dir, "localhost");
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url)], {
      stdio: "inherit",
      env: { ...process.env, DEMO_CERTIFICATE: JSON.stringify(tls), NODE_EXTRA_CA_CERTS: tls.certificate },
    });
    // Ctrl-C reaches both (one process group); a SIGTERM sent to this one is passed on
    process.on("SIGINT", () => undefined);
    process.on("SIGTERM", () => child.kill("SIGTERM"));
    return await new Promise<number>((resolve) => child.on("exit", (code) => resolve(code ?? EXIT.software)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// `npm run demo` runs this file (build/tools/demo/demo.js). It is not part of the installed agent: it starts a
// server and may run apt-get, so it lives outside src/ and never reaches the .deb or the tarball.
const pkg = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { version: string };
const given = process.env.DEMO_CERTIFICATE;
(given ? demo({ version: pkg.version, tls: JSON.parse(given) as Certificate }) : withCertificate()).then(
  (code) => process.exit(code),
  (err: unknown) => {
    say(`demo failed: ${(err as Error)?.stack ?? String(err)}`);
    process.exit(EXIT.software);
  },
);
