// The agent with its own /etc/resolv.conf, the way docs/operators.md tells an admin to point it at a DNS server:
// a mount namespace of its own (`unshare -m`, private propagation) with a resolv.conf bind-mounted over the
// system's. The host's file is never touched. Needs root (CAP_SYS_ADMIN), as the tests have.
export function withResolvConf(resolvConf: string): string[] {
  return ["unshare", "-m", "--", "sh", "-c", 'mount --bind "$0" /etc/resolv.conf && exec "$@"', resolvConf];
}
