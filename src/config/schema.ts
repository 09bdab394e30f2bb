// The agent's settings: one convict schema, a doc, default and format for every key.
// README's config reference is generated from this object (see docs test), so it cannot drift.
// Named formats ("bare-jid", ...) are registered in load.ts from formats.ts.
import { hostname } from "node:os";
import { bareJid, integerBetween, numberBetween } from "./formats.js";

function threshold(what: string, unit: string, warn: number, crit: number, max: number) {
  return {
    warn: { doc: `${what} at or above which the device is "warn" (${unit})`, format: numberBetween(0, max), default: warn },
    crit: { doc: `${what} at or above which the device is "crit" (${unit})`, format: numberBetween(0, max), default: crit },
  };
}

/** fleet.room: a room's bare JID, or empty for none. */
function roomJid(value: unknown) {
  if (value === "") return;
  try {
    bareJid.validate(value);
  } catch {
    throw new Error("must be a room's bare JID like fleet@conference.example.org, or empty (no room)");
  }
}

function absolutePathOrEmpty(value: unknown) {
  if (value !== "" && (typeof value !== "string" || !value.startsWith("/"))) throw new Error("must be an absolute directory path like /var/lib/xmpp-device-agent, or empty");
}

export const schema = {
  xmpp: {
    service: {
      doc: "Server to connect to: xmpp://host:port (STARTTLS) or xmpps://host:port (direct TLS). Empty: the JID domain's SRV records (_xmpps-client, _xmpp-client), then the domain on 5222",
      format: "xmpp-service",
      default: "",
      env: "XMPP_SERVICE",
    },
    jid: { doc: "The device's bare JID, e.g. pi-42@example.org", format: "bare-jid", default: "", env: "XMPP_JID" },
    password: {
      doc: "The account password. Prefer passwordFile or systemd's LoadCredential (xmpp-password)",
      format: String,
      default: "",
      env: "XMPP_PASSWORD",
      sensitive: true,
    },
    passwordFile: {
      doc: "A file holding the password (its first line). Or systemd's LoadCredential=xmpp-password:FILE; exactly one source may be set",
      format: String,
      default: "",
      env: "XMPP_PASSWORD_FILE",
    },
    resource: { doc: "Resource to bind (default: the hostname)", format: "resource", default: hostname(), env: "XMPP_RESOURCE" },
    allowInsecure: {
      doc: "Allow authentication over an unencrypted link to a non-loopback host. Never needed with TLS",
      format: Boolean,
      default: false,
      env: "XMPP_ALLOW_INSECURE",
    },
    keepaliveSeconds: {
      doc: "Ping the server (XEP-0199) after this many seconds without traffic, to notice a dead link",
      format: integerBetween(5, 3600),
      default: 60,
    },
    keepaliveTimeoutSeconds: {
      doc: "A keepalive ping unanswered for this long drops the link and reconnects",
      format: integerBetween(1, 600),
      default: 20,
    },
    reconnectMaxSeconds: {
      doc: "Upper bound of the reconnect backoff (exponential from 1 s, full jitter)",
      format: integerBetween(1, 3600),
      default: 300,
    },
    loginStepTimeoutSeconds: {
      doc: "Seconds to wait for each server answer while logging in (stream header, STARTTLS); a whole login gets 20",
      format: integerBetween(1, 20),
      default: 10,
    },
  },
  operators: {
    doc: "Who may see and ask the device: bare JIDs or *@domain, comma-separated in the env variable",
    format: "operator-list",
    default: [] as string[],
    env: "AGENT_OPERATORS",
  },
  sampling: {
    intervalSeconds: {
      doc: "Seconds between health samples",
      format: numberBetween(0.5, 86400),
      default: 10,
      env: "AGENT_INTERVAL",
    },
    disks: { doc: "Mount points whose use is watched", format: "mount-list", default: ["/"] },
  },
  thresholds: {
    cpu: threshold("CPU use", "percent", 85, 95, 100),
    memory: threshold("Memory use", "percent", 85, 95, 100),
    disk: threshold("Disk use of any watched mount", "percent", 85, 95, 100),
    temperature: threshold("Temperature", "°C", 70, 80, 200),
    load: threshold("1-minute load per core", "load per core", 2, 4, 1000),
    power: {
      doc: "Level for Raspberry Pi under-voltage or throttling happening now",
      format: ["ignore", "warn", "crit"],
      default: "warn",
    },
  },
  presence: {
    raiseAfter: { doc: "Consecutive samples at a worse level before the level is raised", format: integerBetween(1, 100), default: 3 },
    clearAfter: { doc: "Consecutive samples at a better level before the level is cleared", format: integerBetween(1, 100), default: 3 },
    minIntervalSeconds: {
      doc: "At most one presence per this many seconds (a raise to crit is never held back)",
      format: integerBetween(0, 86400),
      default: 60,
    },
    refreshSeconds: {
      doc: "With no level change, refresh the status line's numbers at most this often (0: never)",
      format: integerBetween(0, 86400),
      default: 900,
    },
    priority: { doc: "Presence priority (RFC 6121 4.7.2.3), 0 to 127: not negative, so chat to the bare JID reaches the agent", format: integerBetween(0, 127), default: 0 },
  },
  fleet: {
    room: {
      doc: "A XEP-0045 room (bare JID) the device joins with its health presence, so one occupant list shows the fleet. Empty: no room",
      format: roomJid,
      default: "",
      env: "AGENT_FLEET_ROOM",
    },
    nick: { doc: "The device's nick in fleet.room. Empty: the hostname", format: "resource", default: "", env: "AGENT_FLEET_NICK" },
    announce: { doc: "Post a one-line message in fleet.room when the level changes (pi-42: warn → crit: temp 85°C ≥ 80)", format: Boolean, default: false },
    announceMinIntervalSeconds: {
      doc: "At most one fleet.announce message per this many seconds; a change held back goes out when it expires",
      format: integerBetween(0, 86400),
      default: 300,
    },
  },
  alerts: {
    level: {
      doc: "Chat an alert to each subscribed operator when the level reaches this or worse (or health is unreadable); each operator may choose their own by chat (alerts off|warn|crit). off: none unless an operator asks. The watcher: each operator's default for its news (docs/fleet.md)",
      format: ["off", "warn", "crit"],
      default: "crit",
    },
    remindMinutes: { doc: "Remind every this many minutes while an alert is open and not acknowledged (the watcher: while any device's problem is; 0: never)", format: numberBetween(0, 10080), default: 60 },
    flapChanges: {
      doc: "More level changes than this within alerts.flapMinutes is flapping: one message, then quiet until the level holds still for alerts.flapMinutes",
      format: integerBetween(1, 100),
      default: 4,
    },
    flapMinutes: { doc: "The flapping window, and how long the level must hold still to end flapping (minutes)", format: numberBetween(0.01, 1440), default: 30 },
    maxPerMinute: { doc: "Flood guard: at most this many alert messages to one operator in any minute", format: integerBetween(1, 60), default: 6 },
    stateDirectory: {
      doc: "Where operators' alert choices are kept across restarts. Empty: systemd's $STATE_DIRECTORY (StateDirectory=); without either they last until the agent stops",
      format: absolutePathOrEmpty,
      default: "",
    },
  },
  checks: {
    doc: "The owner's own checks (services, processes, ports, URLs, files, monitoring plugins): docs/checks.md",
    // Each check's problems are found beside convict's (load.ts: checkProblems), one line per key: checks[2].url
    format: Array,
    default: [] as unknown[],
  },
  watch: {
    devices: {
      doc: "xmpp-device-agent watch: the devices it watches (bare JIDs; each lists the watcher's JID among its operators), comma-separated in the env variable",
      format: "jid-list",
      default: [] as string[],
      env: "WATCH_DEVICES",
    },
    pingSeconds: {
      doc: "xmpp-device-agent watch: ping each online device (XEP-0199) every this many seconds, spread over the interval; silent after two in a row unanswered (told within 90 s with 30, plus the digest)",
      format: integerBetween(5, 3600),
      default: 30,
    },
    digestSeconds: {
      doc: "xmpp-device-agent watch: news reaches each operator as one message once this many seconds pass without more, at most 6 times this after the first",
      format: integerBetween(0, 3600),
      default: 10,
    },
  },
  log: {
    level: {
      doc: "Log level, the most severe first (debug logs every sample)",
      format: ["fatal", "error", "warn", "info", "debug", "trace", "silent"],
      default: "info",
      env: "AGENT_LOG_LEVEL",
    },
  },
};
