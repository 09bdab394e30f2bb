// The ejabberd.yml of a throwaway ejabberd 23.01: one host, c2s on one loopback port, nothing else listening.
//
// What ejabberd 23.01 (Debian 12) does, read in processone/ejabberd at tag 23.01 and checked against a running
// server (docs/servers.md has the differences from Prosody that the tests meet):
// - Only the `listen` entries open ports: no ejabberd_s2s_in, ejabberd_http, stun or mqtt listener here. Outgoing
//   s2s is refused by `s2s_access: none`. Erlang distribution is set on the command line (erlang-node.ts).
// - `starttls: false` with no certfiles: the stream offers no STARTTLS, and SASL runs on the plain loopback link.
//   `auth_password_format: scram` stores SCRAM-SHA-1 keys; offered (TLS or not): PLAIN, SCRAM-SHA-1, X-OAUTH2.
//   With `tls` (certfiles, STARTTLS required) and `auth_scram_hash: sha512`: PLAIN, SCRAM-SHA-512-PLUS,
//   SCRAM-SHA-512, X-OAUTH2 after STARTTLS (TLS 1.3). -PLUS checks tls-unique only (the Finished message, even
//   over TLS 1.3); tls-exporter and tls-server-end-point get "Invalid channel binding". No XEP-0440.
// - RFC 6121 3.4 pre-approval: not implemented (no urn:xmpp:features:pre-approval, no `approved` in mod_roster);
//   an outbound `subscribed` without a pending request changes no roster and reaches no one.
// - XEP-0198 (mod_stream_mgmt) offers sm:2 and sm:3 after authentication, resume_timeout 300 s by default.
// - max_stanza_size 262144 like Prosody's c2s_stanza_size_limit; over it the stream closes with policy-violation.
// - mod_muc locks no room: once its creator is in, anyone may join, before the owner configures it (Prosody
//   refuses them until then). No tombstones: a destroyed room may be created again at once. A new room is
//   temporary and semi-anonymous, as on Prosody.
// - No shaper on the listener: ejabberd's example config throttles c2s to 1000 B/s ("normal"), which would turn
//   the tests' floods into timeouts.

export interface EjabberdConfigInput {
  dir: string;
  domain: string;
  port: number;
  /** Certificate and key (PEM) for STARTTLS, then required; null: a plain loopback stream. */
  tls?: { certificate: string; key: string } | null;
  /** `auth_scram_hash`: the hash accounts are stored with, and so the only SCRAM-SHA-* offered (23.01: sha, sha256,
   * sha512); with TLS its -PLUS form too. */
  scramHash?: "sha" | "sha256" | "sha512";
}

// ejabberd module -> options; the same capabilities the Prosody harness loads, plus MUC
const MODULES: Record<string, Record<string, string | boolean>> = {
  // versioning (XEP-0237) off, its default: the roster comes whole, as from Prosody's harness
  mod_roster: { versioning: false },
  mod_disco: {},
  mod_caps: {},
  mod_ping: {},
  mod_version: { show_os: false },
  mod_time: {},
  mod_last: {},
  mod_stream_mgmt: {},
  mod_carboncopy: {},
  // Prosody's mod_offline is always loaded (autoload_modules); keep the same store-and-deliver behaviour
  mod_offline: {},
  // ejabberdctl change_password, which register() needs to reset an account (23.01 has it nowhere else)
  mod_admin_extra: {},
  // Any local user may create a room, as Debian's /etc/ejabberd/ejabberd.yml allows (muc_create: allow: local)
  mod_muc: { host: "conference.@HOST@", access_create: "local" },
};

export function ejabberdConfig({ dir, domain, port, tls = null, scramHash }: EjabberdConfigInput): string {
  const lines = [
    `# Written by xmpp-device-agent for a throwaway test server; deleted with ${dir}`,
    `hosts: [${yaml(domain)}]`,
    `loglevel: debug`,
    `log_rotate_size: infinity`,
    `listen:`,
    `  - port: ${port}`,
    `    ip: "127.0.0.1"`,
    `    module: ejabberd_c2s`,
    `    starttls: ${tls !== null}`,
    `    starttls_required: ${tls !== null}`,
    `    max_stanza_size: 262144`,
    `    access: all`,
    `auth_method: internal`,
    `auth_password_format: scram`,
    ...(scramHash ? [`auth_scram_hash: ${scramHash}`] : []),
    ...(tls ? [`certfiles:`, `  - ${yaml(tls.certificate)}`, `  - ${yaml(tls.key)}`] : []),
    `s2s_access: none`,
    `acl:`,
    `  local:`,
    `    user_regexp: ""`,
    `access_rules:`,
    `  local:`,
    `    allow: local`,
    `modules:`,
    ...Object.entries(MODULES).flatMap(([name, options]) => {
      const entries = Object.entries(options);
      if (entries.length === 0) return [`  ${name}: {}`];
      return [`  ${name}:`, ...entries.map(([key, value]) => `    ${key}: ${typeof value === "boolean" ? value : yaml(value)}`)];
    }),
  ];
  return `${lines.join("\n")}\n`;
}

function yaml(text: string): string {
  return JSON.stringify(text); // a JSON string is a valid YAML double-quoted scalar
}
