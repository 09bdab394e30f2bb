// `enroll URI... [--operator-invite URI]... [--config FILE] [--password-file FILE] [--force]`: the device's
// account from an invitation (src/enrolment/). Prints the JID on stdout, what was done on stderr; never a token
// or the password.
import type { AgentConfig } from "../config/load.js";
import { createLogger } from "../log.js";
import { EXIT } from "../exit-codes.js";
import { enrolDevice, secretsOf } from "../enrolment/index.js";
import { EnrolmentFailure, type FailureReason } from "../enrolment/failure.js";
import { UNIT_CONFIG_FILE } from "../enrolment/files.js";

export interface EnrollOptions {
  invitations: string[];
  config?: string;
  passwordFile?: string;
  force: boolean;
}

const EXIT_FOR: Record<FailureReason, number> = {
  invalid: EXIT.dataError,
  closed: EXIT.unavailable,
  exists: EXIT.cannotCreate,
  unwritable: EXIT.ioError,
  unreachable: EXIT.tryAgain,
  refused: EXIT.noPermission,
  insecure: EXIT.config,
};

export async function enroll(options: EnrollOptions, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const secrets = secretsOf(options.invitations);
  const say = (line: string) => process.stderr.write(`${scrub(line, secrets)}\n`);
  try {
    const enrolment = await enrolDevice({
      invitations: options.invitations,
      configFile: options.config ?? env.AGENT_CONFIG ?? UNIT_CONFIG_FILE,
      passwordFile: options.passwordFile,
      force: options.force,
      env,
      // Human lines on stderr are the output; the agent's JSON log only for a config that asks for detail
      logger: (config: AgentConfig) => createLogger(["debug", "trace"].includes(config.log.level) ? config.log.level : "warn", process.stderr),
    });
    if (enrolment.registered) say(`enrolled as ${enrolment.jid}: password in ${enrolment.passwordFile}, xmpp.jid in ${enrolment.configFile}`);
    for (const { jid, both } of enrolment.operators) {
      say(both
        ? `${jid}: subscribed both ways, and in operators`
        : `${jid}: the roster invitation was not accepted (used or expired, or a kind their server cannot redeem: docs/fleet.md); in operators now, so the agent sends an ordinary subscription request for them to accept`);
    }
    say("start the agent: systemctl restart xmpp-device-agent");
    process.stdout.write(`${enrolment.jid}\n`);
    return enrolment.operators.every(({ both }) => both) ? EXIT.ok : EXIT.noPermission;
  } catch (err) {
    if (err instanceof EnrolmentFailure) {
      say(`enroll: ${err.message}`);
      return EXIT_FOR[err.reason];
    }
    // A ConfigError goes to the CLI (exit 78); anything else loses the stack here, which could quote a stanza
    if ((err as Error).name === "ConfigError") throw err;
    say(`enroll: internal error: ${(err as Error).message}`);
    return EXIT.software;
  }
}

/** No message printed here holds a token, whoever wrote it (the server's own words are printed too). */
function scrub(line: string, secrets: string[]): string {
  return secrets.filter(Boolean).reduce((text, secret) => text.split(secret).join("[redacted]"), line);
}
