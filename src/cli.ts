#!/usr/bin/env node
// argv -> command. The only place that calls process.exit and chooses exit codes (src/exit-codes.ts).
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { ConfigError, loadConfig, type AgentConfig } from "./config/load.js";
import { EXIT } from "./exit-codes.js";

const HELP = `Usage: xmpp-device-agent <command> [options]

Commands:
  run            Run the agent: sample health, log in to XMPP, publish presence, answer operators
  watch          Run the fleet watch: follow watch.devices, ping them, tell the operators who went silent,
                 offline or bad (its own account; docs/fleet.md)
  status         Print this device's health once (no network). --json for a machine-readable object
  check-config   Validate the configuration and print it with secrets shown as [redacted]
  enroll URI...  Make this device's account from an invitation (xmpp:DOMAIN?register;preauth=...) and save it;
                 operators' roster invitations (xmpp:OPERATOR?roster;preauth=...) subscribe both ways

Options:
  --config FILE  JSON config file (default: $AGENT_CONFIG); environment variables override it
  --json         (status) print JSON
  --password-file FILE   (enroll) where to save the password (default: the config's xmpp.passwordFile, else
                 /etc/xmpp-device-agent/password, the file the installed unit reads)
  --operator-invite URI  (enroll) an operator's roster invitation; may be given more than once
  --force        (enroll) enrol again, with a new account, a device that is enrolled already
  -h, --help     Show this help
  -v, --version  Print the version

Exit codes: 0 ok, 64 usage, 70 internal error, 77 authentication refused, 78 invalid configuration.
enroll also: 65 invalid invitation URI, 69 registration closed, 73 enrolled already or account taken,
74 a file cannot be written, 75 server unreachable (try again), 77 invitation used or expired.`;

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}

/** parseArgs' own words ("To specify a positional argument starting with a '-', ...") are for programmers. */
function usageProblem(err: Error & { code?: string }): string {
  const option = /'(-[^']*)'/.exec(err.message)?.[1];
  if (err.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && option) return `unknown option: ${option}`;
  if (err.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" && option) {
    return `option ${option.split(" ")[0]} ${/does not take/.test(err.message) ? "takes no value" : "needs a value"}`;
  }
  return `invalid arguments: ${err.message.split(". ")[0]}`;
}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        config: { type: "string" },
        json: { type: "boolean" },
        "password-file": { type: "string" },
        "operator-invite": { type: "string", multiple: true },
        force: { type: "boolean" },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean", short: "v" },
      },
    });
  } catch (err) {
    process.stderr.write(`${usageProblem(err as Error & { code?: string })}\n\n${HELP}\n`);
    return EXIT.usage;
  }
  const { values, positionals } = parsed;
  if (values.version) {
    process.stdout.write(`${version()}\n`);
    return EXIT.ok;
  }
  const [command, ...rest] = positionals;
  if (values.help || command === undefined || command === "help") {
    process.stdout.write(`${HELP}\n`);
    return command === undefined && !values.help ? EXIT.usage : EXIT.ok;
  }
  if (rest.length > 0 && command !== "enroll") {
    process.stderr.write(`unexpected argument: ${rest[0]}\n\n${HELP}\n`);
    return EXIT.usage;
  }
  const config = () => loadConfig({ file: values.config });
  const configFile = values.config ?? process.env.AGENT_CONFIG;
  switch (command) {
    case "status":
      return (await import("./commands/status.js")).status(config(), { json: values.json === true });
    case "check-config":
      return (await import("./commands/check-config.js")).checkConfig(config(), configFile);
    case "enroll": {
      const invitations = [...rest, ...(values["operator-invite"] ?? [])];
      if (invitations.length === 0) {
        process.stderr.write(`enroll needs an invitation URI\n\n${HELP}\n`);
        return EXIT.usage;
      }
      const options = { invitations, config: values.config, passwordFile: values["password-file"], force: values.force === true };
      return (await import("./commands/enroll.js")).enroll(options);
    }
    case "run":
      return (await import("./commands/run.js")).run(config(), { version: version(), configFile });
    case "watch":
      return (await import("./commands/watch.js")).watch(config());
    default:
      process.stderr.write(`unknown command: ${command}\n\n${HELP}\n`);
      return EXIT.usage;
  }
}

// Exit explicitly: a half-closed stream's socket or timer must not keep a stopped agent alive
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof ConfigError) {
      process.stderr.write(`invalid configuration:\n${err.message}\n`);
      process.exit(EXIT.config);
    }
    process.stderr.write(`internal error: ${(err as Error)?.stack ?? String(err)}\n`);
    process.exit(EXIT.software);
  },
);

export type { AgentConfig };
