// The command lines a throwaway server runs: the server itself and its control commands (account management).
import { findExecutable } from "./install.js";

export interface Command {
  command: string;
  args: string[];
  /** Unset: the caller's environment. */
  env?: NodeJS.ProcessEnv;
  /** Unset: the caller's working directory. */
  cwd?: string;
}

/**
 * `argv` run through setpriv (util-linux) as `user` and/or with a parent-death signal; unwrapped when there is
 * neither, or (for the signal alone) when setpriv is missing.
 */
export function underSetpriv(argv: string[], { user = null, pdeathsig }: { user?: string | null; pdeathsig: boolean }): string[] {
  const setpriv = findExecutable("setpriv");
  if (user && !setpriv) throw new Error(`running as the ${user} user needs setpriv (Debian: util-linux)`);
  const wrap = [
    ...(user ? ["--reuid", user, "--regid", user, "--init-groups"] : []),
    // Linux PR_SET_PDEATHSIG, set after the user switch: even a SIGKILLed test runner takes the server down
    ...(pdeathsig && setpriv ? ["--pdeathsig", "TERM"] : []),
  ];
  return wrap.length > 0 ? [setpriv!, ...wrap, "--", ...argv] : argv;
}
