// `demo`: everything on this machine. A throwaway Prosody on loopback, a device account and an operator
// account, the agent logged in as the device, and the operator's view printed as it changes. Ctrl-C
// stops all of it and removes the server's temp dir.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { hostname } from "node:os";
import { loadConfig } from "../../src/config/load.js";
import { createLogger } from "../../src/log.js";
import { startAgent } from "../../src/agent.js";
import { ensureProsodyInstalled, startProsody } from "../../test/servers/prosody/throwaway.js";
import { watchAsOperator } from "./operator-view.js";
import { EXIT } from "../../src/exit-codes.js";

const say = (line: string) => process.stderr.write(`${line}\n`);

export async function demo({ version }: { version: string }): Promise<number> {
  await ensureProsodyInstalled(say);
  const prosody = await startProsody();
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
    say(`Log in as the operator from any client on this machine (server 127.0.0.1, port ${prosody.port}, no TLS),`);
    say(`e.g. profanity: /connect ${operator} server 127.0.0.1 port ${prosody.port} tls disable`);
    say("and chat to the device. Below, what the operator sees. Ctrl-C stops everything.\n");

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

// `npm run demo` runs this file (build/tools/demo/demo.js). It is not part of the installed agent: it starts a
// server and may run apt-get, so it lives outside src/ and never reaches the .deb or the tarball.
const pkg = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { version: string };
demo({ version: pkg.version }).then(
  (code) => process.exit(code),
  (err: unknown) => {
    say(`demo failed: ${(err as Error)?.stack ?? String(err)}`);
    process.exit(EXIT.software);
  },
);
