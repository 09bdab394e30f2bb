// The config file of a throwaway Prosody 0.12: one VirtualHost and its MUC component, c2s on one loopback port,
// nothing else.
//
// What Prosody 0.12.3 (Debian 12) does, read in /usr/lib/prosody and checked against a running server:
// - Start it with `prosody -F --config FILE`: -F keeps it in the foreground. The `daemonize` option is
//   deprecated in 0.12 and only warns; `--config` is the only other flag (`prosody --version` STARTS a server).
// - As root it refuses to start (mod_posix) unless `run_as_root = true`; 0.12.3 then fails to shut down and
//   lingers half-started with c2s open. `prosodyctl` as root setuid()s to the `prosody` user, which cannot read
//   a config in a root-only mkdtemp dir, so `run_as_root = true` keeps both as the caller.
// - s2s and s2s_auth_certs are autoloaded (modulemanager.lua) and must be in modules_disabled; c2s_direct_tls
//   and legacy_ssl listen on no ports by default; http, bosh, websocket, proxy65, admin_* only when enabled.
// - XEP-0198: mod_smacks is in core since 0.12; sm:2 and sm:3 are offered after authentication.
// - RFC 6121 3.4 pre-approval: mod_presence advertises <sub xmlns="urn:xmpp:features:pre-approval"/>, in the
//   stream features after authentication only.
// - SASL with internal_hashed: an unencrypted stream (even on loopback) offers SCRAM-SHA-1 only; PLAIN is held
//   back (insecure_sasl_mechanisms) unless allow_unencrypted_plain_auth. Over STARTTLS: PLAIN and SCRAM-SHA-1,
//   no SCRAM-SHA-1-PLUS (mod_saslauth binds tls-unique only, and not over TLS 1.3, which Node and OpenSSL 3
//   agree on); with `password_hash = "SHA-256"` SCRAM-SHA-256 instead. No XEP-0440. A wrong password gets
//   <failure><not-authorized/>.
// - Stanza size: c2s_stanza_size_limit, default 256 KiB (262144 bytes) once authenticated, 10000 before
//   (c2s_unauthed_stanza_size_limit); over it the stream closes with policy-violation. Not advertised.

export interface ProsodyConfigInput {
  dir: string;
  domain: string;
  port: number;
  runAsRoot: boolean;
  /** Certificate and key paths when STARTTLS is wanted. */
  tls: { certificate: string; key: string } | null;
  /** A second c2s port on 127.0.0.1 for direct TLS (XEP-0368), with the same certificate. */
  directTlsPort?: number;
  /** mod_auth_internal_hashed's `password_hash`: "SHA-256" offers SCRAM-SHA-256 instead of SCRAM-SHA-1. */
  passwordHash?: "SHA-1" | "SHA-256";
  /** Debug by default, for a failing test's message; the fleet benchmark asks for info (at debug Prosody writes
   * several lines per stanza, and a thousand sessions would measure its logging). */
  logLevel?: ProsodyLogLevel;
  /** Enrolment by invitation (XEP-0401, XEP-0379): mod_invites, mod_invites_register, mod_invites_adhoc. */
  invites?: boolean;
  /** Bare JIDs in Prosody's `admins`: with invites, their roster invitations also allow registration (;ibr=y),
   * the only kind Prosody 0.12.3 redeems (docs/fleet.md). */
  admins?: string[];
  /** mod_smacks' `smacks_hibernation_time` (600 s unless set): how long a resumable session outlives its link. An
   * admin who sets it to 30 s or less gets the agent's XEP-0198 resumption (src/xmpp/login-loop.ts). */
  hibernationSeconds?: number;
}

// Not "warn": readiness.ts waits for the info line that says c2s listens
export type ProsodyLogLevel = "debug" | "info";

const MODULES = [
  "roster", "saslauth", "disco", "presence", "ping", "version", "time", "uptime", "lastactivity",
  "smacks", "carbons",
];

// Invitations, as docs/fleet.md enables them. mod_invites_register loads mod_register_ibr itself
// (registration_invite_only, default true): no allow_registration, and registration without a token is refused.
// mod_invites_adhoc loads mod_adhoc: any local user may make a contact (roster) invitation.
const INVITE_MODULES = ["invites", "invites_register", "invites_adhoc"];

export function prosodyConfig({ dir, domain, port, runAsRoot, tls, logLevel = "debug", invites = false, admins = [], directTlsPort, passwordHash, hibernationSeconds }: ProsodyConfigInput): string {
  const modules = [...(tls ? ["tls"] : []), ...MODULES, ...(invites ? INVITE_MODULES : [])];
  const lines = [
    `-- Written by xmpp-device-agent for a throwaway test server; deleted with ${dir}`,
    `run_as_root = ${runAsRoot}`,
    `data_path = ${lua(`${dir}/data`)}`,
    `pidfile = ${lua(`${dir}/prosody.pid`)}`,
    `certificates = ${lua(`${dir}/certs`)}`,
    `log = { { levels = { min = ${lua(logLevel)} }, to = "file", filename = ${lua(`${dir}/prosody.log`)} } }`,
    // Every service defaults to all interfaces; pin each one that could listen to loopback.
    `interfaces = { "127.0.0.1" }`,
    `local_interfaces = { "127.0.0.1" }`,
    `c2s_interfaces = { "127.0.0.1" }`,
    `c2s_ports = { ${port} }`,
    `c2s_direct_tls_ports = { ${directTlsPort ?? ""} }`,
    `legacy_ssl_ports = { }`,
    `modules_enabled = { ${modules.map(lua).join(", ")} }`,
    `modules_disabled = { "s2s", "s2s_auth_certs" }`,
    ...(admins.length > 0 ? [`admins = { ${admins.map(lua).join(", ")} }`] : []),
    `authentication = "internal_hashed"`,
    ...(passwordHash ? [`password_hash = ${lua(passwordHash)}`] : []),
    ...(hibernationSeconds ? [`smacks_hibernation_time = ${hibernationSeconds}`] : []),
    // Direct TLS takes the service's certificate (the host's is chosen by SNI for STARTTLS only)
    ...(tls && directTlsPort ? [`c2s_direct_tls_ssl = { certificate = ${lua(tls.certificate)}, key = ${lua(tls.key)} }`] : []),
    `storage = "internal"`,
    `allow_registration = false`,
    `c2s_require_encryption = ${tls !== null}`,
    ``,
    `VirtualHost ${lua(domain)}`,
  ];
  if (tls) lines.push(`  ssl = { certificate = ${lua(tls.certificate)}, key = ${lua(tls.key)} }`);
  // XEP-0045 rooms for the fleet room tests: an internal component, so no port of its own. Any local user may
  // create a room; a new room stays locked until its owner configures it (muc_room_locking, the default). Without
  // tombstones a destroyed persistent room may be created again at once (by default only admins may, for 31 days).
  lines.push(``, `Component ${lua(`conference.${domain}`)} "muc"`, `  muc_tombstones = false`);
  return `${lines.join("\n")}\n`;
}

function lua(text: string): string {
  return `"${text.replace(/[\\"]/g, "\\$&").replace(/\n/g, "\\n")}"`;
}
