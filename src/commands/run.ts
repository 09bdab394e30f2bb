// `run`: the agent until SIGTERM/SIGINT (exit 0) or a login that retrying cannot fix (exit 77/78).
import { readPassword, type AgentConfig } from "../config/load.js";
import { createLogger } from "../log.js";
import { startAgent } from "../agent.js";
import { EXIT } from "../exit-codes.js";

export async function run(config: AgentConfig, { version }: { version: string }): Promise<number> {
  const log = createLogger(config.log.level);
  const password = config.xmpp.jid ? readPassword(config) : null;
  const agent = await startAgent({ config, password, log, version });

  const stopped = new Promise<number>((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.removeAllListeners("SIGTERM");
      process.removeAllListeners("SIGINT");
      log.info({ signal }, "stopping");
      agent.stop(signal).then(() => resolve(EXIT.ok), () => resolve(EXIT.ok));
    };
    process.once("SIGTERM", onSignal);
    process.once("SIGINT", onSignal);
  });
  return Promise.race([stopped, agent.fatal]);
}
