// The XMPP link as the agent uses it; logging in and staying connected is connection.ts. It tells the other
// capabilities of sessions through the bus, waits for their goodbyes (unavailable presences) before it closes
// the stream, and resolves `fatal` with the exit code when retrying cannot help.
import type { Client } from "@xmpp/client";
import type { AgentConfig } from "../config/load.js";
import type { AgentBus } from "../events.js";
import type { Capability } from "../lifecycle.js";
import type { Logger } from "../log.js";
import { EXIT } from "../exit-codes.js";
import { createConnection } from "./connection.js";
import { leaveOutLargeErrorEchoes } from "./error-echo.js";
import { jidParts } from "../jid.js";

/** The whole stop: goodbyes first, then closing the stream. */
const STOP_WITHIN_MS = 2500;
/** A dead link must not hold the shutdown: goodbyes are best effort. */
const GOODBYES_WITHIN_MS = 500;

export interface LinkDeps {
  config: AgentConfig["xmpp"];
  password: string;
  events: AgentBus;
  log: Logger;
}

export interface XmppLink extends Capability {
  xmpp: Client;
  isOnline(): boolean;
  /** A stanza being sent on the way out: the stream closes once these are sent, or after 500 ms. */
  beforeClose(sending: Promise<unknown>): void;
  /** The exit code, once the server refused the login for good (wrong password, insecure link refused). */
  fatal: Promise<number>;
  /** Logging in: listed after every capability that listens to the link, so none misses the first session. */
  login: Capability;
}

export function xmppLink({ config, password, events, log }: LinkDeps): XmppLink {
  let gaveUp = false;
  const goodbyes: Promise<unknown>[] = [];
  let reportFatal: (code: number) => void = () => undefined;
  const fatal = new Promise<number>((resolve) => (reportFatal = resolve));
  const connection = createConnection({
    service: config.service || `xmpp://${jidParts(config.jid).domain}:5222`,
    jid: config.jid,
    resource: config.resource,
    password,
    allowInsecure: config.allowInsecure,
    keepaliveSeconds: config.keepaliveSeconds,
    keepaliveTimeoutSeconds: config.keepaliveTimeoutSeconds,
    reconnectMaxSeconds: config.reconnectMaxSeconds,
    loginStepTimeoutSeconds: config.loginStepTimeoutSeconds,
    log,
    onSession: () => events.emit("sessionStarted"),
    onResumed: () => events.emit("sessionResumed"),
    onFatal: (err) => {
      gaveUp = true; // the connection has stopped itself
      log.fatal({ reason: err.message }, err.kind === "auth" ? "login refused: check xmpp.jid and the password" : "login refused");
      reportFatal(err.kind === "auth" ? EXIT.noPermission : EXIT.config);
    },
  });
  // Wraps send itself, so every stanza from every capability goes through it
  leaveOutLargeErrorEchoes(connection.xmpp);

  return {
    xmpp: connection.xmpp,
    isOnline: connection.isOnline,
    beforeClose: (sending) => void goodbyes.push(sending),
    fatal,
    login: {
      start: () => connection.start(),
      stop() {}, // the link's own stop ends the login loop
    },
    async stop() {
      if (gaveUp) return;
      if (goodbyes.length > 0) {
        await Promise.race([Promise.all(goodbyes), new Promise((resolve) => setTimeout(resolve, GOODBYES_WITHIN_MS).unref())]);
      }
      await connection.stop(STOP_WITHIN_MS - GOODBYES_WITHIN_MS);
    },
  };
}
