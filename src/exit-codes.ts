// sysexits(3) codes, so systemd's RestartPreventExitStatus can tell "fix the config" from "try again".
export const EXIT = {
  ok: 0,
  usage: 64, // EX_USAGE: unknown command or flag
  software: 70, // EX_SOFTWARE: a bug; systemd restarts the agent
  noPermission: 77, // EX_NOPERM: the server refused our credentials; retrying cannot help
  config: 78, // EX_CONFIG: the configuration is invalid
} as const;
