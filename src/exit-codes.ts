// sysexits(3) codes, so systemd's RestartPreventExitStatus can tell "fix the config" from "try again".
export const EXIT = {
  ok: 0,
  usage: 64, // EX_USAGE: unknown command or flag
  dataError: 65, // EX_DATAERR: (enroll) an invitation URI is malformed
  unavailable: 69, // EX_UNAVAILABLE: (enroll) the server does not register accounts by invitation
  software: 70, // EX_SOFTWARE: a bug; systemd restarts the agent
  cannotCreate: 73, // EX_CANTCREAT: (enroll) enrolled already, or the invited account name is taken
  ioError: 74, // EX_IOERR: (enroll) the config or the password file cannot be written
  tryAgain: 75, // EX_TEMPFAIL: (enroll) the server cannot be reached or asks to wait; the invitation is still good
  noPermission: 77, // EX_NOPERM: the server refused our credentials; retrying cannot help
  config: 78, // EX_CONFIG: the configuration is invalid
} as const;
