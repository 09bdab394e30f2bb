// XEP-0030 Service Discovery: who we are and what we answer. Every responder registers its features
// here, so disco#info and the XEP-0115 caps hash are computed from one list and cannot disagree.
// https://xmpp.org/extensions/xep-0030.html
import { xml, type Element, type IqCallee } from "@xmpp/client";
import { stanzaError } from "../xmpp/stanza-error.js";
import { CAPS_NODE, NS_CAPS, capsVer, type Identity } from "./caps.js";

export const NS_DISCO_INFO = "http://jabber.org/protocol/disco#info";
export const NS_DISCO_ITEMS = "http://jabber.org/protocol/disco#items";

// XEP-0030 registry: client/bot, "an automated conversation agent": the agent is a client account that
// answers chat, and clients show bots with a fitting icon. (There is no registered "device" type.)
export const IDENTITY: Identity = { category: "client", type: "bot", name: "xmpp-device-agent" };

export const itemNotFound = () => stanzaError("cancel", "item-not-found");

/** Children of a node's answer; null: no such node; a lone <error/> element: refused (XEP-0050 2.2: forbidden). */
export type NodeAnswer = Element[] | Element | null;

export interface NodeHandler {
  /** `to`: the JID that was asked, our full JID: XEP-0050 items name it. */
  info?(from: string, to: string): NodeAnswer;
  items?(from: string, to: string): NodeAnswer;
}

const nodeReply = (ns: string, node: string, answer: NodeAnswer | undefined) =>
  !answer ? itemNotFound() : Array.isArray(answer) ? xml("query", { xmlns: ns, node }, ...answer) : answer;

export interface Disco {
  addFeature(...features: string[]): void;
  /** Disco answers for a node (XEP-0050 uses "http://jabber.org/protocol/commands"). */
  addNode(node: string, handler: NodeHandler): void;
  features(): string[];
  ver(): string;
  capsElement(): Element;
}

export function discoResponder({ iqCallee }: { iqCallee: IqCallee }): Disco {
  const features = new Set<string>([NS_DISCO_INFO, NS_DISCO_ITEMS, NS_CAPS]);
  const nodes = new Map<string, NodeHandler>();
  const ver = () => capsVer([IDENTITY], [...features]);

  iqCallee.get(NS_DISCO_INFO, "query", (ctx) => {
    const node = ctx.element.attrs.node as string | undefined;
    // XEP-0115 6.2: a query to node#ver must be answered exactly like a plain one
    if (!node || node === `${CAPS_NODE}#${ver()}`) {
      return xml(
        "query",
        { xmlns: NS_DISCO_INFO, ...(node ? { node } : {}) },
        xml("identity", { category: IDENTITY.category, type: IDENTITY.type, name: IDENTITY.name }),
        ...[...features].sort().map((f) => xml("feature", { var: f })),
      );
    }
    // ctx.from/ctx.to are @xmpp/jid objects at run time: handlers get strings
    return nodeReply(NS_DISCO_INFO, node, nodes.get(node)?.info?.(String(ctx.from), String(ctx.to)));
  });

  iqCallee.get(NS_DISCO_ITEMS, "query", (ctx) => {
    const node = ctx.element.attrs.node as string | undefined;
    if (!node) return xml("query", { xmlns: NS_DISCO_ITEMS });
    return nodeReply(NS_DISCO_ITEMS, node, nodes.get(node)?.items?.(String(ctx.from), String(ctx.to)));
  });

  return {
    addFeature: (...f) => f.forEach((x) => features.add(x)),
    addNode: (node, handler) => nodes.set(node, handler),
    features: () => [...features].sort(),
    ver,
    capsElement: () => xml("c", { xmlns: NS_CAPS, hash: "sha-1", node: CAPS_NODE, ver: ver() }),
  };
}
