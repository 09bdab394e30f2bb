// One login attempt, from TCP connect to a bound resource or a resumed stream (XEP-0198), bounded in time; its end
// is login-loop.ts's next event. What a failed attempt leaves behind in the client is cleaned up here.
import type { Client } from "@xmpp/client";
import type { LoginError } from "./login-loop.js";

/** How long one login attempt may take from TCP connect to a bound resource. */
const LOGIN_TIMEOUT_MS = 20_000;

/** Resolves with what the login failed with, or null once online. */
export async function loginAttempt(xmpp: Client, service: string, domain: string): Promise<LoginError | null> {
  // @xmpp/events' procedure() (SASL, XEP-0198 resume) unsubscribes only when its exchange ends: one cut short by
  // a lost link would answer the next link's SASL challenge with its old nonce: not-authorized, and exit 77
  const nonzaBefore = new Set(xmpp.listeners("nonza"));
  try {
    await login(xmpp, service, domain);
    return null;
  } catch (err) {
    for (const listener of xmpp.listeners("nonza")) {
      if (!nonzaBefore.has(listener)) xmpp.removeListener("nonza", listener as (...args: unknown[]) => void);
    }
    return err as LoginError;
  }
}

async function login(xmpp: Client, service: string, domain: string) {
  let settle: ((err?: Error) => void) | null = null;
  const ready = new Promise<void>((resolve, reject) => {
    settle = (err) => (err ? reject(err) : resolve());
  });
  // A settle after the attempt has been given up must not become an unhandled rejection
  ready.catch(() => undefined);
  const onOnline = () => settle!();
  const onError = (err: Error) => settle!(err);
  // A server that goes away mid-login (a restart) often closes without a stream error: retry now, not at the timeout
  const onDisconnect = () => settle!(new Error("the server closed the connection during login"));
  const timeout = setTimeout(() => settle!(new Error(`login timed out after ${LOGIN_TIMEOUT_MS / 1000} s`)), LOGIN_TIMEOUT_MS);
  xmpp.on("online", onOnline);
  xmpp.streamManagement.on("resumed", onOnline);
  xmpp.on("error", onError);
  xmpp.on("disconnect", onDisconnect);
  try {
    // Not awaited in turn: open() would wait out its own timeout after a disconnect that already settled `ready`
    const steps = (async () => {
      await xmpp.connect(service);
      await xmpp.open({ domain, lang: "en" }).catch((err: Error) => {
        // @xmpp/connection's TimeoutError has no message: say what went unanswered
        throw err.name === "TimeoutError" ? new Error(`the server did not answer the stream header within ${xmpp.timeout / 1000} s`) : err;
      });
    })();
    steps.catch((err: Error) => settle!(err));
    await ready;
  } finally {
    clearTimeout(timeout);
    xmpp.removeListener("online", onOnline);
    xmpp.streamManagement.removeListener("resumed", onOnline);
    xmpp.removeListener("error", onError);
    xmpp.removeListener("disconnect", onDisconnect);
  }
}
