// @xmpp/client 0.14 with the repairs and tuning the agent needs, each explained where it is wired (those with a
// file of their own say why there). connection.ts logs in with it. Built before the first connect: that is when
// the library binds the socket's data listener, which the crash guard below replaces.
import { client, type Client, type Element } from "@xmpp/client";
import { wholeTags } from "./whole-tags.js";
import { askForAcks } from "./ack-requests.js";
import { countHandledStanzas } from "./handled-count.js";
import { tlsForDomain, tlsSocketOf } from "./tls-link.js";
import type { LoginCredentials } from "./credentials.js";
import { SCRAM_HASHES, scramMechanism } from "./scram-mechanism.js";

export interface RepairedClientOptions {
  service: string;
  domain: string;
  resource: string;
  /** xmpp.loginStepTimeoutSeconds */
  loginStepTimeoutSeconds: number;
  /** Picks the SASL mechanism and may refuse the link: credentials.ts. */
  credentials: LoginCredentials;
}

export function repairedClient(options: RepairedClientOptions): Client {
  const xmpp = client({
    service: options.service,
    domain: options.domain,
    resource: options.resource,
    // The library waits 2 s, less than a busy server's first answer: 1,000 agents starting at once against one
    // Prosody at 93% CPU had 956 and 975 failed logins with 2 s, each retried at once, and 93 and 253 with 10 s
    // (two runs each, `node build/bench/run.js fleet --devices 1000 --logins-only 1 --login-step-timeout-seconds
    // 2|10`). The price: all online after 78-83 s instead of 68-69 s. docs/benchmarks.md, "Fleet".
    timeout: options.loginStepTimeoutSeconds * 1000,
    // A function instead of {username, password}: we pick the mechanism and refuse a plaintext link first
    credentials: (authenticate, mechanisms, _fast, entity) =>
      options.credentials(authenticate, mechanisms, { secure: entity.isSecure(), tls: tlsSocketOf(entity), features: sasl.features, successData: () => sasl.success }),
  });
  // SCRAM with SHA-256/512 and channel binding, ours instead of sasl-scram-sha-1: see scram-mechanism.ts
  xmpp.saslFactory._mechs = xmpp.saslFactory._mechs.filter(({ name }) => !name.startsWith("SCRAM-"));
  for (const hash of SCRAM_HASHES) for (const plus of [true, false]) xmpp.saslFactory.use(scramMechanism(hash, plus));
  // What credentials.ts reads besides the mechanisms: seen before @xmpp/sasl's middleware handles the element
  const sasl = { features: null as Element | null, success: null as string | null };
  xmpp.prependListener("element", (el: Element) => {
    if (el.is("features", "http://etherx.jabber.org/streams")) [sasl.features, sasl.success] = [el, null];
    else if (el.is("success", "urn:ietf:params:xml:ns:xmpp-sasl")) sasl.success = Buffer.from(el.text(), "base64").toString();
    else if (el.is("success", "urn:xmpp:sasl:2")) sasl.success = Buffer.from(el.getChildText("additional-data") ?? "", "base64").toString();
  });
  // SNI, ALPN and the certificate check name the JID's domain, whichever host the link goes to: see tls-link.ts
  tlsForDomain(xmpp, options.domain);
  // Nagle held ~45% of IQ answers back by a delayed ACK (p99 47 ms -> 7 ms without it: bench/queries.bench.ts)
  xmpp.on("connect", () => xmpp.socket?.setNoDelay(true));
  // @xmpp/connection 0.14 detaches its parser when a stream closes or the server sends bad XML, but not the
  // socket: bytes that still arrive would throw in a socket callback and crash the process. Drop them.
  // And the parser gets whole tags only: see whole-tags.ts (a 256 KB body cost ~100 ms of CPU, now ~1 ms)
  const parse = xmpp._onData.bind(xmpp);
  const tags = wholeTags();
  let parser: Client["parser"] = null;
  xmpp._onData = (data) => {
    if (!xmpp.parser) return;
    if (xmpp.parser !== parser) tags.reset();
    parser = xmpp.parser;
    const ready = tags.take(data);
    if (ready) parse(ready);
  };
  // Under steady traffic the XEP-0198 queue of unacknowledged stanzas would only grow: see ack-requests.ts
  askForAcks(xmpp);
  // And the count of stanzas we acknowledge is ours, not the library's: see handled-count.ts
  countHandledStanzas(xmpp);
  return xmpp;
}
