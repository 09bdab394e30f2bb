// Types for the parts of @xmpp/client 0.14 (ESM, untyped) that the agent uses. Read from its source.
declare module "@xmpp/client" {
  import { EventEmitter } from "node:events";
  import type { Socket } from "node:net";

  export class Element {
    name: string;
    attrs: Record<string, any>;
    children: (Element | string)[];
    parent: Element | null;
    is(name: string, xmlns?: string): boolean;
    getNS(): string | undefined;
    getChild(name: string, xmlns?: string): Element | undefined;
    getChildren(name: string, xmlns?: string): Element[];
    getChildElements(): Element[];
    getChildText(name: string, xmlns?: string): string | null;
    text(): string;
    append(...children: (Element | string)[]): Element;
    toString(): string;
  }

  export function xml(name: string, attrs?: Record<string, unknown> | string | null, ...children: (Element | string | null | undefined | false)[]): Element;

  export interface JID {
    local: string;
    domain: string;
    resource: string;
    bare(): JID;
    toString(): string;
  }
  export function jid(value: string): JID;

  // @xmpp/middleware's IncomingContext: from/to are JID objects (from defaults to the server's domain)
  export interface IqContext {
    stanza: Element;
    element: Element;
    from: JID | null;
    to: JID | null;
    id: string;
    type: string;
    entity: Client;
  }
  export type IqHandler = (ctx: IqContext, next: () => Promise<unknown>) => Element | Record<string, never> | undefined | Promise<Element | Record<string, never> | undefined>;
  export interface IqCallee {
    get(ns: string, name: string, handler: IqHandler): void;
    set(ns: string, name: string, handler: IqHandler): void;
  }
  export interface IqCaller {
    request(stanza: Element, timeout?: number): Promise<Element>;
    get(element: Element, to?: string, timeout?: number): Promise<Element | undefined>;
    set(element: Element, to?: string, timeout?: number): Promise<Element | undefined>;
  }

  export interface MiddlewareContext {
    stanza: Element;
    from: JID | null;
    to: JID | null;
    id: string;
    type: string;
    name: string;
    entity: Client;
  }
  export interface Middleware {
    use(fn: (ctx: MiddlewareContext, next: () => Promise<unknown>) => unknown): void;
    filter(fn: (ctx: MiddlewareContext, next: () => Promise<unknown>) => unknown): void;
  }

  export interface StreamManagement extends EventEmitter {
    enabled: boolean;
    id: string;
    /** XEP-0198: the max we ask for in <enable/> (null: none). */
    preferredMaximum: number | null;
    timeout: number;
    requestAckInterval: number;
  }

  export type Authenticate = (credentials: { username: string; password: string }, mechanism: string) => Promise<void>;

  export interface ClientOptions {
    service?: string;
    domain?: string;
    resource?: string;
    username?: string;
    password?: string;
    credentials?: (authenticate: Authenticate, mechanisms: string[], fast: unknown, entity: Client) => Promise<void>;
    timeout?: number;
  }

  export class Client extends EventEmitter {
    status: string;
    jid: JID | null;
    socket: (Socket & { secure?: boolean }) | null;
    options: ClientOptions;
    timeout: number;
    iqCaller: IqCaller;
    iqCallee: IqCallee;
    middleware: Middleware;
    reconnect: EventEmitter & { stop(): void; start(): void };
    streamManagement: StreamManagement;
    /** Null between streams. */
    parser: { write(text: string): void } | null;
    /** The socket's data listener (bound once, at the first connect). */
    _onData(data: Buffer): void;
    /** Every socket goes through here: the first TCP or TLS one, and the TLS one STARTTLS puts over it. A TLS one is
     * @xmpp/tls's wrapper: an EventEmitter with the node TLSSocket as `.socket`, and no destroy(). */
    _attachSocket(socket: unknown): void;
    /** tls.connect() or net.connect() options for a service URI (the transport's, chosen in connect()). */
    socketParameters(service: string): Record<string, unknown> | undefined;
    /** saslmechanisms' Factory: the mechanisms SASL may pick, in the order of preference. */
    saslFactory: { _mechs: { name: string; mech: unknown }[]; use(mech: unknown): void };
    start(): Promise<JID>;
    stop(): Promise<unknown>;
    connect(service: string): Promise<void>;
    open(options: { domain: string; lang?: string }): Promise<Element>;
    disconnect(): Promise<unknown>;
    send(element: Element): Promise<void>;
    /** Raw XML onto the stream, unchecked: for tests that send a stanza copied from a spec's text. */
    write(xml: string): Promise<void>;
    isSecure(): boolean;
  }

  export function client(options: ClientOptions): Client;
}
