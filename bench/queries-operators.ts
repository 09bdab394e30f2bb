// Operator clients for bench/queries.bench.ts: bare @xmpp/client logins (no roster, no presence: a message or
// an IQ to a full JID needs neither, RFC 6121 8.5.3.1) that time one round trip at a time.
import { pbkdf2Sync } from "node:crypto";
import { createRequire } from "node:module";
import { client, xml, type Element } from "@xmpp/client";

export interface Operator {
  jid: string;
  /** ms from sending a chat line to the reply that carries the same <thread>; rejects after timeoutMs. */
  chat(to: string, body: string, timeoutMs?: number): Promise<number>;
  /** ms for a XEP-0092 version IQ to `to` to come back as a result. */
  version(to: string, timeoutMs?: number): Promise<number>;
  /** Sends a chat line without waiting for anything. */
  post(to: string, body: string): Promise<void>;
  /** Chat replies received so far, whatever their thread. */
  replies(): number;
  /** performance.now() of the last chat reply, or NaN. */
  lastReplyAt(): number;
  stop(): Promise<void>;
}

const NS_VERSION = "jabber:iq:version";

export async function connectOperator(service: string, jid: string, password: string): Promise<Operator> {
  const [username, domain] = jid.split("@");
  const xmpp = client({ service, domain, username, password, resource: "bench" });
  xmpp.reconnect.stop();
  xmpp.on("error", () => undefined);
  // Prosody asks for a XEP-0198 ack (<r/>) after every stanza, so the client writes <a/> and then its next
  // question: with Nagle on, that question waits for the server's delayed ACK, ~40 ms on Linux, and every round
  // trip measures the operator's socket instead of the agent. Phone and desktop clients differ; this one is fast.
  xmpp.on("connect", () => xmpp.socket?.setNoDelay(true));
  const waiting = new Map<string, (at: number) => void>();
  let replies = 0;
  let lastReplyAt = NaN;
  let sent = 0;
  xmpp.on("stanza", (stanza: Element) => {
    if (!stanza.is("message") || stanza.getChild("body") === undefined) return;
    const at = performance.now();
    replies++;
    lastReplyAt = at;
    const thread = stanza.getChildText("thread");
    if (thread !== null) waiting.get(thread)?.(at);
  });
  await xmpp.start();

  const message = (to: string, body: string, thread: string) => xml("message", { to, type: "chat" }, xml("body", {}, body), xml("thread", {}, thread));
  return {
    jid,
    chat(to, body, timeoutMs = 5000) {
      const thread = `q${++sent}`;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => (waiting.delete(thread), reject(new Error(`${jid}: no reply to "${body}" within ${timeoutMs} ms`))), timeoutMs);
        const t0 = performance.now();
        waiting.set(thread, (at) => (clearTimeout(timer), waiting.delete(thread), resolve(at - t0)));
        xmpp.send(message(to, body, thread)).catch(reject);
      });
    },
    async version(to, timeoutMs = 5000) {
      const t0 = performance.now();
      await xmpp.iqCaller.request(xml("iq", { type: "get", to }, xml("query", NS_VERSION)), timeoutMs);
      return performance.now() - t0;
    },
    post: (to, body) => xmpp.send(message(to, body, `f${++sent}`)),
    replies: () => replies,
    lastReplyAt: () => lastReplyAt,
    async stop() {
      await Promise.race([xmpp.stop().catch(() => undefined), new Promise((r) => setTimeout(r, 1000))]);
      xmpp.socket?.destroy();
    },
  };
}

/** Runs `task` over `items`, at most `limit` at a time, keeping the order of the results. */
export async function inBatches<T, R>(items: T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += limit) results.push(...(await Promise.all(items.slice(i, i + limit).map(task))));
  return results;
}

/**
 * Set-up speed only, in this process: sasl-scram-sha-1 computes SCRAM's Hi() as 10,000 awaited WebCrypto HMACs
 * (~0.35 s per login here, see the online scenario), which would make 200 operator logins take a minute.
 * PBKDF2-HMAC-SHA1 with a 20-byte key is Hi() (RFC 5802 2.2), so node's pbkdf2 gives the same bytes. The agent
 * runs in its own process and logs in with the library unpatched.
 */
export function fastScramInThisProcess(): void {
  const require = createRequire(import.meta.url);
  const bitops = require("sasl-scram-sha-1/lib/bitops.js") as { Hi: (text: string, salt: Uint8Array, iterations: number) => Promise<Uint8Array> };
  bitops.Hi = async (text, salt, iterations) => new Uint8Array(pbkdf2Sync(text, salt, iterations, 20, "sha1"));
}
