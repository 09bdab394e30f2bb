// Said by `check-config` and `run` when no account is configured: an empty xmpp.jid is valid (the .deb
// starts that way) but the agent then only samples and logs, which a new user must not mistake for working.

/** `configFile`: the file read (--config or $AGENT_CONFIG), or undefined when none was. */
export function noAccountText(configFile: string | undefined): string {
  return configFile
    ? `no XMPP account is set (xmpp.jid is empty in ${configFile}): the agent only samples and logs. ` +
        "Set xmpp.jid and a password there (or XMPP_JID and XMPP_PASSWORD_FILE)"
    : "no XMPP account is set and no config file was read: the agent only samples and logs. Give a config file " +
        "with xmpp.jid and a password (--config FILE or $AGENT_CONFIG; the package's is /etc/xmpp-device-agent/config.json), " +
        "or set XMPP_JID and XMPP_PASSWORD_FILE";
}
