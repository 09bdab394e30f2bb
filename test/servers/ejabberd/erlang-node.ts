// The Erlang command lines of a throwaway ejabberd: the server node, and the short-lived control node that runs
// an ejabberdctl command on it. They are what /usr/sbin/ejabberdctl runs (`foreground`, and `-s ejabberd_ctl`),
// without the script itself, because the script:
// - refuses every caller but root and the `ejabberd` user (exit 7), and as root re-runs itself through `su`, a
//   bash -> su -> beam chain where a parent-death signal cannot reach the server;
// - uses epmd (port 4369, all interfaces unless ERL_EPMD_ADDRESS) and the cookie in the ejabberd user's home.
// Here: no epmd at all (`-erl_epmd_port` + `-start_epmd false`, OTP >= 23.1): the node listens on its own loopback
// port (`inet_dist_use_interface`); the cookie is $HOME/.erlang.cookie with HOME = the temp dir, made 0400 by
// the first node. As root both nodes run as the `ejabberd` user (setpriv); otherwise as the caller.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { underSetpriv, type Command } from "../throwaway/command.js";
import { findExecutable } from "../throwaway/install.js";

export const EJABBERDCTL = "/usr/sbin/ejabberdctl";

export interface ErlangNode {
  /** "xda-<hex>@localhost": -sname, unique per throwaway server. */
  name: string;
  /** The loopback port Erlang distribution listens on. */
  distPort: number;
  dir: string;
  /** The system user both nodes run as ("ejabberd" for a root caller), or null: the caller. */
  user: string | null;
}

/** The server: `ejabberdctl foreground-quiet`'s command line, with our config, log and spool in `dir`. */
export function serverCommand(node: ErlangNode, { configFile, logFile }: { configFile: string; logFile: string }): Command {
  return erl(node, { pdeathsig: true }, {
    EJABBERD_CONFIG_PATH: configFile,
    EJABBERD_LOG_PATH: logFile,
    ERL_CRASH_DUMP: join(node.dir, "erl_crash.dump"),
  }, [
    "-sname", node.name,
    ...distribution(node),
    "-kernel", "inet_dist_use_interface", "{127,0,0,1}",
    "-env", "ERL_CRASH_DUMP_BYTES", "0",
    "-mnesia", "dir", JSON.stringify(join(node.dir, "spool")),
    // quiet: the console gets critical lines only, the log file gets everything (no second copy to write);
    // log_rotate_size: one file for the whole run, so readiness can read it from an offset
    "-ejabberd", "quiet", "true", "log_rotate_size", "infinity",
    "-s", "ejabberd",
    "-noinput",
  ]);
}

/** `ejabberdctl <args>` against the server node: a hidden node that listens nowhere, runs the command, halts. */
export function ctlCommand(node: ErlangNode, args: string[]): Command {
  const ctlName = `${node.name.split("@")[0]}-ctl-${Math.random().toString(16).slice(2, 8)}@localhost`;
  return erl(node, { pdeathsig: false }, {}, [
    "-sname", ctlName,
    ...distribution(node),
    "-dist_listen", "false",
    "-hidden",
    "-noinput",
    "-s", "ejabberd_ctl",
    "-extra", node.name, ...args,
  ]);
}

function distribution(node: ErlangNode): string[] {
  return ["-erl_epmd_port", String(node.distPort), "-start_epmd", "false"];
}

function erl(node: ErlangNode, { pdeathsig }: { pdeathsig: boolean }, env: Record<string, string>, args: string[]): Command {
  if (node.user && !findExecutable("setpriv")) throw new Error(`running ejabberd as the ${node.user} user needs setpriv (Debian: util-linux)`);
  const [command, ...rest] = underSetpriv(["/usr/bin/erl", ...args], { user: node.user, pdeathsig });
  return {
    command: command!,
    args: rest,
    cwd: node.dir,
    // A clean environment: nothing of the caller's Erlang settings (ERL_FLAGS, ERL_AFLAGS) leaks in
    env: {
      PATH: "/usr/sbin:/usr/bin:/sbin:/bin",
      HOME: node.dir,
      LANG: "C.UTF-8",
      ERL_LIBS: erlLibs(),
      // Only consulted if something starts epmd after all: then it listens on loopback only
      ERL_EPMD_ADDRESS: "127.0.0.1",
      ...env,
    },
  };
}

/** Where the package put ejabberd's Erlang applications; ejabberdctl names it (multiarch: x86_64, aarch64...). */
export function erlLibs(): string {
  const script = readFileSync(EJABBERDCTL, "utf8");
  const libs = /^ERL_LIBS='?([^'\n]+)'?$/m.exec(script)?.[1];
  if (!libs) throw new Error(`${EJABBERDCTL}: no ERL_LIBS line; this harness knows the script of ejabberd 23.01`);
  return libs;
}
